from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Joint building (partners, agreements, the three lists, projects, activities) and serving
    residents (micro-wishes, resident requests)."""

    name = "projects"
    verbose_name = _("Joint building and services")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from organizations.files import register_file_field
        from organizations.registry import grant_role_permissions

        # Photos are served only to users who see the project or the micro-wish.
        register_file_field("projects.ProgressUpdate", "photo", prefix="projects/progress/")
        register_file_field("projects.MicroWish", "fulfilment_photo", prefix="projects/wishes/")

        # 支部派单: the branch secretary takes, triages and dispatches residents' requests and
        # records the branch's activities and micro-wishes.
        grant_role_permissions(
            "branch_secretary",
            "projects.add_residentrequest",
            "projects.change_residentrequest",
            "projects.add_activity",
            "projects.change_activity",
            "projects.add_microwish",
            "projects.change_microwish",
        )
