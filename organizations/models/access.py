"""Staff access: every staff user has one scope node and one role."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.auth.roles import ROLE_GROUP_NAMES, Role  # noqa: F401 - re-exported
from organizations.scope import ScopedManager


class AccessScope(models.Model):
    """Binds a user to the subtree they may see and the role they have in it.

    The role maps to a permission group of the same name (kept in sync by
    ``organizations.services.access_scope_set``); the scope node bounds every query.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="access_scope",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("scope organization"),
        on_delete=models.PROTECT,
        related_name="access_scopes",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    SCOPE_PATHS = ("organization",)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("access scope")
        verbose_name_plural = _("access scopes")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"
