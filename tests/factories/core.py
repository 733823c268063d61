"""Factories of the platform app (``core``): rows its services write."""

from __future__ import annotations

import factory

from tests.factories.base import ServiceFactory, new_branch, new_user, service_call


class AuditEntryFactory(ServiceFactory):
    """An audit entry written by ``core.audit.trail.record`` for ``instance`` (an organization)."""

    class Meta:
        model = "core.AuditEntry"

    instance = factory.LazyFunction(new_branch)
    action = "update"
    changes = factory.LazyFunction(lambda: {"name": ["旧名称", "新名称"]})

    @classmethod
    def service(cls, *, instance, action, changes):
        from core.audit.models import AuditEntry
        from core.audit.trail import record

        record(instance, action, changes)
        return AuditEntry.objects.filter(model=instance._meta.label_lower, object_id=str(instance.pk)).latest("pk")


class LoginThrottleFactory(ServiceFactory):
    """A failed-login counter, through ``core.auth.lockout.record_failure``."""

    class Meta:
        model = "core.LoginThrottle"

    key = factory.Sequence(lambda n: f"user:factory{n}")

    @classmethod
    def service(cls, *, key):
        from core.auth.lockout import record_failure
        from core.auth.models import LoginThrottle

        record_failure([key])
        return LoginThrottle.objects.get(key=key)


class AccountStateFactory(ServiceFactory):
    """A password set by an administrator (must be changed), through ``password_set_by_admin``."""

    class Meta:
        model = "core.AccountState"

    user = factory.LazyFunction(new_user)
    password = "Temporary-password-2026"
    actor = factory.LazyFunction(new_user)

    @classmethod
    def service(cls, *, user, password, actor):
        from core.auth.accounts import password_set_by_admin
        from core.auth.models import AccountState

        password_set_by_admin(user=user, password=password, actor=actor)
        return AccountState.objects.get(user=user)


class TaskProbeFactory(ServiceFactory):
    """A worker probe row, written by the ``core.health.probe`` task run in-process."""

    class Meta:
        model = "core.TaskProbe"

    key = factory.Sequence(lambda n: f"probe-{n}")
    value = 1

    @classmethod
    def service(cls, *, key, value):
        from core.health import TaskProbe, probe

        probe(key, value)
        return TaskProbe.objects.get(key=key)


class FileJobFactory(ServiceFactory):
    """A pending ledger job (an export built by the worker), through ``start_ledger_job``."""

    class Meta:
        model = "core.FileJob"

    user = factory.LazyFunction(new_user)
    branch = factory.LazyFunction(new_branch)
    year = 2026
    fmt = "pdf"

    @classmethod
    def service(cls, *, user, branch, year, fmt):
        from members.ledgers.service import start_ledger_job

        return start_ledger_job(user=user, branch_ids=[branch.pk], year=year, fmt=fmt)


class DeliveryFactory(ServiceFactory):
    """A queued notification, through ``core.notify.service.queue``."""

    class Meta:
        model = "core.Delivery"

    channel = "console"
    address = factory.Sequence(lambda n: f"secretary{n}@example.org")
    subject = "换届提醒"
    body = "支部委员会任期将满，请做好换届准备。"

    service = service_call("core.notify.service.queue")


__all__ = [
    "AccountStateFactory",
    "AuditEntryFactory",
    "DeliveryFactory",
    "FileJobFactory",
    "LoginThrottleFactory",
    "TaskProbeFactory",
]
