from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Infrastructure below every domain app: middleware, request context, cache, locks,
    notifications, API and admin building blocks, the registry of contributions, periods, the
    xlsx writer, the audit trail, accounts and login security. It names no domain model; the
    domain apps plug into it."""

    name = "core"
    label = "core"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save

        from core.audit import trail
        from core.auth import twofactor
        from core.auth.forms import TwoFactorAdminLoginForm
        from core.auth.roles import sync_role_permissions
        from core.auth.sessions import end_other_credentials_on_password_change
        from core.registry import discover
        from core.statistics import cache as figures_cache

        # The discovery point: every app's ``contributions.py`` (and its audit rules in
        # ``contributions.py``). Models of every app are loaded by now.
        discover()
        trail.connect()
        figures_cache.connect()
        trail.connect_task_source()
        pre_save.connect(
            end_other_credentials_on_password_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="password_change_ends_tokens",
        )
        # Runs after every app migrates, so permissions of apps added later are included.
        post_migrate.connect(sync_role_permissions, dispatch_uid="sync_role_permissions")
        # The admin login asks for the second factor (optional field; the next page asks otherwise).
        user_logged_in.connect(twofactor.verify_on_login, dispatch_uid="second_factor_on_login")
        admin.site.login_form = TwoFactorAdminLoginForm
        import core.audit.admin
        import core.auth.admin  # noqa: F401
