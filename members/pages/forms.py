"""Forms of the secretary pages. The attendance checklist, resolutions and guests are
repeated inputs parsed into the plain lists the services take."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import AttendanceStatus, Member


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("held at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    host = MemberChoiceField(label=_("host"), queryset=Member.objects.none(), required=False)
    recorder = MemberChoiceField(label=_("recorder"), queryset=Member.objects.none(), required=False)
    lecturer = forms.CharField(label=_("lecturer"), max_length=100, required=False)
    topic = forms.CharField(label=_("topic"), max_length=200)
    agenda = forms.CharField(label=_("agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["host"].queryset = members
            self.fields["recorder"].queryset = members


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_attendance(post) -> list[dict]:
    """``att_<member id>`` = present / excused / absent, ``reason_<member id>``."""
    rows = []
    for key in post:
        if not key.startswith("att_"):
            continue
        member_id = _int(key[4:])
        status = post.get(key)
        if member_id is None:
            continue
        rows.append(
            {
                "member": member_id,
                "status": status if status in AttendanceStatus.values else AttendanceStatus.PRESENT,
                "reason": post.get(f"reason_{member_id}", "").strip(),
            }
        )
    return rows


def _pick(values, i) -> int:
    """A vote count from the i-th input: blank is 0, anything not a number is -1 (refused)."""
    if i >= len(values) or values[i] == "":
        return 0
    value = _int(values[i])
    return value if value is not None else -1


def parse_resolutions(post, keep_blank: bool = False) -> list[dict]:
    rows = []
    texts = post.getlist("res_text")
    fors, againsts, abstains = post.getlist("res_for"), post.getlist("res_against"), post.getlist("res_abstain")
    for i, text in enumerate(texts):
        if not text.strip() and not keep_blank:
            continue
        rows.append(
            {
                "text": text.strip(),
                "votes_for": _pick(fors, i),
                "votes_against": _pick(againsts, i),
                "votes_abstain": _pick(abstains, i),
            }
        )
    if keep_blank:
        rows = [r for r in rows if r["text"]]
    return rows


def parse_guests(post) -> list[dict]:
    names, affiliations = post.getlist("guest_name"), post.getlist("guest_affiliation")
    return [
        {"name": name.strip(), "affiliation": (affiliations[i] if i < len(affiliations) else "").strip()}
        for i, name in enumerate(names)
        if name.strip()
    ]
