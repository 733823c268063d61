import datetime

import pytest
from django.core.exceptions import ValidationError

from core.periods import Period
from members.appraisal.services import appraisal_result_set, appraisal_session_create, grade_distribution
from members.metrics import appraisal_done
from members.models import AppraisalFollowUp, AppraisalGrade
from members.reminder_rules import appraisal_missing
from organizations.models import Organization
from tests.factories import make_party_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(tree):
    return tree["branch_a"]


def test_results_and_rules(branch, tree):
    session = appraisal_session_create(organization=branch, year=2026, held_on=datetime.date(2026, 1, 20))
    a, b = make_party_member(branch), make_party_member(branch)
    outsider = make_party_member(tree["branch_b"])
    appraisal_result_set(session=session, member=a, grade=AppraisalGrade.EXCELLENT)
    with pytest.raises(ValidationError) as exc:
        appraisal_result_set(session=session, member=outsider, grade=AppraisalGrade.QUALIFIED)
    assert "member" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        appraisal_result_set(session=session, member=b, grade=AppraisalGrade.UNQUALIFIED)
    assert "follow_up" in exc.value.message_dict
    with pytest.raises(ValidationError):
        appraisal_result_set(
            session=session, member=b, grade=AppraisalGrade.QUALIFIED, follow_up=AppraisalFollowUp.CORRECT
        )
    appraisal_result_set(
        session=session,
        member=b,
        grade=AppraisalGrade.UNQUALIFIED,
        follow_up=AppraisalFollowUp.CORRECT,
        follow_up_on=datetime.date(2026, 1, 25),
        follow_up_due=datetime.date(2026, 7, 25),
    )
    counts = grade_distribution([tree["district"]], 2026)
    assert counts[AppraisalGrade.EXCELLENT] == 1 and counts[AppraisalGrade.UNQUALIFIED] == 1
    with pytest.raises(ValidationError):
        appraisal_session_create(organization=branch, year=2026, held_on=datetime.date(2026, 3, 1))


def test_metric_share(branch):
    session = appraisal_session_create(organization=branch, year=2026, held_on=datetime.date(2026, 1, 20))
    a, _b = make_party_member(branch), make_party_member(branch)
    appraisal_result_set(session=session, member=a, grade=AppraisalGrade.QUALIFIED)
    result = appraisal_done(Organization.objects.filter(pk=branch.pk), Period.parse("2026"))
    assert result[branch.pk][0] == 0.5


def test_reminder_from_december(branch, tree):
    assert list(appraisal_missing(today=datetime.date(2026, 11, 30))) == []
    due = {r.subject_id for r in appraisal_missing(today=datetime.date(2026, 12, 1))}
    assert branch.pk in due
    appraisal_session_create(organization=branch, year=2026, held_on=datetime.date(2026, 12, 5))
    due = {r.subject_id for r in appraisal_missing(today=datetime.date(2026, 12, 6))}
    assert branch.pk not in due and tree["branch_b"].pk in due
