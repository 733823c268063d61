"""Models of the platform layer (tables keep the names they had under ``organizations``)."""

from core.audit.models import AuditAction, AuditEntry
from core.auth.models import AccountState, LoginThrottle
from core.health import TaskProbe
from core.jobs import FileJob, JobStatus

__all__ = ["AccountState", "AuditAction", "AuditEntry", "FileJob", "JobStatus", "LoginThrottle", "TaskProbe"]
