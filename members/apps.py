from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """Party members, positions and organizational life (meetings, attendance, compliance).
    What it contributes to the platform is declared in ``members/contributions.py``."""

    name = "members"
    verbose_name = _("Party members")
    default_auto_field = "django.db.models.BigAutoField"
