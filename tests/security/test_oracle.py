"""The personal-data oracle is closed: nobody without the unmask permission can confirm a full
ID number or phone through masked output, the birth date, ``?q=``, ordering or the duplicate-ID
error; exact-value search by those who may is limited and logged; logs keep no full number."""

import datetime
import logging

import pytest
from django.core.cache import cache
from django.test import override_settings

from members import crypto
from members.models import Member, SensitiveAccessLog
from members.roster import import_members
from organizations.masks import ScrubPersonalDataFilter, scrub_personal_data
from tests.factories import RosterMemberFactory
from tests.members.helpers import roster_csv

BIRTH = datetime.date(1961, 3, 9)


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def target(tree):
    """A member of branch A whose ID number and phone the attacker wants to confirm."""
    return RosterMemberFactory(branch=tree["branch_a"], name="目标党员", birth_date=BIRTH, phone="13912345678")


def _full_id(member) -> str:
    return crypto.decrypt(member.id_number_encrypted)


def _wrong_id(member) -> str:
    real = _full_id(member)
    other_area = "500109" if real[:6] != "500109" else "500110"
    return crypto.make_id_number(other_area, BIRTH, int(real[14:17]))


@pytest.mark.parametrize("who", ["secretary_a", "api_reader"])
def test_read_only_roles_cannot_confirm_an_id_or_phone(request, who, target, api_client_for):
    client = api_client_for(request.getfixturevalue(who))
    row = client.get(f"/api/v1/members/{target.pk}/").json()
    assert row["birth_date"] is None and row["birth_year"] == 1961
    assert row["id_number"] == target.id_number_masked and row["phone"] == "139****5678"
    # ?q= with the right and a wrong candidate: the same refusal, nothing that depends on the data.
    answers = []
    for candidate in (_full_id(target), _wrong_id(target), "13912345678", "13912345679"):
        r = client.get("/api/v1/members/", {"q": candidate})
        answers.append((r.status_code, r.json().get("detail")))
    assert len(set(answers)) == 1 and answers[0][0] == 403
    # Ordering by anything derived from the numbers is ignored (the default order comes back).
    default = [m["id"] for m in client.get("/api/v1/members/").json()["results"]]
    for key in ("birth_date", "id_number", "id_number_hash", "phone_hash", "-id_number_masked"):
        assert [m["id"] for m in client.get("/api/v1/members/", {"ordering": key}).json()["results"]] == default
    # The duplicate-ID error needs a write, which these roles may not make (403 before validation).
    r = client.post("/api/v1/members/", {"name": "试探", "id_number": _full_id(target)}, format="json")
    assert r.status_code == 403 and "登记" not in r.content.decode()
    r = client.patch(f"/api/v1/members/{target.pk}/", {"id_number": _wrong_id(target)}, format="json")
    assert r.status_code == 403
    assert not SensitiveAccessLog.objects.exists()


def test_duplicate_id_names_only_a_visible_record(tree, staff_a, api_client_for):
    outside = RosterMemberFactory(branch=tree["branch_b"], name="外社区党员")
    inside = RosterMemberFactory(branch=tree["branch_a"], name="本社区党员")
    client = api_client_for(staff_a)
    payload = {"name": "新党员", "branch": tree["branch_a"].pk, "gender": "male"}
    r = client.post("/api/v1/members/", {**payload, "id_number": _full_id(outside)}, format="json")
    assert r.status_code == 400
    message = r.json()["errors"]["id_number"][0]
    assert message == "该身份证号已登记。"
    assert "外社区党员" not in r.content.decode() and str(outside.pk) not in message
    r = client.post("/api/v1/members/", {**payload, "id_number": _full_id(inside)}, format="json")
    assert "本社区党员" in r.json()["errors"]["id_number"][0]
    assert Member.objects.filter(name="新党员").count() == 0


@override_settings(PII_DUPLICATE_HITS_PER_HOUR=3)
def test_duplicate_probing_is_stopped(tree, staff_a, api_client_for):
    others = [RosterMemberFactory(branch=tree["branch_b"], birth_date=BIRTH) for _ in range(3)]
    mine = RosterMemberFactory(branch=tree["branch_a"], name="我的记录", birth_date=BIRTH)
    client = api_client_for(staff_a)
    url = f"/api/v1/members/{mine.pk}/"
    for other in others:
        assert client.patch(url, {"id_number": _full_id(other)}, format="json").status_code == 400
    # From now on every ID number is refused, registered or not: the answer no longer depends on it.
    fresh = crypto.make_id_number("500108", mine.birth_date, 901)
    r = client.patch(url, {"id_number": fresh}, format="json")
    assert r.status_code == 400 and "一小时" in r.json()["errors"]["id_number"][0]


def test_dry_run_import_does_not_name_outside_records(tree, staff_a):
    outside = RosterMemberFactory(branch=tree["branch_b"], name="外社区党员")
    row = [
        "新党员",
        "男",
        _full_id(outside),
        "",
        "正式党员",
        "1990-07-01",
        "1991-07-01",
        "离退休",
        tree["branch_a"].name,
        "",
    ]
    report = import_members(data=roster_csv([row]), filename="r.csv", user=staff_a, dry_run=True)
    text = " ".join(str(e) for e in report.errors)
    assert "已登记" in text and "外社区党员" not in text and tree["branch_b"].name not in text


@override_settings(PII_EXACT_SEARCHES_PER_HOUR=2)
def test_exact_search_for_the_unmask_permission_is_limited_and_logged(target, district_admin, api_client_for):
    client = api_client_for(district_admin)
    r = client.get("/api/v1/members/", {"q": _full_id(target)})
    assert [m["id"] for m in r.json()["results"]] == [target.pk]
    assert r.json()["results"][0]["birth_date"] == BIRTH.isoformat()
    log = SensitiveAccessLog.objects.get()
    assert (log.user_id, log.member_id, log.action) == (district_admin.pk, target.pk, "search")
    assert client.get("/api/v1/members/", {"q": "13912345678"}).json()["count"] == 1
    r = client.get("/api/v1/members/", {"q": _full_id(target)})
    assert r.status_code == 429 and "一小时" in r.json()["detail"]


def test_logs_never_hold_a_full_id_or_phone(target):
    full = _full_id(target)
    line = f'"GET /api/v1/members/?q={full}&x=1 HTTP/1.1" 200 ; phone=13912345678 +8613912345678'
    scrubbed = scrub_personal_data(line)
    assert full not in scrubbed and "13912345678" not in scrubbed and target.id_number_masked in scrubbed
    record = logging.LogRecord("django.server", logging.INFO, "", 0, '"%s" %s', (f"GET /?q={full}", 200), None)
    ScrubPersonalDataFilter().filter(record)
    assert full not in record.getMessage()
    # gunicorn's access log line is built from "atoms"; the scrubbing logger masks them.
    import gunicorn.glogging as glogging

    from config.gunicorn_logger import ScrubbingLogger

    raw = {"r": f"GET /api/v1/members/?q={full} HTTP/1.1", "q": f"q={full}", "U": "/api/v1/members/"}
    original = glogging.Logger.atoms
    glogging.Logger.atoms = lambda self, *args: dict(raw)
    try:
        out = ScrubbingLogger.atoms(object.__new__(ScrubbingLogger), None, None, None, None)
    finally:
        glogging.Logger.atoms = original
    assert full not in out["r"] and full not in out["q"] and out["U"] == "/api/v1/members/"
