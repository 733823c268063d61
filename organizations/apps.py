from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """Organization tree, compounds, scope and the registries every other app plugs into."""

    name = "organizations"
    verbose_name = _("Party organizations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from organizations.registry import CumulativeCount, grant_role_permissions, register_cumulative_count
        from organizations.roles import sync_role_permissions

        # Secretaries close the reminders of their branch (done / dismissed); read-only clients never.
        grant_role_permissions("branch_secretary", "organizations.change_reminder")

        register_cumulative_count(
            CumulativeCount(
                attr="compound_count",
                model="organizations.Compound",
                path="community",
                label=_("Compounds"),
            )
        )
        # Statistics blocks: this app's, then every app's ``statistics.py`` (registered on import).
        from organizations.statistics import autodiscover_statistics, register_builtin_blocks

        register_builtin_blocks()
        autodiscover_statistics()

        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save

        from organizations import audit
        from organizations.middleware import mark_session_start
        from organizations.sessions import end_other_credentials_on_password_change

        audit.connect()
        audit.connect_task_source()
        user_logged_in.connect(mark_session_start, dispatch_uid="session_start_stamp")
        pre_save.connect(
            end_other_credentials_on_password_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="password_change_ends_tokens",
        )
        # Runs after every app migrates, so permissions of apps added later are included.
        post_migrate.connect(sync_role_permissions, dispatch_uid="sync_role_permissions")
