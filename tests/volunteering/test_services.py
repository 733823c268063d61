"""Rules of 设岗定责 / 时间银行: points once per confirmed record, reversal through the ledger,
bad input refused naming the field, the member's summary."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.models import PointsEntry, PointsKind
from members.points import award_points
from members.volunteering import services
from members.volunteering.models import ServiceStatus
from tests.factories import PositionFactory
from tests.volunteering.conftest import DAY, record

pytestmark = pytest.mark.django_db


def ledger(member):
    return list(PointsEntry.objects.filter(member=member).values_list("kind", "points", "source_id"))


def test_confirmed_hours_award_points_once_and_point_at_the_record(world):
    entry = record(world["holder"], actor=world["secretary"])
    assert entry.status == ServiceStatus.PENDING
    award_points()
    assert ledger(world["member"]) == []  # pending hours earn nothing
    services.service_confirm(record=entry, actor=world["secretary"])
    services.service_confirm(record=entry, actor=world["secretary"])
    award_points()
    rows = PointsEntry.objects.filter(member=world["member"])
    assert rows.count() == 1
    assert rows.get().kind == PointsKind.SERVICE_HOURS and rows.get().source == entry


def test_resident_volunteer_hours_are_counted_but_earn_no_points(world):
    entry = record(world["resident_holder"], actor=world["secretary"], confirm=True)
    assert entry.status == ServiceStatus.CONFIRMED
    assert PointsEntry.objects.count() == 0


def test_withdrawing_reverses_through_a_correction_and_correcting_replaces(world):
    entry = record(world["holder"], actor=world["secretary"], confirm=True)
    corrected = services.service_correct(
        record=entry, actor=world["secretary"], reason="时长填错", hours=Decimal("1.5")
    )
    entry.refresh_from_db()
    assert entry.status == ServiceStatus.REVOKED and corrected.replaces == entry
    assert corrected.status == ServiceStatus.PENDING and corrected.hours == Decimal("1.5")
    kinds = sorted(ledger(world["member"]))
    assert [(k, p) for k, p, _s in kinds] == [("manual", -1), ("service_hours", 1)]
    services.service_confirm(record=corrected, actor=world["secretary"])
    award_points()
    assert sum(p for _k, p, _s in ledger(world["member"])) == 1
    with pytest.raises(ValidationError) as exc:
        services.service_confirm(record=entry, actor=world["secretary"])
    assert "status" in exc.value.message_dict


@pytest.mark.parametrize("hours", ["0", "-1", "24.5", "abc", "1.25"])
def test_bad_hours_are_refused_naming_the_field(world, hours):
    with pytest.raises(ValidationError) as exc:
        record(world["holder"], hours=hours)
    assert list(exc.value.message_dict) == ["hours"]


def test_at_most_24_hours_a_day_over_all_records(world):
    record(world["holder"], hours="20")
    with pytest.raises(ValidationError) as exc:
        record(world["holder"], hours="5")
    assert "24" in exc.value.message_dict["hours"][0]
    record(world["holder"], hours="4")


def test_a_future_day_or_a_day_before_holding_the_post_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        record(world["holder"], day=DAY + datetime.timedelta(days=1))
    assert "served_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        record(world["holder"], day=datetime.date(2025, 12, 1))


def test_holding_a_post_twice_or_from_another_branch_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.holder_add(post=world["post"], member=world["member"], started_on=DAY)
    assert "已" in exc.value.message_dict["member"][0]
    with pytest.raises(ValidationError) as exc:
        services.holder_add(post=world["post"], volunteer=world["resident"], started_on=DAY)
    assert "volunteer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.holder_add(post=world["post"], member=world["other"], started_on=DAY)
    assert "member" in exc.value.message_dict


def test_post_for_a_compound_of_another_branch_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.post_save(organization=world["branch_b"], compound=world["compound"], kind="patrol")
    assert "compound" in exc.value.message_dict


def test_resident_volunteer_phone_is_encrypted_and_masked(world):
    resident = world["resident"]
    assert resident.phone_masked.startswith("139") and "*" in resident.phone_masked
    assert resident.phone_encrypted and "1398300" not in resident.phone_encrypted
    with pytest.raises(ValidationError) as exc:
        services.volunteer_save(branch=world["branch_a"], name="王大爷", phone="12345")
    assert "phone" in exc.value.message_dict


def test_member_volunteering_summary(world):
    record(world["holder"], actor=world["secretary"], confirm=True, hours="2.5")
    record(world["holder"], actor=world["secretary"], day=DAY - datetime.timedelta(days=1))  # pending
    summary = services.member_volunteering(world["member"], 2026)
    assert [h.post for h in summary["posts"]] == [world["post"]]
    assert summary["hours"] == Decimal("2.5") and summary["records"] == 1
    assert services.member_volunteering(world["member"], 2025)["hours"] == 0


def test_paired_households_need_a_central_household_and_heads_one_per_unit(world):
    from tests.factories import BuildingFactory

    building = BuildingFactory(compound=world["compound"], name="1栋", units=2)
    with pytest.raises(ValidationError) as exc:
        services.paired_household_add(member=world["member"], compound=world["compound"], room="301")
    assert "member" in exc.value.message_dict
    PositionFactory(member=world["member"], kind="central_household")
    pair = services.paired_household_add(
        member=world["member"], compound=world["compound"], building=building, unit="1", room="301"
    )
    assert pair.pk
    services.building_head_assign(building=building, kind="building_head", volunteer=world["resident"])
    services.building_head_assign(building=building, kind="unit_head", unit="1", member=world["member"])
    with pytest.raises(ValidationError) as exc:
        services.building_head_assign(building=building, kind="unit_head", unit="1", volunteer=world["resident"])
    assert "unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.building_head_assign(building=building, kind="unit_head", unit="3", volunteer=world["resident"])
    assert "unit" in exc.value.message_dict
