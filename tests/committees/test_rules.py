"""Bad input is refused with a Chinese message and nothing half-saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from committees import services
from committees.models import Committee, FeeCollection, Matter, Seat, ServiceContract
from tests.committees.helpers import D, compound, contract, firm, member, owners_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(tree):
    return compound(tree["community_a"], branch=tree["branch_a"])


def _zh(exc, field):
    message = exc.value.message_dict[field][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    return message


def test_term_end_before_election_refused(place):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.committee_save(
            compound=place,
            kind="owners_committee",
            elected_on=D(2024, 5, 1),
            term_ends_on=D(2024, 4, 1),
            status="active",
        )
    _zh(exc, "term_ends_on")
    assert not Committee.objects.exists()


def test_elected_body_needs_election_date(place):
    with pytest.raises(ValidationError) as exc:
        services.committee_save(compound=place, kind="owners_committee", status="active")
    assert "elected_on" in exc.value.message_dict


def test_second_active_body_of_a_kind_refused(place):
    owners_committee(place, term=1)
    with pytest.raises(ValidationError) as exc:
        owners_committee(place, term=2)
    assert "status" in exc.value.message_dict
    owners_committee(place, term=2, status="forming")  # a forming successor is fine


def test_seat_ending_before_start_refused(place):
    body = owners_committee(place)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.seat_save(committee=body, holder_name="张三", started_on=D(2024, 2, 1), ended_on=D(2024, 1, 1))
    _zh(exc, "ended_on")
    assert not Seat.objects.exists()


def test_party_member_seat_outside_community_refused(tree, place):
    body = owners_committee(place)
    outsider = member(tree["branch_b"], name="外社区党员")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.seat_save(committee=body, member=outsider, started_on=D(2024, 1, 1))
    assert "外社区党员" in _zh(exc, "member")
    assert not Seat.objects.exists()


def test_member_registered_in_community_accepted_and_counts_as_party(tree, place):
    body = owners_committee(place)
    # Lives in B's branch but the organizational relationship sits in A's branch (兼合式).
    registered = member(tree["branch_b"], name="双管党员", home_organization=tree["branch_a"])
    seat = services.seat_save(committee=body, member=registered, started_on=D(2024, 1, 1))
    assert seat.is_party_member and seat.holder_name == "双管党员"


def test_body_with_seats_is_all_or_nothing(tree, place):
    outsider = member(tree["branch_b"])
    with pytest.raises(ValidationError):
        services.committee_with_seats_save(
            compound=place,
            kind="owners_committee",
            elected_on=D(2024, 1, 1),
            term_ends_on=D(2029, 1, 1),
            status="active",
            seats=[
                {"role": "chair", "holder_name": "甲", "started_on": D(2024, 1, 1)},
                {"role": "member", "member": outsider, "started_on": D(2024, 1, 1)},
            ],
        )
    assert not Committee.objects.exists() and not Seat.objects.exists()


def test_overlapping_contracts_of_two_firms_refused(place):
    first, second = firm("甲物业"), firm("乙物业")
    contract(first, place, D(2020, 1, 1), D(2023, 12, 31))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        contract(second, place, D(2023, 6, 1))
    assert "甲物业" in _zh(exc, "started_on")
    contract(second, place, D(2024, 1, 1))  # right after: fine
    with pytest.raises(ValidationError):
        contract(first, place, D(2030, 1, 1))  # the open-ended one runs forever
    assert ServiceContract.objects.count() == 2


def test_contract_ending_before_start_refused(place):
    with pytest.raises(ValidationError) as exc:
        contract(firm(), place, D(2024, 1, 1), D(2023, 1, 1))
    assert "ended_on" in exc.value.message_dict


def test_red_property_needs_party_organization_name():
    with pytest.raises(ValidationError) as exc:
        firm(has_party_organization=True)
    assert "party_organization_name" in exc.value.message_dict


def test_fee_collection_needs_a_contract_and_gives_rate(place):
    f = firm()
    with pytest.raises(ValidationError) as exc:
        services.fee_collection_save(compound=place, firm=f, year=2024, month=3, amount_due=100, amount_collected=90)
    assert "firm" in exc.value.message_dict
    contract(f, place, D(2024, 3, 15))
    row = services.fee_collection_save(
        compound=place, firm=f, year=2024, month=3, amount_due=Decimal("200"), amount_collected=Decimal("173")
    )
    assert row.rate == Decimal("0.8650")
    assert FeeCollection.objects.count() == 1


def test_evaluation_total_and_limits(place):
    f = firm()
    contract(f, place, D(2024, 1, 1))
    ev = services.evaluation_save(
        firm=f,
        compound=place,
        year=2024,
        quarter=2,
        evaluator_kind="residents",
        score_service=20,
        score_environment=18,
        score_security=17,
        score_maintenance=16,
        score_responsiveness=12,
    )
    assert ev.total == 83
    with pytest.raises(ValidationError) as exc:
        services.evaluation_save(
            firm=f, compound=place, year=2024, quarter=3, evaluator_kind="residents", score_service=26
        )
    assert "score_service" in exc.value.message_dict


def test_matter_rules(place):
    base = dict(compound=place, title="议题", raised_by="居民", raised_on=D(2024, 5, 1), today=D(2024, 6, 1))
    with pytest.raises(ValidationError) as exc:
        services.matter_save(handler="property_firm", **base)
    assert "firm" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.matter_save(handler="community", due_on=D(2024, 4, 1), **base)
    assert "due_on" in exc.value.message_dict
    matter = services.matter_save(handler="community", due_on=D(2024, 5, 20), **base)
    with pytest.raises(ValidationError) as exc:
        services.matter_save(matter=matter, status="resolved", today=D(2024, 6, 1))
    assert "outcome" in exc.value.message_dict
    matter.refresh_from_db()
    assert matter.status == "open"
    assert list(Matter.objects.overdue(D(2024, 6, 1))) == [matter]
    services.matter_save(matter=matter, status="resolved", outcome="已解决", today=D(2024, 6, 1))
    matter.refresh_from_db()
    assert matter.resolved_on == D(2024, 6, 1)
    assert not Matter.objects.overdue(D(2024, 6, 1)).exists()


def test_candidate_check_against_negative_list(place):
    from committees.models import NegativeListItem

    owes = NegativeListItem.objects.create(code="FM01", reason="拖欠物业费")
    retired = NegativeListItem.objects.create(code="FM09", reason="已废止条款", active=False)
    ok = services.candidate_check_record(compound=place, candidate_name="甲", checked_on=D(2024, 1, 1))
    bad = services.candidate_check_record(
        compound=place, candidate_name="乙", checked_on=D(2024, 1, 1), matched_items=[owes]
    )
    old = services.candidate_check_record(
        compound=place, candidate_name="丙", checked_on=D(2024, 1, 1), matched_items=[retired]
    )
    assert ok.passed and not bad.passed and old.passed
