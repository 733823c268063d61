"""Staff access: every staff user has one scope node and one role."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.scope import ScopedManager


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    STREET_STAFF = "street_staff", _("Sub-district staff")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    API_CLIENT = "api_client", _("Read-only API client")


# Permission groups, one per role, named in Chinese because staff see them in the admin.
# These names are keys: never rename one without a data migration.
ROLE_GROUP_NAMES = {
    Role.DISTRICT_ADMIN: "区委管理员",
    Role.STREET_STAFF: "街道工作人员",
    Role.COMMUNITY_STAFF: "社区工作人员",
    Role.BRANCH_SECRETARY: "支部书记",
    Role.API_CLIENT: "只读接口客户端",
}


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
