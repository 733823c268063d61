"""The notification adapters against a local fake server: the exact request each sends, and
failures retried by the worker task, recorded, then recorded as final failures."""

import hashlib
import hmac
import json

import pytest
from django.core import mail
from django.db import connection

from core import crypto
from core.notify import DeliveryFailed, backoff_seconds, channel_for, queue
from core.notify.models import Delivery, DeliveryStatus
from core.notify.service import attempt
from core.tasks import deliver_notification_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings, receiver):
    settings.NOTIFY_SMS = {"URL": receiver.url + "/sms/send", "KEY": "k-123", "SECRET": "s3cret", "SIGN_NAME": "党建"}
    return receiver


def test_sms_gateway_request_is_exact_and_signed(sms):
    delivery = queue(channel="sms", address="13812345678", subject="提醒", body="· 支部换届")
    assert delivery.recipient == "138****5678" and delivery.status == DeliveryStatus.PENDING
    with connection.cursor() as cursor:  # the number is encrypted at rest, like a member's phone
        cursor.execute("SELECT address, recipient FROM core_delivery WHERE id = %s", [delivery.pk])
        stored = repr(cursor.fetchall())
    assert "13812345678" not in stored and crypto.decrypt(Delivery.objects.get().address) == "13812345678"
    done = attempt(delivery.pk)
    assert done.status == DeliveryStatus.SENT and done.attempts == 1 and done.sent_at
    [request] = sms.requests
    assert request["path"] == "/sms/send"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["headers"]["X-Api-Key"] == "k-123"
    assert json.loads(request["body"]) == {"phone": "13812345678", "sign_name": "党建", "content": "提醒\n· 支部换届"}
    timestamp = request["headers"]["X-Timestamp"]
    expected = hmac.new(b"s3cret", timestamp.encode() + b"." + request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Signature"] == expected


def test_sms_without_configuration_fails_recorded(settings):
    settings.NOTIFY_SMS = {}
    settings.NOTIFY_MAX_ATTEMPTS = 1
    delivery = queue(channel="sms", address="13812345678", subject="s", body="b")
    done = attempt(delivery.pk)
    assert done.status == DeliveryStatus.FAILED and "not configured" in done.last_error


def test_wecom_robot_sends_its_json_shape(settings, receiver):
    settings.NOTIFY_WECOM_URL = receiver.url + "/cgi-bin/webhook/send?key="
    delivery = queue(channel="wecom", address="robot-key-0001", subject="[党建] 提醒", body="· 三会一课")
    assert "robot-key-0001" not in delivery.recipient
    assert attempt(delivery.pk).status == DeliveryStatus.SENT
    [request] = receiver.requests
    assert request["path"] == "/cgi-bin/webhook/send?key=robot-key-0001"
    assert json.loads(request["body"]) == {"msgtype": "text", "text": {"content": "[党建] 提醒\n· 三会一课"}}


def test_wecom_error_code_in_a_200_is_a_failure(settings, receiver):
    settings.NOTIFY_WECOM_URL = receiver.url + "/send?key="
    receiver.body = b'{"errcode":93000,"errmsg":"invalid webhook url"}'
    delivery = queue(channel="wecom", address="bad", subject="s", body="b")
    done = attempt(delivery.pk)
    assert done.status == DeliveryStatus.RETRYING and done.last_error.startswith("errcode 93000")
    assert done.next_attempt_at is not None


def test_failing_server_is_retried_then_recorded_as_failed(settings, receiver):
    settings.NOTIFY_WECOM_URL = receiver.url + "/send?key="
    settings.NOTIFY_MAX_ATTEMPTS = 3
    receiver.statuses = [500, 502, 503]
    delivery = queue(channel="wecom", address="key", subject="s", body="b")
    # The worker task: each failure schedules the next attempt (run at once in eager mode).
    deliver_notification_task.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert len(receiver.requests) == 3
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 3
    assert delivery.last_error == "HTTP 503" and delivery.sent_at is None
    # A finished delivery is never sent again.
    assert deliver_notification_task.apply(args=[delivery.pk]).get() == "skipped"
    assert len(receiver.requests) == 3


def test_retry_succeeds_after_a_failure(settings, receiver):
    settings.NOTIFY_WECOM_URL = receiver.url + "/send?key="
    receiver.statuses = [500]
    delivery = queue(channel="wecom", address="key", subject="s", body="b")
    assert deliver_notification_task.apply(args=[delivery.pk]).get() in ("retrying", "sent")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2 and delivery.last_error == ""


def test_unreachable_server_is_recorded(settings):
    settings.NOTIFY_WECOM_URL = "http://127.0.0.1:9/send?key="
    delivery = queue(channel="wecom", address="key", subject="s", body="b")
    done = attempt(delivery.pk)
    assert done.status == DeliveryStatus.RETRYING and done.last_error.startswith("connection failed")


def test_email_and_console_channels(caplog):
    delivery = queue(channel="email", address="sec@example.org", subject="主题", body="正文")
    assert delivery.recipient == "s**@example.org"
    assert attempt(delivery.pk).status == DeliveryStatus.SENT
    assert mail.outbox[0].to == ["sec@example.org"] and mail.outbox[0].subject == "主题"
    with caplog.at_level("INFO", logger="core.notify"):
        attempt(queue(channel="console", address="secretary_a", subject="s", body="a\nb").pk)
    assert any(r.getMessage() == "notify-console: to=se*******_a lines=2" for r in caplog.records)


def test_backoff_grows_and_unknown_channel_refused(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    assert [backoff_seconds(n) for n in (1, 2, 3)] == [60, 120, 240]
    assert backoff_seconds(50) == 6 * 3600
    with pytest.raises(DeliveryFailed):
        channel_for("pigeon")


def test_sweep_requeues_lost_deliveries(settings, receiver):
    import datetime

    from django.utils import timezone

    from core.tasks import retry_due_deliveries_task

    settings.NOTIFY_WECOM_URL = receiver.url + "/send?key="
    delivery = queue(channel="wecom", address="key", subject="s", body="b")
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert retry_due_deliveries_task.apply().get() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
