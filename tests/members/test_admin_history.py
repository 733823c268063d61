"""The admin's history page reads in Chinese: field names of a change are stored as the form shows them."""

import re

from django.contrib.admin.models import LogEntry
from django.test import Client
from django.utils import translation

from members.models import Member
from tests.members.helpers import valid_id

CHANGELIST = "/admin/members/member/"


def _member_form(tree, **extra):
    data = {
        "name": "历史党员",
        "id_number": valid_id(),
        "phone": "13911112223",
        "gender": "female",
        "ethnicity": "01",
        "party_status": "full",
        "occupation_status": "retired",
        "branch": tree["branch_a"].pk,
        "floating_status": "",
        "probation_extension_months": 0,
        "positions-TOTAL_FORMS": 0,
        "positions-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }
    return data | extra


def test_history_names_changed_fields_in_chinese(tree, staff_a):
    staff_a.is_staff = True
    staff_a.save()
    client = Client()
    client.force_login(staff_a)
    response = client.post(f"{CHANGELIST}add/", _member_form(tree))
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get(name="历史党员")
    data = _member_form(tree, employer="区税务局", occupation_status="in_service", id_number="", phone="")
    response = client.post(f"{CHANGELIST}{member.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = LogEntry.objects.filter(object_id=str(member.pk)).order_by("-action_time").first()
    with translation.override("zh-hans"):
        message = entry.get_change_message()
    assert "工作单位" in message and "职业状况" in message, message
    assert not re.search(r"[A-Za-z]{3,}", message), message
    history = client.get(f"{CHANGELIST}{member.pk}/history/").content.decode()
    assert message in history
