from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """Organization tree, compounds, buildings, venues and the scope every other app is filtered by."""

    name = "organizations"
    verbose_name = _("Party organizations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # What this app contributes to the platform is in ``contributions.py`` (found by core).
        from django.contrib.auth.signals import user_logged_in

        from core.middleware import mark_session_start

        user_logged_in.connect(mark_session_start, dispatch_uid="session_start_stamp")
