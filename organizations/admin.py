"""Chinese admin for the tree, compounds, buildings, venues and access scopes."""

from django import forms, http
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from mptt.admin import DraggableMPTTAdmin

from core.admin import ScopedAdminMixin, ScopedInlineMixin, add_form_errors
from core.registry import ADMIN_ACTIONS, ADMIN_OBJECT_TOOLS, CUMULATIVE_COUNTS
from organizations import services
from organizations.admin_district import DistrictDataAdminMixin
from organizations.models import AccessScope, Building, Compound, Organization, TermLength, Venue
from organizations.quality import QualityFilter
from organizations.quality.admin_view import DataQualityAdminMixin
from organizations.selectors import attach_cumulative_counts, contains


class OrganizationForm(forms.ModelForm):
    """Checks the tree rules up front so the admin shows them as form errors."""

    class Meta:
        model = Organization
        fields = (
            "name",
            "code",
            "kind",
            "formation",
            "parent",
            "established_on",
            "elected_on",
            "term_ends_on",
            "phone",
            "address",
        )

    actor = None  # the request user, set by OrganizationAdmin.get_form

    def clean(self):
        data = super().clean()
        kind, parent = data.get("kind"), data.get("parent")
        if self.instance.pk and kind and kind != self.instance.kind:
            self.add_error("kind", _("The kind of an organization cannot change."))
            return data
        if kind:
            try:
                if not self.instance.pk or "parent" in self.changed_data:
                    services.check_parent_in_scope(actor=self.actor, parent=parent)
                services.validate_parent(node_name=data.get("name") or "", kind=kind, parent=parent)
                node = self.instance
                if node.pk and parent is not None and contains(node, parent):
                    raise ValidationError(
                        {
                            "parent": _("Cannot move “%(node)s” into “%(target)s”: it lies inside “%(node)s” itself.")
                            % {"node": node.name, "target": parent.name}
                        }
                    )
            except ValidationError as exc:
                add_form_errors(self, exc)
        return data


def _count_column(attr, label):
    def column(obj):
        return getattr(obj, attr, 0)

    column.short_description = label
    return column


