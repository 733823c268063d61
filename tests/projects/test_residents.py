"""群众点单 by residents: the compound's public page, the tracking link, the rating, rate limits,
spam hiding, and the secretary's triage / dispatch pages (scoped to the branch)."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import crypto as core_crypto
from organizations.models import Role
from projects import services, statistics  # noqa: F401
from projects.exceptions import Conflict
from projects.models import RequestStatus, ResidentRequest
from projects.residents import throttle
from tests.factories import make_user

TODAY = datetime.date(2026, 6, 15)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def intake(compounds):
    return services.intake_for(compounds["a"])


def place(intake, phone="13812345678", **extra):
    fields = {"description": "楼道灯坏了", "building_unit": "3栋2单元", "phone": phone, "received_on": TODAY}
    fields.update(extra)
    return services.public_request_submit(intake=intake, **fields)


# --- services ------------------------------------------------------------------------------------


def test_public_request_stores_phone_encrypted_and_token_hashed(intake):
    obj, token = place(intake)
    obj.refresh_from_db()
    assert obj.status == RequestStatus.SUBMITTED and obj.category == "" and obj.triage == ""
    assert "13812345678" not in (obj.phone_encrypted + obj.phone_hash + obj.phone_masked)
    assert core_crypto.decrypt(obj.phone_encrypted) == "13812345678"
    assert obj.phone_masked == "138****5678"
    assert len(token) >= 22 and obj.tracking_hash != token
    assert services.by_tracking_token(token) == obj
    assert services.by_tracking_token(token + "x") is None


def test_public_request_errors_name_the_field(intake):
    with pytest.raises(ValidationError) as exc:
        place(intake, phone="123", description=" ")
    assert set(exc.value.message_dict) == {"phone", "description"}
    assert ResidentRequest.objects.count() == 0


def test_photo_is_content_checked_and_size_limited(intake):
    fake = SimpleUploadedFile("a.png", b"<html><script>x</script>", content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        place(intake, photo=fake)
    assert "photo" in exc.value.message_dict
    big = SimpleUploadedFile("b.png", PNG + b"\x00" * services.residents.MAX_PHOTO_BYTES, content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        place(intake, photo=big)
    assert "5 MB" in exc.value.message_dict["photo"][0]
    obj, _token = place(intake, photo=SimpleUploadedFile("ok.png", PNG, content_type="image/png"))
    assert obj.photo.name.startswith("projects/requests/")


def test_intake_token_is_stable_and_reissued(intake, compounds):
    assert services.intake_for(compounds["a"]).token == intake.token
    assert services.intake_for(compounds["a"], reissue=True).token != intake.token


def test_rating_once_after_resolution(intake, members):
    obj, token = place(intake)
    with pytest.raises(Conflict):
        services.request_rate_by_resident(request=obj, score=5, comment="", rated_on=TODAY)
    services.request_triage(request=obj, triage="minor")
    services.request_dispatch(request=obj, member=members["a"], due_on=TODAY, dispatched_on=TODAY)
    services.request_resolve(request=obj, resolved_on=TODAY, resolution="已更换灯泡")
    with pytest.raises(ValidationError):
        services.request_rate_by_resident(request=obj, score=6, comment="", rated_on=TODAY)
    rated = services.request_rate_by_resident(request=obj, score=4, comment="很及时", rated_on=TODAY)
    assert rated.status == RequestStatus.RATED and rated.rating == "satisfied" and rated.score == 4
    with pytest.raises(Conflict):
        services.request_rate_by_resident(request=obj, score=1, comment="", rated_on=TODAY)


def test_spam_is_hidden_not_deleted(intake, tree):
    obj, token = place(intake)
    services.request_mark_spam(request=obj)
    assert ResidentRequest.objects.filter(pk=obj.pk, spam=True).exists()
    assert services.by_tracking_token(token) is None
    from core.audit.models import AuditEntry

    assert AuditEntry.objects.filter(object_id=str(obj.pk), changes__has_key="spam").exists()


# --- public pages ---------------------------------------------------------------------------------


def test_compound_page_places_request_and_shows_tracking(client, intake):
    url = reverse("residents:compound", kwargs={"token": intake.token})
    page = client.get(url)
    assert page.status_code == 200 and "A小区" in page.content.decode()
    response = client.post(url, {"description": "垃圾桶满了", "building_unit": "1栋", "phone": "13900001111"})
    assert response.status_code == 302 and "/r/t/" in response["Location"]
    track = client.get(response["Location"])
    body = track.content.decode()
    assert "垃圾桶满了" in body and "139****1111" in body and "13900001111" not in body


def test_compound_page_unknown_token_and_id_are_404(client, intake, compounds):
    assert client.get(reverse("residents:compound", kwargs={"token": "x" * 43})).status_code == 404
    assert client.get(f"/r/c/{compounds['a'].pk}/").status_code == 404


def test_form_errors_are_chinese_and_name_the_field(client, intake):
    url = reverse("residents:compound", kwargs={"token": intake.token})
    response = client.post(url, {"description": "", "phone": "12"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "联系电话" in body and "手机号" in body


def test_public_page_shows_no_other_resident_data(client, intake):
    place(intake, description="邻居的秘密诉求", phone="13811112222")
    body = client.get(reverse("residents:compound", kwargs={"token": intake.token})).content.decode()
    assert "邻居的秘密诉求" not in body and "2222" not in body


def test_rate_limit_per_ip(client, intake):
    url = reverse("residents:compound", kwargs={"token": intake.token})
    for i in range(throttle.IP_PER_HOUR):
        phone = f"1390000{i:04d}"
        assert client.post(url, {"description": "诉求", "phone": phone}).status_code == 302
    refused = client.post(url, {"description": "诉求", "phone": "13700000000"})
    assert refused.status_code == 400 and "过多" in refused.content.decode()
    assert ResidentRequest.objects.count() == throttle.IP_PER_HOUR


def test_rate_limit_per_phone(client, intake):
    url = reverse("residents:compound", kwargs={"token": intake.token})
    for i in range(throttle.PHONE_PER_DAY):
        ok = client.post(url, {"description": "诉求", "phone": "13900000000"}, REMOTE_ADDR=f"10.0.0.{i}")
        assert ok.status_code == 302
    refused = client.post(url, {"description": "诉求", "phone": "139 0000 0000"}, REMOTE_ADDR="10.0.1.1")
    assert refused.status_code == 400 and "联系电话" in refused.content.decode()


def test_tracking_link_rates_once(client, intake, members):
    obj, token = place(intake)
    url = reverse("residents:track", kwargs={"token": token})
    early = client.post(url, {"score": "5"})
    assert early.status_code == 400
    services.request_triage(request=obj, triage="minor")
    services.request_dispatch(request=obj, member=members["a"], due_on=TODAY, dispatched_on=TODAY)
    services.request_resolve(request=obj, resolved_on=TODAY, resolution="已修好")
    assert "评价" in client.get(url).content.decode()
    assert client.post(url, {"score": "5", "comment": "满意"}).status_code == 302
    obj.refresh_from_db()
    assert obj.status == RequestStatus.RATED and obj.score == 5
    again = client.post(url, {"score": "1"})
    obj.refresh_from_db()
    assert obj.score == 5 and again.status_code in (200, 400)


def test_spam_tracking_link_is_404(client, intake):
    obj, token = place(intake)
    services.request_mark_spam(request=obj)
    assert client.get(reverse("residents:track", kwargs={"token": token})).status_code == 404


# --- the secretary's phone pages ------------------------------------------------------------------


def test_secretary_triages_and_dispatches(client, tree, intake, members):
    obj, _token = place(intake)
    client.force_login(make_user("sec_a", tree["branch_a"], Role.BRANCH_SECRETARY))
    listing = client.get(reverse("branch_requests:requests", kwargs={"branch_id": tree["branch_a"].pk}))
    assert listing.status_code == 200 and "楼道灯坏了" in listing.content.decode()
    url = reverse("branch_requests:request", kwargs={"pk": obj.pk})
    assert client.post(url, {"step": "triage", "t-triage": "minor"}).status_code == 302
    missing = client.post(url, {"step": "dispatch", "d-due_on": "2026-06-10"})
    assert missing.status_code == 400 and "党员" in missing.content.decode()
    done = client.post(url, {"step": "dispatch", "d-member": members["a"].pk, "d-due_on": "2099-06-20"})
    assert done.status_code == 302
    obj.refresh_from_db()
    assert obj.status == RequestStatus.DISPATCHED and obj.assigned_member == members["a"]


def test_secretary_of_another_branch_cannot_triage(client, tree, intake):
    obj, _token = place(intake)
    client.force_login(make_user("sec_b", tree["branch_b"], Role.BRANCH_SECRETARY))
    url = reverse("branch_requests:request", kwargs={"pk": obj.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"step": "triage", "t-triage": "minor"}).status_code == 404
    other = reverse("branch_requests:requests", kwargs={"branch_id": tree["branch_a"].pk})
    assert client.get(other).status_code == 404
    obj.refresh_from_db()
    assert obj.status == RequestStatus.SUBMITTED


def test_spam_is_left_out_of_secretary_list(client, tree, intake):
    obj, _token = place(intake)
    services.request_mark_spam(request=obj)
    client.force_login(make_user("sec_a", tree["branch_a"], Role.BRANCH_SECRETARY))
    listing = client.get(reverse("branch_requests:requests", kwargs={"branch_id": tree["branch_a"].pk}))
    assert "楼道灯坏了" not in listing.content.decode()


def test_secretary_publishes_a_wish(client, tree, compounds):
    client.force_login(make_user("sec_a", tree["branch_a"], Role.BRANCH_SECRETARY))
    url = reverse("branch_requests:wishes", kwargs={"branch_id": tree["branch_a"].pk})
    response = client.post(url, {"compound": compounds["a"].pk, "resident_name": "张奶奶", "content": "想要一副老花镜"})
    assert response.status_code == 302
    assert "老花镜" in client.get(url).content.decode()
