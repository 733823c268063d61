"""Admin of residents' requests (群众点单) and the compounds' public request pages.

The clerk dispatches from the request's change page or from the list (several at once), with a
due date, through ``services.request_triage`` / ``services.request_dispatch``; a request can be
marked as spam (hidden from the lists and statistics, never deleted). The contact phone is shown
masked only. A compound's public page has a printable QR code.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.admin import ScopedAdminMixin, add_form_errors, admin_page
from members.models import Member, MemberStatus
from organizations.models import Compound, Organization
from organizations.selectors import in_subtree
from projects import export, services
from projects.admin_rows import ResidentRowsAdmin
from projects.models import CompoundIntake, RequestStatus, ResidentRequest, Triage


class SpamFilter(admin.SimpleListFilter):
    title = gettext_lazy("spam")
    parameter_name = "spam"

    def lookups(self, request, model_admin):
        return (("no", _("Not spam")), ("yes", _("Marked as spam")))

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "no") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return queryset.filter(spam=self.value() == "yes")


class DispatchForm(forms.Form):
    triage = forms.ChoiceField(
        label=gettext_lazy("triage"),
        choices=[("", gettext_lazy("keep as it is")), *Triage.choices],
        required=False,
    )
    member = forms.ModelChoiceField(label=gettext_lazy("party member"), queryset=Member.objects.none(), required=False)
    organization = forms.ModelChoiceField(
        label=gettext_lazy("organization (community or branch)"), queryset=Organization.objects.none(), required=False
    )
    department = forms.CharField(label=gettext_lazy("government department"), required=False, max_length=100)
    due_on = forms.DateField(label=gettext_lazy("due on"), widget=forms.DateInput({"type": "date"}))


def _dispatch_choices(form, user, rows) -> None:
    """Members and organizations of the selected requests' communities (inside the user's scope)."""
    communities = {r.compound.community for r in rows}
    q_members = Member.objects.none()
    q_orgs = Organization.objects.none()
    for community in communities:
        q_members = q_members | Member.objects.filter(in_subtree("branch", community))
        q_orgs = q_orgs | Organization.objects.filter(pk=community.pk)
    branches = [r.compound.branch_id for r in rows if r.compound.branch_id]
    q_orgs = q_orgs | Organization.objects.filter(pk__in=branches)
    form.fields["member"].queryset = (
        Member.objects.for_user(user).filter(pk__in=q_members.values("pk"), status=MemberStatus.ACTIVE).order_by("name")
    )
    form.fields["organization"].queryset = Organization.objects.for_user(user).filter(pk__in=q_orgs.values("pk"))


@admin.register(ResidentRequest)
class ResidentRequestAdmin(ResidentRowsAdmin):
    list_display = (
        "id",
        "compound",
        "kind",
        "category",
        "resident_masked",
        "phone_masked",
        "received_on",
        "status",
        "triage",
        "due_on",
        "resolved_on",
        "rating",
    )
    list_filter = (SpamFilter, "status", "triage", "kind", "category", "rating")
    list_select_related = ("compound",)
    date_hierarchy = "received_on"
    exclude = ("photo",)
    readonly_fields = (
        "status",
        "triage",
        "building_unit",
        "phone_masked",
        "photo_link",
        *ResidentRequest.HANDLING_FIELDS,
        "mediation_outcome",
        "rating",
        "score",
        "rating_comment",
        "rated_on",
        "spam",
    )
    actions = ("dispatch_selected", "mark_spam", "unmark_spam", "export_xlsx")
    change_form_template = "admin/projects/residentrequest/change_form.html"

    @admin.display(description=gettext_lazy("photo"))
    def photo_link(self, obj):
        if not obj.photo:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.photo.url, _("View the photo"))

    def get_urls(self):
        return [
            path(
                "dispatch/",
                self.admin_site.admin_view(self.dispatch_view),
                name="projects_residentrequest_dispatch",
            ),
            *super().get_urls(),
        ]

    def dispatch_view(self, request):
        """Triage (if asked) and dispatch the requests in ``?ids=``, all or none."""
        ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.isdigit()][:100]
        rows = list(
            self.get_queryset(request)
            .filter(pk__in=ids, spam=False)
            .select_related("compound__community")
            .order_by("pk")
        )
        if not rows or not self.has_change_permission(request):
            messages.error(request, _("Choose at least one request you may change."))
            return redirect("admin:projects_residentrequest_changelist")
        form = DispatchForm(request.POST or None)
        _dispatch_choices(form, request.user, rows)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    for row in rows:
                        if data["triage"]:
                            row = services.request_triage(request=row, triage=data["triage"])
                        services.request_dispatch(
                            request=row,
                            member=data["member"],
                            organization=data["organization"],
                            department=data["department"],
                            due_on=data["due_on"],
                            dispatched_on=timezone.localdate(),
                        )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("%(n)d request(s) dispatched.") % {"n": len(rows)})
                if len(rows) == 1:
                    return redirect("admin:projects_residentrequest_change", rows[0].pk)
                return redirect("admin:projects_residentrequest_changelist")
        return admin_page(
            self,
            request,
            "admin/projects/residentrequest/dispatch.html",
            title=_("Dispatch resident requests"),
            form=form,
            rows=rows,
        )

    @admin.action(description=gettext_lazy("Triage and dispatch"), permissions=["change"])
    def dispatch_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True)[:100])
        return redirect(reverse("admin:projects_residentrequest_dispatch") + f"?ids={ids}")

    @admin.action(description=gettext_lazy("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        for row in queryset:
            services.request_mark_spam(request=row, spam=True)
        messages.success(request, _("Marked as spam: hidden from the lists and the statistics, not deleted."))

    @admin.action(description=gettext_lazy("Not spam after all"), permissions=["change"])
    def unmark_spam(self, request, queryset):
        for row in queryset:
            services.request_mark_spam(request=row, spam=False)

    export_file, export_title, export_rows = (
        "requests.xlsx",
        gettext_lazy("resident requests"),
        staticmethod(export.request_rows),
    )

    def export_headers(self):
        return [
            _("ID"),
            _("compound"),
            _("request kind"),
            _("category"),
            _("resident"),
            _("description"),
            _("received on"),
            _("status"),
            _("triage"),
            _("assigned to"),
            pgettext("request", "due on"),
            _("resolved on"),
            _("rating"),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_dispatch"] = bool(obj) and obj.status in (
            RequestStatus.SUBMITTED,
            RequestStatus.TRIAGED,
            RequestStatus.DISPATCHED,
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (server-side, no script)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


class IntakeAddForm(forms.ModelForm):
    class Meta:
        model = CompoundIntake
        fields = ("compound",)


@admin.register(CompoundIntake)
class CompoundIntakeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("compound", "created_at", "qr_link")
    list_select_related = ("compound",)
    search_fields = ("compound__name",)
    form = IntakeAddForm
    actions = ("reissue",)

    def get_readonly_fields(self, request, obj=None):
        return ("compound", "created_at", "qr_link") if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "compound":
            kwargs["queryset"] = Compound.objects.for_user(request.user).filter(intake__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = services.intake_for(form.cleaned_data["compound"]).pk

    @admin.display(description=gettext_lazy("QR code"))
    def qr_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:projects_compoundintake_qr", args=[obj.pk]), _("Print")
        )

    @admin.action(description=gettext_lazy("Issue a new code (the printed codes stop working)"), permissions=["change"])
    def reissue(self, request, queryset):
        for intake in queryset.select_related("compound"):
            services.intake_for(intake.compound, reissue=True)

    def get_urls(self):
        return [
            path("<int:pk>/qr/", self.admin_site.admin_view(self.qr_view), name="projects_compoundintake_qr"),
            *super().get_urls(),
        ]

    def qr_view(self, request, pk: int):
        intake = get_object_or_404(self.get_queryset(request).select_related("compound"), pk=pk)
        url = request.build_absolute_uri(reverse("residents:compound", kwargs={"token": intake.token}))
        context = {
            **self.admin_site.each_context(request),
            "title": _("QR code of %(compound)s") % {"compound": intake.compound.name},
            "intake": intake,
            "url": url,
            "svg": mark_safe(qr_svg(url)),
        }
        return TemplateResponse(request, "admin/projects/compoundintake/qr.html", context)
