"""What the platform layer itself puts in the audit trail: accounts and the beat schedules."""

from core.audit.registry import register_audited_model

# Accounts (the password is logged only as changed; the login stamp says nothing).
register_audited_model("auth.user", ignored_fields=["last_login"])
# Schedules edited in the admin; the scheduler's own bookkeeping on every run is not a change.
register_audited_model(
    "django_celery_beat.periodictask", ignored_fields=["last_run_at", "total_run_count", "date_changed"]
)
for _schedule in ("crontabschedule", "intervalschedule", "solarschedule", "clockedschedule"):
    register_audited_model(f"django_celery_beat.{_schedule}")

# Notification deliveries whose task was lost are picked up again (core.notify.service).
from core import registry  # noqa: E402

registry.register_default_schedule(
    registry.DefaultSchedule("通知补发", "core.retry_due_deliveries", ("*/10", "*", "*", "*", "*"))
)
