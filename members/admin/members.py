"""Admin of party members (Chinese UI).

ID numbers and phones are masked everywhere; holders of ``members.view_sensitive_data`` can ask
for the full values on a member's page or in an export, and every such view or export is
written to the access log. Writes go through ``members.services``. The form's fieldsets and the
list's columns come from the member field spec (``members.fields``); the roster pages (import,
template, export, structure check) are in ``roster_views``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import LabelledInlineMixin, ReadOnlyAdminMixin, ScopedAdminMixin, ScopedInlineMixin
from members import fields, selectors, services
from members.admin.filters import MEMBER_LIST_FILTERS, ProbationFilter
from members.admin.forms import EDITABLE, MemberForm, PositionInlineForm
from members.admin.history import MemberHistoryMixin
from members.admin.roster_views import RosterViewsMixin
from members.filtersets import member_search_q
from members.models import Member, MemberEvent, MemberStatus, Position, SensitiveAccessAction
from organizations.quality import QualityFilter


class PositionInline(ScopedInlineMixin, admin.TabularInline):
    model = Position
    form = PositionInlineForm
    extra = 0
    fk_name = "member"


class MemberEventInline(ReadOnlyAdminMixin, LabelledInlineMixin, admin.TabularInline):
    """The member's history: append-only."""

    """The member's history (read-only)."""

    model = MemberEvent
    fk_name = "member"
    extra = 0
    fields = ("occurred_on", "kind", "from_branch", "to_branch", "note", "created_by", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Member)
