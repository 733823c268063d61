"""Admin of party members and positions (Chinese UI).

ID numbers and phones are masked everywhere; holders of ``members.view_sensitive_data`` can ask
for the full values on a member's page or in an export, and every such view or export is
written to the access log. Writes go through ``members.services``; the import page runs the
all-or-nothing importer with a dry-run preview first.
"""

from __future__ import annotations

import copy
import os
import secrets
import tempfile

from cryptography.fernet import InvalidToken
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import crypto, importing, selectors, services
from members.filtersets import MemberFilterSet, member_search_q
from members.models import (
    ManagementMode,
    Member,
    MemberEvent,
    MemberStatus,
    OccupationStatus,
    PartyStatus,
    Position,
    SensitiveAccessAction,
    SensitiveAccessLog,
)
from organizations.admin_base import (
    FilterSetListFilter,
    ScopedAdminMixin,
    ScopedInlineMixin,
    add_form_errors,
    scope_tree_choices,
)
from organizations.models import Organization, OrganizationKind

EDITABLE = [f for f in services.MEMBER_FIELDS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MemberForm(forms.ModelForm):
    """The member form: ID number and phone are separate inputs (never a model field) that
    the services validate, encrypt and hash; the rules run before saving so errors show here."""

    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("18 characters. Leave empty to keep the stored one."),
    )
    phone = forms.CharField(
        label=gettext_lazy("phone"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("Mobile number. Leave empty to keep the stored one."),
    )

    class Meta:
        model = Member
        fields = EDITABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].required = False
        if self.instance.pk:
            self.fields["id_number"].widget.attrs["placeholder"] = self.instance.id_number_masked
            self.fields["phone"].widget.attrs["placeholder"] = self.instance.phone_masked

    def pii(self) -> dict[str, str]:
        data = self.cleaned_data
        return {k: data[k] for k in ("id_number", "phone") if data.get(k)}

    def clean(self):
        data = super().clean()
        candidate = copy.copy(self.instance)
        for name in EDITABLE:
            if name in data:
                value = data[name]
                setattr(candidate, name, "" if value is None and name == "home_organization_name" else value)
        if not data.get("id_number") and not self.instance.pk:
            self.add_error("id_number", _("This field is required."))
            return data
        try:
            services.validate_member(candidate, **self.pii())
        except ValidationError as exc:
            add_form_errors(self, exc)
        else:
            # Filled from the ID number when left empty.
            data["gender"], data["birth_date"] = candidate.gender, candidate.birth_date
        return data


class PositionInlineForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ("organization", "kind", "started_on", "ended_on")

    def clean(self):
        data = super().clean()
        member = self.instance.member if self.instance.member_id else None
        if member is not None and data.get("organization") and data.get("kind") and data.get("started_on"):
            candidate = copy.copy(self.instance)
            for name in self.Meta.fields:
                setattr(candidate, name, data.get(name))
            try:
                services.validate_position(candidate)
            except ValidationError as exc:
                add_form_errors(self, exc)
        return data


class PositionInline(ScopedInlineMixin, admin.TabularInline):
    model = Position
    form = PositionInlineForm
    extra = 0
    fk_name = "member"


