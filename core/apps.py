from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Infrastructure below every domain app: middleware, request context, cache, locks,
    notifications, API and admin building blocks, the registry of contributions, periods and the
    xlsx writer. It names no domain model; the domain apps plug into it."""

    name = "core"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"
