"""The secretary dashboard lists the open reminders of the branch, and only them."""

import datetime

from django.test import Client

from organizations import services
from organizations.models import Role
from organizations.reminders import run_reminders
from tests.factories import make_user


def test_dashboard_lists_open_reminders_of_the_branch(tree):
    secretary = make_user("sec_a", tree["branch_a"], Role.BRANCH_SECRETARY)
    services.organization_update(organization=tree["branch_a"], term_ends_on=datetime.date(2026, 12, 1))
    services.organization_update(organization=tree["branch_b"], term_ends_on=datetime.date(2026, 12, 2))
    run_reminders(today=datetime.date(2026, 11, 1), send=False)
    client = Client()
    client.force_login(secretary)
    body = client.get(f"/branch/{tree['branch_a'].pk}/").content.decode()
    assert "待办提醒" in body
    assert "A支部" in body and "2026-12-01" in body
    assert "B支部" not in body  # another branch's reminder never shows
