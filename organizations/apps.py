from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """Organization tree, compounds, buildings, venues and the scope every other app is filtered by."""

    name = "organizations"
    verbose_name = _("Party organizations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What this app contributes to the platform is in ``contributions.py`` (found by core).
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save

        from core.middleware import mark_session_start
        from organizations import audit
        from organizations.roles import sync_role_permissions
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
