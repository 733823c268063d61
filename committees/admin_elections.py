"""Admin of body elections (业委会 and the other bodies' 换届): a scoped read-only list with the
candidates, and an "add" page (the election's figures and one row per candidate) recorded
through ``committees.elections.committee_election_record``; a broken rule is a form error and
nothing is saved."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from committees.elections import BodyCandidate, committee_election_record
from committees.models import CommitteeElection, CommitteeElectionCandidate, CommitteeKind, SeatRole
from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin, add_form_errors, admin_page
from members.models import ElectionMethod, Member
from organizations.models import Compound

DATE = forms.DateInput({"type": "date"})


class BodyElectionForm(forms.Form):
    compound = forms.ModelChoiceField(queryset=Compound.objects.none(), label=_("compound"))
    kind = forms.ChoiceField(choices=CommitteeKind.choices, initial=CommitteeKind.OWNERS, label=_("kind of body"))
    term_number = forms.IntegerField(min_value=1, label=_("term number"))
    held_on = forms.DateField(label=_("election date"), widget=DATE)
    method = forms.ChoiceField(choices=ElectionMethod.choices, label=_("election method"))
    seats = forms.IntegerField(min_value=1, label=pgettext_lazy("election", "seats"))
    voters_entitled = forms.IntegerField(min_value=0, label=_("voters entitled"))
    voters_present = forms.IntegerField(min_value=0, label=_("voters present"))
    term_ends_on = forms.DateField(required=False, label=_("term end"), widget=DATE)
    filed_on = forms.DateField(required=False, label=_("filed with the street on"), widget=DATE)


class BodyCandidateForm(forms.Form):
    name = forms.CharField(max_length=50, required=False, label=_("candidate"))
    member = forms.ModelChoiceField(queryset=Member.objects.none(), required=False, label=_("party member record"))
    votes = forms.IntegerField(min_value=0, label=_("votes"))
    role = forms.ChoiceField(
        choices=[("", "---------"), *SeatRole.choices], required=False, label=pgettext_lazy("seat", "role")
    )


BodyCandidateFormSet = forms.formset_factory(BodyCandidateForm, extra=7, min_num=1, validate_min=True)


def body_election_add_view(model_admin, request):
    user = request.user
    form = BodyElectionForm(request.POST or None)
    form.fields["compound"].queryset = Compound.objects.for_user(user)
    formset = BodyCandidateFormSet(request.POST or None, prefix="candidates")
    for row in formset.forms:
        row.fields["member"].queryset = Member.objects.for_user(user).active()
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        candidates = [
            BodyCandidate(
                name=row.cleaned_data.get("name", ""),
                votes=row.cleaned_data["votes"],
                role=row.cleaned_data.get("role", ""),
                member=row.cleaned_data.get("member"),
            )
            for row in formset.forms
            if row.cleaned_data.get("name") or row.cleaned_data.get("member")
        ]
        try:
            election = committee_election_record(candidates=candidates, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, gettext("The election was recorded."))
            return redirect("admin:committees_committeeelection_change", election.pk)
    return admin_page(
        model_admin,
        request,
        "admin/members/election/record.html",
        title=gettext("Record a body election"),
        form=form,
        formset=formset,
    )


class BodyCandidateInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CommitteeElectionCandidate
    fields = ("name", "member", "votes", "role")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(CommitteeElection)
class CommitteeElectionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("compound", "kind", "term_number", "held_on", "method", "seats", "voters_present", "filed_on")
    list_filter = ("kind", "method", "held_on")
    search_fields = ("compound__name",)
    list_select_related = ("compound",)
    inlines = (BodyCandidateInline,)
    readonly_fields = (
        "compound",
        "kind",
        "term_number",
        "held_on",
        "method",
        "seats",
        "voters_entitled",
        "voters_present",
        "filed_on",
        "committee",
    )

    def has_change_permission(self, request, obj=None):
        return False  # a recorded election is history

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return body_election_add_view(self, request)
