"""Models of the platform layer (tables keep the names they had under ``organizations``)."""

from core.audit.models import AuditAction, AuditEntry
from core.auth.models import AccountState, LoginThrottle
from core.health import TaskProbe
from core.jobs import FileJob, JobStatus
from core.notify.models import Delivery, DeliveryStatus

__all__ = [
    "AccountState",
    "AuditAction",
    "AuditEntry",
    "Delivery",
    "DeliveryStatus",
    "FileJob",
    "JobStatus",
    "LoginThrottle",
    "TaskProbe",
]
