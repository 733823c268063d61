from io import StringIO

import pytest
from django.core.management import call_command

from members.models import AppraisalResult, AppraisalSession, Election, Position, PositionKind
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_demo_elections_and_appraisals_idempotent():
    call_command("seed_demo", stdout=StringIO())
    branch = Organization.objects.get(code="NA-HYL-JH-HC")
    assert list(Election.objects.filter(organization=branch).values_list("term_number", flat=True)) == [2, 1]
    assert AppraisalSession.objects.count() == 2
    assert AppraisalResult.objects.exists()
    counts = (Election.objects.count(), AppraisalResult.objects.count(), Position.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Election.objects.count(), AppraisalResult.objects.count(), Position.objects.count()) == counts
    # One open secretary: the seeded committee was replaced by the recorded terms.
    open_secretaries = Position.objects.filter(organization=branch, kind=PositionKind.SECRETARY, ended_on=None)
    assert open_secretaries.count() == 1
