"""Login throttling (the account lockout counters)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginThrottle(models.Model):
    """Failed logins for one key (``user:<name>`` or ``addr:<ip>``) and the lock they earned.

    Kept in the database, not the cache, so a lockout holds across every gunicorn process and
    survives a Redis outage (see ``core.auth.lockout``)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure at"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")
        db_table = "organizations_loginthrottle"

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class AccountState(models.Model):
    """Per-account security state the user model has no field for: a password set by an
    administrator (a new account, a reset) must be changed by the user at the next login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="account_state"
    )
    must_change_password = models.BooleanField(_("must change password at next login"), default=False)
    password_set_by = models.CharField(_("password set by"), max_length=150, blank=True)
    password_set_at = models.DateTimeField(_("password set at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account state")
        verbose_name_plural = _("account states")

    def __str__(self) -> str:
        return str(self.user)
