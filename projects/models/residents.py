"""The public entry of a compound for residents (群众点单 by QR code)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.scope import ScopedManager


class CompoundIntake(models.Model):
    """A compound's public request page, identified by an unguessable token (printed as a QR
    code) instead of the compound's id. Reissuing the token invalidates the printed codes."""

    SCOPE_PATHS = ("compound__community", "compound__branch")

    compound = models.OneToOneField(
        "organizations.Compound", verbose_name=_("compound"), on_delete=models.CASCADE, related_name="intake"
    )
    token = models.CharField(_("public page token"), max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("compound request page")
        verbose_name_plural = _("compound request pages")

    def __str__(self) -> str:
        return self.compound.name