class MemberAdmin(MemberHistoryMixin, RosterViewsMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = MemberForm
    list_display = (*fields.admin_list_display(), "probation_column")
    # The API's MemberFilterSet filters (same code, same meaning), plus the 转正 lists.
    list_filter = (*MEMBER_LIST_FILTERS[:5], ProbationFilter, *MEMBER_LIST_FILTERS[5:], QualityFilter)
    list_select_related = ("branch", "group")
    # A district has thousands of branches, groups, compounds and buildings: search boxes, not
    # <select>s of every row (the searches go through the scoped admins of those models).
    autocomplete_fields = ("branch", "group", "home_organization", "compound", "building")
    search_fields = ("name",)
    search_help_text = gettext_lazy("Name, or a full phone number / ID number (exact match).")
    readonly_fields = (
        *(f"{key}_masked" for key in fields.SENSITIVE_KEYS),
        *(f.key for f in fields.FIELDS if not f.editable),
        "organizational_life",
        "party_history",
    )
    inlines = (PositionInline, MemberEventInline)
    actions = ("mark_lost_contact", "mark_deceased", "mark_transferred_out", "issue_member_login")
    list_per_page = 50
    # The spec's sections, plus the year's organizational life (统筹计入) and the member's whole
    # story (members.history), shown like the API.
    fieldsets = (
        *fields.admin_fieldsets(),
        (gettext_lazy("Organizational life"), {"fields": ("organizational_life",)}),
        (gettext_lazy("History in the party"), {"fields": ("party_history",)}),
    )

    @admin.display(description=gettext_lazy("Organizational life this year"))
    def organizational_life(self, obj):
        """The year's total with its split (统筹计入) and 失联, as in the API."""
        if obj is None or not obj.pk:
            return ""
        from members.organizational_life import annotate_organizational_life

        row = annotate_organizational_life(Member.objects.filter(pk=obj.pk), year=timezone.localdate().year).get()
        text = _("%(total)d meetings (compound branch %(residence)d, home organization %(home)d)") % {
            "total": row.life_total,
            "residence": row.life_at_residence,
            "home": row.life_at_home,
        }
        return f"{text}{_('; lost contact') if row.lost_contact_due else ''}"

    @admin.display(description=gettext_lazy("Probation"), ordering="probation_due_on")
    def probation_column(self, obj):
        state = selectors.probation_state(obj, today=timezone.localdate())
        if state == "overdue":
            return _("Overdue (due %(date)s)") % {"date": obj.probation_due_on}
        if state == "due":
            return _("Due %(date)s") % {"date": obj.probation_due_on}
        return obj.probation_due_on or ""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(member_search_q(search_term, user=request.user, channel="admin")), False

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["can_view_sensitive"] = selectors.can_view_sensitive(request.user)
        extra_context["query_string"] = request.GET.urlencode()
        return super().changelist_view(request, extra_context)

    # --- writes through the services --------------------------------------------------------
    def save_model(self, request, obj, form, change):
        data, pii = form.cleaned_data, form.pii()
        if not change:
            values = {k: data.get(k) for k in EDITABLE if k in data}
            values["home_organization_name"] = values.get("home_organization_name") or ""
            created = services.member_create(actor=request.user, **values, **pii)
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        changed = {k: data.get(k) for k in form.changed_data if k in EDITABLE}
        if changed or pii:
            fresh = Member.objects.get(pk=obj.pk)
            services.member_update(member=fresh, actor=request.user, **changed, **pii)
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if formset.model is not Position:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.cleaned_data:
                continue
            data = {k: inline_form.cleaned_data.get(k) for k in PositionInlineForm.Meta.fields}
            try:
                if inline_form.instance.pk:
                    position = services.position_update(position=inline_form.instance, **data)
                    formset.changed_objects.append((position, inline_form.changed_data))
                else:
                    member = Member.objects.get(pk=form.instance.pk)
                    formset.new_objects.append(services.position_create(member=member, **data))
            except ValidationError as exc:  # e.g. a position added on the "add member" page
                self.message_user(request, "；".join(exc.messages), messages.ERROR)
        return None

    # --- full data on the change page (permission + access log) ----------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        can = selectors.can_view_sensitive(request.user)
        extra_context["can_view_sensitive"] = can
        if request.method == "GET" and request.GET.get("full") == "1":
            if not can:
                raise PermissionDenied
            member = self.get_object(request, object_id)
            if member is not None:
                services.log_sensitive_access(
                    user=request.user, member_ids=[member.pk], action=SensitiveAccessAction.VIEW, channel="admin"
                )
                extra_context["full_pii"] = selectors.full_pii(member)
            request.GET = request.GET.copy()
            request.GET.pop("full")
        return super().change_view(request, object_id, form_url, extra_context)

    # --- status actions ---------------------------------------------------------------------
    def _each(self, request, queryset, func, **kwargs):
        done = 0
        for member in queryset.filter(status=MemberStatus.ACTIVE):
            try:
                func(member=member, actor=request.user, **kwargs)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{member.name}：{'；'.join(exc.messages)}", messages.ERROR)
        self.message_user(request, _("%(n)d members updated.") % {"n": done})

    @admin.action(description=gettext_lazy("Mark the selected members as lost contact"))
    def mark_lost_contact(self, request, queryset):
        self._each(request, queryset, services.member_mark_lost_contact, lost=True)

    @admin.action(description=gettext_lazy("Mark the selected members as deceased (today)"))
    def mark_deceased(self, request, queryset):
        self._each(request, queryset, services.member_mark_deceased, on=timezone.localdate())

    @admin.action(description=gettext_lazy("Mark the selected members as transferred out (today)"))
    def mark_transferred_out(self, request, queryset):
        self._each(request, queryset, services.member_transfer_out, on=timezone.localdate())

    @admin.action(
        description=gettext_lazy("Open a member login (one-time activation code)"), permissions=["issue_login"]
    )
    def issue_member_login(self, request, queryset):
        """党员端: a new activation code per selected member, shown once here and sent to them."""
        from django.urls import reverse

        from members.portal.accounts import activation_issue

        url = request.build_absolute_uri(reverse("portal:activate"))
        for member in queryset.filter(status=MemberStatus.ACTIVE)[:50]:
            try:
                _row, code = activation_issue(member=member, actor=request.user, activate_url=url)
            except ValidationError as exc:
                self.message_user(request, f"{member.name}：{'；'.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(name)s: activation code %(code)s (shown once), link %(link)s")
                    % {"name": member.name, "code": code, "link": f"{url}?code={code}"},
                )

    def has_issue_login_permission(self, request):
        return request.user.has_perm("members.add_activationcode")
