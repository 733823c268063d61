from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Infrastructure below every domain app: middleware, request context, cache, locks,
    notifications, API and admin building blocks, the registry of contributions, periods and the
    xlsx writer. It names no domain model; the domain apps plug into it."""

    name = "core"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The one discovery point: every app's ``contributions.py``. Models of every app are
        # loaded by now (Django imports them all before any ``ready()``).
        from core.registry import discover

        discover()