class MemberEventInline(admin.TabularInline):
    """The member's history (read-only)."""

    model = MemberEvent
    fk_name = "member"
    extra = 0
    fields = ("occurred_on", "kind", "from_branch", "to_branch", "note", "created_by", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # history is append-only

    def has_change_permission(self, request, obj=None):
        return False


class _MemberFilter(FilterSetListFilter):
    """Sidebar filters of the member list: the ``MemberFilterSet`` filters of the API."""

    filterset_class = MemberFilterSet
    options: list = []

    def lookups(self, request, model_admin):
        return self.options


def _member_filter(name: str, title, choices) -> type[_MemberFilter]:
    return type(
        f"Member{name.title().replace('_', '')}Filter",
        (_MemberFilter,),
        {
            "parameter_name": name,
            "title": title,
            "options": choices,
        },
    )


YES_NO = [("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]


class MemberSubtreeFilter(_MemberFilter):
    """Members anywhere under a street or community (by branch or home organization)."""

    title = gettext_lazy("organization subtree")
    parameter_name = "org"

    def lookups(self, request, model_admin):
        return scope_tree_choices(request)


class MemberBranchFilter(_MemberFilter):
    """Compound branches of the scope, narrowed to the chosen subtree."""

    title = gettext_lazy("compound branch")
    parameter_name = "branch_id"

    def lookups(self, request, model_admin):
        branches = Organization.objects.for_user(request.user).filter(kind=OrganizationKind.BRANCH)
        org = request.GET.get("org", "")
        node = Organization.objects.for_user(request.user).filter(pk=org).first() if org.isdigit() else None
        if node is not None:
            branches = branches.filter(tree_id=node.tree_id, lft__gte=node.lft, lft__lte=node.rght)
        return [(o.pk, o.name) for o in branches.order_by("tree_id", "lft").only("name")[:500]]


class MemberGroupFilter(_MemberFilter):
    """The building groups of the chosen branch (shown once a branch is chosen)."""

    title = gettext_lazy("building group")
    parameter_name = "group_id"

    def lookups(self, request, model_admin):
        branch = request.GET.get("branch_id", "")
        if not branch.isdigit():
            return []
        groups = Organization.objects.for_user(request.user).filter(parent_id=branch, kind=OrganizationKind.GROUP)
        return [(o.pk, o.name) for o in groups.order_by("lft").only("name")]


MEMBER_LIST_FILTERS = (
    MemberSubtreeFilter,
    MemberBranchFilter,
    MemberGroupFilter,
    _member_filter("party_status", gettext_lazy("party status"), PartyStatus.choices),
    _member_filter("occupation_status", gettext_lazy("occupation status"), OccupationStatus.choices),
    _member_filter("floating", gettext_lazy("floating"), YES_NO),
    _member_filter("reported", gettext_lazy("Reported to the compound"), YES_NO),
    _member_filter("lost_contact", gettext_lazy("lost contact"), YES_NO),
    _member_filter("management_mode", gettext_lazy("management mode"), ManagementMode.choices),
    _member_filter("status", gettext_lazy("status"), MemberStatus.choices),
)


class ProbationFilter(admin.SimpleListFilter):
    title = gettext_lazy("Probation")
    parameter_name = "probation"

    def lookups(self, request, model_admin):
        days = settings.PROBATION_DUE_SOON_DAYS  # the one 即将转正 window
        return (("due", _("Due for full membership within %(days)d days") % {"days": days}), ("overdue", _("Overdue")))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return selectors.probation_due_soon(queryset, today=today)
        if self.value() == "overdue":
            return selectors.probation_overdue(queryset, today=today)
        return queryset


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = MemberForm
    list_display = (
        "name",
        "gender",
        "branch",
        "group",
        "party_status",
        "occupation_status",
        "id_number_masked",
        "phone_masked",
        "management_mode",
        "probation_column",
        "reported_on",
        "floating_status",
        "lost_contact",
        "status",
    )
    # The API's MemberFilterSet filters (same code, same meaning), plus the 转正 lists.
    list_filter = (*MEMBER_LIST_FILTERS[:5], ProbationFilter, *MEMBER_LIST_FILTERS[5:])
    list_select_related = ("branch", "group")
    search_fields = ("name",)
    search_help_text = gettext_lazy("Name, or a full phone number / ID number (exact match).")
    readonly_fields = (
        "id_number_masked",
        "phone_masked",
        "probation_due_on",
        "management_mode",
        "status",
        "status_changed_on",
        "organizational_life",
    )
    inlines = (PositionInline, MemberEventInline)
    actions = ("mark_lost_contact", "mark_deceased", "mark_transferred_out")
    list_per_page = 50
    fieldsets = (
        (
            gettext_lazy("Personal data"),
            {
                "fields": (
                    "name",
                    "gender",
                    "ethnicity",
                    "birth_date",
                    ("id_number", "id_number_masked"),
                    ("phone", "phone_masked"),
                    "education",
                )
            },
        ),
        (
            gettext_lazy("Party membership"),
            {
                "fields": (
                    "party_status",
                    "admitted_on",
                    "full_member_on",
                    "probation_extension_months",
                    "probation_due_on",
                    "branch",
                    "group",
                    "home_organization",
                    "home_organization_name",
                )
            },
        ),
        (
            gettext_lazy("Residence and work"),
            {"fields": ("occupation_status", "employer", "reported_on", "compound", "building", "unit", "room")},
        ),
        (
            gettext_lazy("Situation"),
            {
                "fields": (
                    "floating_status",
                    "floating_to",
                    "floating_since",
                    "lost_contact",
                    "lost_contact_since",
                    "management_mode",
                    "status",
                    "status_changed_on",
                    "organizational_life",
                    "note",
                )
            },
        ),
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
        return queryset.filter(member_search_q(search_term)), False

    # --- writes through the services --------------------------------------------------------
    def save_model(self, request, obj, form, change):
        data, pii = form.cleaned_data, form.pii()
        if not change:
            fields = {k: data.get(k) for k in EDITABLE if k in data}
            fields["home_organization_name"] = fields.get("home_organization_name") or ""
            created = services.member_create(actor=request.user, **fields, **pii)
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

    # --- extra pages ------------------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="members_member_import"),
            path("import/template/", wrap(self.template_view), name="members_member_import_template"),
            path("export/", wrap(self.export_view), name="members_member_export"),
            path("structure/", wrap(self.structure_view), name="members_member_structure"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["can_view_sensitive"] = selectors.can_view_sensitive(request.user)
        extra_context["query_string"] = request.GET.urlencode()
        return super().changelist_view(request, extra_context)

    def template_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(importing.template_workbook(), content_type=XLSX)
        response["Content-Disposition"] = (
            "attachment; filename*=UTF-8''%E5%85%9A%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
        )
        return response

    def export_view(self, request):
        """The current filtered list as .xlsx; ``full=1`` unmasks (permission, logged)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        unmask = request.GET.get("full") == "1"
        if unmask and not (
            selectors.can_view_sensitive(request.user) and request.user.has_perm("members.export_member")
        ):
            raise PermissionDenied
        request.GET = request.GET.copy()
        request.GET.pop("full", None)
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request).select_related("home_organization")
        members = list(queryset)
        if unmask:
            services.log_sensitive_access(
                user=request.user,
                member_ids=[m.pk for m in members],
                action=SensitiveAccessAction.EXPORT,
                channel="admin",
            )
        response = HttpResponse(importing.export_workbook(members, unmask=unmask), content_type=XLSX)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="members-{stamp}.xlsx"'
        return response

    def import_view(self, request):
        """Step 1: upload → dry-run preview with every error; step 2: confirm → save all."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import party members"),
        }
        stash = request.session.get("member_import")
        if request.method == "POST" and request.POST.get("confirm") and stash:
            data = _read_stash(stash["token"])
            if data is None:
                self.message_user(request, _("The uploaded file has expired; upload it again."), messages.ERROR)
                return HttpResponseRedirect(request.path)
            try:
                report = importing.import_members(
                    data=data, filename=stash["filename"], user=request.user, update_existing=stash["update"]
                )
            except importing.ImportFileError as exc:
                report, context["file_error"] = None, str(exc)
            if report is not None and report.saved:
                _drop_stash(stash["token"])
                del request.session["member_import"]
                self.message_user(
                    request,
                    _("Imported: %(created)d created, %(updated)d updated.")
                    % {"created": report.created, "updated": report.updated},
                )
                return HttpResponseRedirect(reverse("admin:members_member_changelist"))
            context["report"] = report
        elif request.method == "POST" and request.FILES.get("file"):
            upload = request.FILES["file"]
            data = upload.read()
            update = bool(request.POST.get("update_existing"))
            try:
                report = importing.import_members(
                    data=data, filename=upload.name, user=request.user, dry_run=True, update_existing=update
                )
                context["report"] = report
                if report.ok:
                    token = secrets.token_hex(16)
                    with open(_stash_path(token), "wb") as fh:
                        fh.write(crypto.fernet().encrypt(data))  # the roster holds plain ID numbers
                    request.session["member_import"] = {"token": token, "filename": upload.name, "update": update}
            except importing.ImportFileError as exc:
                context["file_error"] = str(exc)
            context["filename"] = upload.name
        report = context.get("report")
        if report is not None:
            context["shown_errors"] = report.errors[:500]
        return TemplateResponse(request, "admin/members/member/import.html", context)

    def structure_view(self, request):
        """Every branch in the user's scope with its structure warnings (支部工作条例)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        active = Q(resident_members__status=MemberStatus.ACTIVE)
        branches = (
            Organization.objects.for_user(request.user)
            .filter(kind=OrganizationKind.BRANCH)
            .select_related("parent")
            .annotate(
                total=Count("resident_members", filter=active),
                full=Count("resident_members", filter=active & Q(resident_members__party_status=PartyStatus.FULL)),
            )
            .order_by("tree_id", "lft")
        )
        warnings = selectors.branch_structure_warnings(branches, today=today)
        only = request.GET.get("only") == "warnings"
        rows = [(b, warnings.get(b.pk, [])) for b in branches if not only or warnings.get(b.pk)]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Branch structure check"),
            "rows": rows,
            "only": only,
            "flagged": sum(1 for b in warnings.values() if b),
        }
        return TemplateResponse(request, "admin/members/member/structure.html", context)


def _stash_path(token: str) -> str:
    return os.path.join(tempfile.gettempdir(), f"member-import-{token}")


def _read_stash(token: str) -> bytes | None:
    try:
        with open(_stash_path(token), "rb") as fh:
            return crypto.fernet().decrypt(fh.read(), ttl=3600)
    except (OSError, ValueError, InvalidToken):
        return None


def _drop_stash(token: str) -> None:
    try:
        os.remove(_stash_path(token))
    except OSError:
        pass


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ("member", "organization", "kind", "started_on", "ended_on")

    def clean(self):
        data = super().clean()
        if all(data.get(k) for k in ("member", "organization", "kind", "started_on")):
            candidate = copy.copy(self.instance)
            for name in self.Meta.fields:
                setattr(candidate, name, data.get(name))
            try:
                services.validate_position(candidate)
            except ValidationError as exc:
                add_form_errors(self, exc)
        return data


@admin.register(Position)
class PositionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = PositionForm
    list_display = ("member", "organization", "kind", "started_on", "ended_on")
    list_filter = ("kind", "organization")
    list_select_related = ("member", "organization")
    search_fields = ("member__name", "organization__name")
    autocomplete_fields = ()
    raw_id_fields = ("member",)

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data.get(k) for k in PositionForm.Meta.fields}
        if change:
            services.position_update(position=Position.objects.get(pk=obj.pk), **data)
        else:
            obj.pk = services.position_create(**data).pk
        obj.refresh_from_db()


@admin.register(SensitiveAccessLog)
class SensitiveAccessLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Who saw or exported personal data in full (read-only)."""

    list_display = ("accessed_at", "user", "member", "action", "channel")
    list_filter = ("action", "channel")
    list_select_related = ("user", "member")
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
