"""The admin's "record a 三方联席会议" page: the two steps of the meeting add (branch and date,
then the roll) plus who came for the owners' committee and the property firm, new matters
raised and open matters discussed — recorded by ``services.joint_meeting_record``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.models import Committee, Matter, MatterHandler, PropertyFirm
from committees.models.matters import PENDING_STATUSES
from members.admin.meeting_add import MeetingDetailsForm, lines_field
from organizations.models import Compound


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class JointMeetingForm(MeetingDetailsForm):
    committee = forms.ModelChoiceField(queryset=Committee.objects.none(), required=False, label=_("owners' committee"))
    committee_attendees = lines_field(_("attending for the owners' committee"), _("One name a line."), rows=2)
    firm = forms.ModelChoiceField(queryset=PropertyFirm.objects.none(), required=False, label=_("property firm"))
    firm_attendees = lines_field(_("attending for the property firm"), _("One name a line."), rows=2)
    linked_matters = forms.ModelMultipleChoiceField(
        queryset=Matter.objects.none(), required=False, label=_("open matters discussed")
    )
    compound = forms.ModelChoiceField(
        queryset=Compound.objects.none(), required=False, label=_("compound of the new matters")
    )
    new_matters = lines_field(_("new matters raised"), _("One matter a line."))
    handler = forms.ChoiceField(
        choices=MatterHandler.choices, initial=MatterHandler.COMMUNITY, label=_("new matters taken by")
    )
    due_on = forms.DateField(
        required=False, label=_("new matters due on"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["committee"].queryset = Committee.objects.for_user(user).select_related("compound")
        self.fields["firm"].queryset = PropertyFirm.objects.for_user(user).distinct()
        self.fields["linked_matters"].queryset = Matter.objects.for_user(user).filter(status__in=PENDING_STATUSES)
        self.fields["compound"].queryset = Compound.objects.for_user(user)

    def clean(self):
        data = super().clean()
        if _lines(data.get("new_matters")) and not data.get("compound"):
            self.add_error("compound", _("Choose the compound the new matters concern."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = super().service_kwargs()
        kwargs.pop("kind")
        matter = {"compound": data.get("compound"), "handler": data["handler"], "due_on": data.get("due_on")}
        if data["handler"] == MatterHandler.PROPERTY_FIRM:
            matter["firm"] = data.get("firm")
        return {
            **kwargs,
            "committee": data.get("committee"),
            "firm": data.get("firm"),
            "committee_attendees": _lines(data.get("committee_attendees")),
            "firm_attendees": _lines(data.get("firm_attendees")),
            "matters": [{**matter, "title": title[:200]} for title in _lines(data.get("new_matters"))],
            "linked_matters": list(data.get("linked_matters") or []),
        }
