import datetime

import pytest

from core.periods import Period
from members.appraisal.services import appraisal_result_set, appraisal_session_create
from members.elections.statistics import appraisal_part, overdue_part
from organizations import services as org_services
from organizations.models import Organization
from tests.factories import make_party_member

pytestmark = pytest.mark.django_db


def test_grades_and_overdue_per_subtree(tree):
    branch = tree["branch_a"]
    session = appraisal_session_create(organization=branch, year=2026, held_on=datetime.date(2026, 1, 20))
    for grade in ("excellent", "qualified", "qualified"):
        appraisal_result_set(session=session, member=make_party_member(branch), grade=grade)
    org_services.organization_update(organization=tree["branch_b"], term_ends_on=datetime.date(2026, 1, 31))
    period = Period.containing(datetime.date(2026, 6, 1), "month")
    nodes = list(Organization.objects.filter(pk__in=[tree["community_a"].pk, tree["street"].pk]).order_by("lft"))
    grades = appraisal_part(nodes, period)
    overdue = overdue_part(nodes, period)
    community, street = tree["community_a"].pk, tree["street"].pk
    assert grades[community]["elections.grade_qualified"] == 2
    assert grades[street]["elections.grade_excellent"] == 1
    assert overdue[community]["elections.overdue"] == 0
    assert overdue[street]["elections.overdue"] == 1
    before = Period.containing(datetime.date(2026, 1, 15), "month")
    assert overdue_part(nodes, before)[street]["elections.overdue"] == 0
    assert (
        appraisal_part(nodes, Period.containing(datetime.date(2025, 6, 1), "month"))[street][
            "elections.grade_qualified"
        ]
        == 0
    )
