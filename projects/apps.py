from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Joint building (partners, agreements, the three lists, projects, activities) and serving
    residents (micro-wishes, resident requests). What it contributes to the platform is declared
    in ``projects/contributions.py``."""

    name = "projects"
    verbose_name = _("Joint building and services")
    default_auto_field = "django.db.models.BigAutoField"
