"""Abstract models for concepts many domain models share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Timestamped(models.Model):
    """When the row was made and when it was last saved (set by Django on every save)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