@admin.register(Organization)
class OrganizationAdmin(DataQualityAdminMixin, ScopedAdminMixin, DraggableMPTTAdmin):
    """The tree: drag-and-drop moves and the parent field both go through the locked services."""

    form = OrganizationForm
    list_display_links = ("indented_title",)
    list_filter = ("kind", "formation", QualityFilter)
    search_fields = ("name", "code")
    actions = ("dissolve_today", "restore_dissolved")
    mptt_level_indent = 24
    expand_tree_by_default = True

    class Media:
        css = {"all": ("organizations/admin-tree.css",)}

    list_per_page = 200
    change_form_template = "admin/organizations/organization/change_form.html"

    def get_actions(self, request):
        """Own actions plus those higher apps registered (``registry.register_admin_action``)."""
        actions = super().get_actions(request)
        for func in ADMIN_ACTIONS.get("organizations.organization", ()):
            if all(request.user.has_perm(f"organizations.{p}_organization") for p in func.allowed_permissions):
                actions[func.__name__] = (func, func.__name__, func.short_description)
        return actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Buttons higher apps registered for a node (``registry.register_admin_object_tool``)."""
        obj = self.get_object(request, object_id)
        tools = []
        for tool in ADMIN_OBJECT_TOOLS.get("organizations.organization", ()):
            url = tool.url(obj)
            if url:
                tools.append({"label": tool.label, "url": url})
        extra_context = {**(extra_context or {}), "extra_object_tools": tools}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)

        class CountingChangeList(base):
            """Attach the subtree counts to the displayed page: one query per count."""

            def get_results(self, request):
                super().get_results(request)
                attach_cumulative_counts(self.result_list)

        return CountingChangeList

    def get_list_display(self, request):
        columns = ["tree_actions", "indented_title", "kind", "formation", "code"]
        for attr, spec in CUMULATIVE_COUNTS.items():
            columns.append(_count_column(attr, spec.label))
        columns.append("dissolved_on")
        return columns

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.organization_create(
                actor=request.user,
                name=data["name"],
                code=data["code"],
                kind=data["kind"],
                parent=data.get("parent"),
                formation=data.get("formation") or "",
                established_on=data.get("established_on"),
                elected_on=data.get("elected_on"),
                term_ends_on=data.get("term_ends_on"),
                phone=data.get("phone") or "",
                address=data.get("address") or "",
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        plain = {
            f: data.get(f)
            for f in ("name", "code", "formation", "established_on", "elected_on", "term_ends_on", "phone", "address")
            if f in form.changed_data
        }
        if plain:
            services.organization_update(organization=obj, **plain)
        if "parent" in form.changed_data:
            services.organization_move(
                organization=obj, target=data.get("parent"), position="last-child", actor=request.user
            )
        obj.refresh_from_db()

    def _move_node(self, request):
        """Drag-and-drop from the tree list, routed through ``organization_move``."""
        position = request.POST.get("position")
        queryset = self.get_queryset(request)
        try:
            node = queryset.get(pk=request.POST.get("cut_item"))
            target = queryset.get(pk=request.POST.get("pasted_on"))
        except (Organization.DoesNotExist, TypeError, ValueError):
            self.message_user(request, _("The organization no longer exists; reload the page."), messages.ERROR)
            return http.HttpResponse("FAIL, invalid objects.")
        if not self.has_change_permission(request, node):
            self.message_user(request, _("You may not change this organization."), messages.ERROR)
            return http.HttpResponse("FAIL, no permission.")
        try:
            services.organization_move(organization=node, target=target, position=position, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return http.HttpResponse("FAIL, invalid move.")
        self.message_user(request, _("“%s” has been moved.") % node.name)
        return http.HttpResponse("OK")

    @admin.action(description=gettext_lazy("Dissolve the selected organizations (today)"))
    def dissolve_today(self, request, queryset):
        today = timezone.localdate()
        done = 0
        for node in queryset.order_by("-level"):
            try:
                services.organization_dissolve(organization=node, dissolved_on=today)
                done += 1
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        if done:
            self.message_user(request, _("%d organizations dissolved.") % done)

    @admin.action(description=gettext_lazy("Restore the selected dissolved organizations"))
    def restore_dissolved(self, request, queryset):
        done = 0
        for node in queryset.filter(dissolved_on__isnull=False).order_by("level"):
            try:
                services.organization_restore(organization=node)
                done += 1
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
        if done:
            self.message_user(request, _("%d organizations restored.") % done)


class CompoundForm(forms.ModelForm):
    class Meta:
        model = Compound
        fields = ("name", "kind", "community", "branch", "address", "households", "building_count", "built_year")

    def clean(self):
        data = super().clean()
        if data.get("community") is not None:
            probe = Compound(
                pk=self.instance.pk, name=data.get("name") or "", community=data["community"], branch=data.get("branch")
            )
            try:
                services.validate_compound(probe)
            except ValidationError as exc:
                add_form_errors(self, exc)
        return data


class BuildingFormSet(forms.BaseInlineFormSet):
    """Checks each building's group against the compound being saved, so a group of another
    branch is a form error on its row (raised in ``save_formset`` it escaped as a 500)."""

    def clean(self):
        super().clean()
        for row in self.forms:
            data = getattr(row, "cleaned_data", None) or {}
            if not data.get("group") or data.get("DELETE"):
                continue
            probe = Building(compound=self.instance, group=data["group"], name=data.get("name") or "")
            try:
                services.validate_building(probe)
            except ValidationError as exc:
                add_form_errors(row, exc)


class BuildingInline(ScopedInlineMixin, admin.TabularInline):
    model = Building
    formset = BuildingFormSet
    extra = 0
    fields = ("name", "units", "households", "group")


@admin.register(Compound)
class CompoundAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = CompoundForm
    list_display = ("name", "kind", "community", "branch", "households", "building_count")
    list_filter = ("kind", "community", "branch", QualityFilter)
    search_fields = ("name", "address")
    list_select_related = ("community", "branch")
    autocomplete_fields = ("community", "branch")
    inlines = (BuildingInline,)


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = ("compound", "name", "units", "households", "group")

    def clean(self):
        data = super().clean()
        if data.get("compound") is not None:
            try:
                services.validate_building(
                    Building(compound=data["compound"], group=data.get("group"), name=data.get("name") or "")
                )
            except ValidationError as exc:
                add_form_errors(self, exc)
        return data


@admin.register(Building)
class BuildingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = BuildingForm
    list_display = ("name", "compound", "units", "households", "group")
    list_filter = ("compound",)
    search_fields = ("name", "compound__name")
    list_select_related = ("compound", "group")
    autocomplete_fields = ("compound", "group")


@admin.register(Venue)
class VenueAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "branch", "provision", "standards_met_display", "meets_display")
    list_filter = ("provision", "has_place", "has_flag")
    search_fields = ("name", "branch__name")
    list_select_related = ("branch",)
    autocomplete_fields = ("branch",)

    @admin.display(description=gettext_lazy("Six standards met"))
    def standards_met_display(self, obj):
        return f"{obj.standards_met}/6"

    @admin.display(description=gettext_lazy("Meets 六有"), boolean=True)
    def meets_display(self, obj):
        return obj.meets_six_standards


@admin.register(AccessScope)
class AccessScopeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "organization__name")
    autocomplete_fields = ("organization",)
    raw_id_fields = ("user",)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":  # never a role above the giver's own (organizations.accounts)
            allowed = accounts.assignable_roles(request.user)
            kwargs["choices"] = [(v, label) for v, label in db_field.choices if v in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        accounts.account_scope_set(actor=request.user, user=obj.user, organization=obj.organization, role=obj.role)


from organizations import accounts  # noqa: E402
from organizations.admin_accounts import StaffUserAdmin  # noqa: E402, F401 - registers the account admin
from organizations.scoring.admin import *  # noqa: E402,F403  (scoring and reminders)


@admin.register(TermLength)
class TermLengthAdmin(DistrictDataAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The allowed committee term lengths per organization kind: district-wide data, edited only
    by a superuser or a user scoped at a tree root."""

    list_display = ("organization_kind", "years", "is_default")
    list_filter = ("organization_kind",)


from organizations import admin_notify  # noqa: E402, F401 - registers the notification admin pages
