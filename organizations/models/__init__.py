"""Models of the organizations app (the lowest layer)."""

from core.models import AuditAction, AuditEntry, LoginThrottle, TaskProbe  # platform models, for domain code

from .access import AccessScope, Role
from .places import Building, Compound, CompoundKind, Venue, VenueProvision
from .terms import TermLength
from .tree import PARENT_KIND, ROOT_KINDS, Formation, Organization, OrganizationKind

__all__ = [
    "PARENT_KIND",
    "ROOT_KINDS",
    "AccessScope",
    "AuditAction",
    "AuditEntry",
    "LoginThrottle",
    "TaskProbe",
    "Building",
    "Compound",
    "CompoundKind",
    "Formation",
    "Organization",
    "OrganizationKind",
    "Role",
    "TermLength",
    "Venue",
    "VenueProvision",
]

from .reminders import Reminder, ReminderStatus
from .scoring import (
    BranchScore,
    CriterionMethod,
    ManualScore,
    ScoringCriterion,
    ScoringItem,
    ScoringRubric,
)

__all__ += [
    "BranchScore",
    "CriterionMethod",
    "ManualScore",
    "Reminder",
    "ReminderStatus",
    "ScoringCriterion",
    "ScoringItem",
    "ScoringRubric",
]

from .notify import NotificationRoute, RouteChannel, Webhook, WebhookDelivery, WebhookDeliveryStatus  # noqa: E402

__all__ += ["NotificationRoute", "RouteChannel", "Webhook", "WebhookDelivery", "WebhookDeliveryStatus"]
