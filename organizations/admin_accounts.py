"""Staff account management in the admin for district and street administrators (within their
subtree) and the system / security administrators: create an account with a role and a scope
node, reset a password (changed by the user at the next login), deactivate, reset the second
factor, grant the unmask permission (security administrator). Every change is audited (the user
model and the scopes are in the audit trail)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from core.auth import accounts as core_accounts
from core.auth.roles import Role
from organizations import accounts
from organizations.models import AccessScope, Organization
from organizations.selectors import tree_order

User = get_user_model()


class _ScopeFields(forms.Form):
    role = forms.ChoiceField(label=_("role"), required=False)
    organization = forms.ModelChoiceField(
        label=_("scope organization"), queryset=Organization.objects.none(), required=False
    )

    def setup_scope_fields(self, actor):
        self.fields["role"].choices = [("", "---------")] + [
            (value, label) for value, label in Role.choices if value in accounts.assignable_roles(actor)
        ]
        self.fields["organization"].queryset = Organization.objects.for_user(actor).order_by(*tree_order())

    def clean(self):
        data = super().clean()
        if bool(data.get("role")) != bool(data.get("organization")):
            raise forms.ValidationError(_("Give both a role and a scope organization, or neither."))
        return data


class AccountCreationForm(_ScopeFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")


class AccountChangeForm(_ScopeFields, forms.ModelForm):
    may_unmask = forms.BooleanField(label=_("may see personal data in full"), required=False)

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email", "is_active")


class StaffUserAdmin(UserAdmin):
    """The stock user admin for superusers; a scoped, role-limited one for everyone else."""

    list_display = ("username", "first_name", "last_name", "scope_role", "scope_organization", "is_active")
    list_select_related = ("access_scope__organization",)
    actions = ["reset_password", "deactivate", "reset_second_factor"]

    def _limited(self, request) -> bool:
        return not request.user.is_superuser

    def get_queryset(self, request):
        return accounts.manageable_users(request.user).select_related("access_scope__organization")

    def get_list_filter(self, request):
        return ("is_active", "access_scope__role") if self._limited(request) else super().get_list_filter(request)

    @admin.display(description=_("role"))
    def scope_role(self, obj):
        scope = getattr(obj, "access_scope", None) if hasattr(obj, "access_scope") else None
        return scope.get_role_display() if scope else ""

    @admin.display(description=_("scope organization"))
    def scope_organization(self, obj):
        scope = getattr(obj, "access_scope", None) if hasattr(obj, "access_scope") else None
        return scope.organization.name if scope else ""

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted (their history stays)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or accounts.may_manage(request.user, obj))

    def _manageable(self, request, queryset):
        return [user for user in queryset if accounts.may_manage(request.user, user)]

    def get_fieldsets(self, request, obj=None):
        if not self._limited(request):
            return super().get_fieldsets(request, obj)
        scope_fields = ["role", "organization"] if accounts.assignable_roles(request.user) else []
        if obj is None:
            fields = ["username", "first_name", "last_name", "email", "password1", "password2", *scope_fields]
        else:
            fields = ["first_name", "last_name", "email", "is_active", *scope_fields]
            if accounts.may_grant_unmask(request.user):
                fields.append("may_unmask")
        return ((None, {"fields": fields}),)

    def get_form(self, request, obj=None, **kwargs):
        if self._limited(request):
            kwargs["form"] = AccountCreationForm if obj is None else AccountChangeForm
            kwargs["fields"] = list(kwargs["form"]._meta.fields)
        form_class = super().get_form(request, obj, **kwargs)
        if not self._limited(request):
            return form_class
        actor = request.user

        class ScopedForm(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                self.setup_scope_fields(actor)
                scope = AccessScope.objects.filter(user_id=getattr(obj, "pk", None)).first()
                if scope is not None and not self.is_bound:
                    self.initial.update(role=scope.role, organization=scope.organization_id)
                if "may_unmask" in self.fields and obj is not None and not self.is_bound:
                    self.initial["may_unmask"] = obj.user_permissions.filter(
                        pk=accounts.unmask_permission().pk
                    ).exists()

        return ScopedForm

    def get_readonly_fields(self, request, obj=None):
        return () if self._limited(request) else super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if not self._limited(request):
            return super().save_model(request, obj, form, change)
        if not change:
            obj.is_staff = True
        super().save_model(request, obj, form, change)
        if not change:
            # The password the administrator typed is a first password: the user changes it.
            core_accounts.password_set_by_admin(user=obj, password=form.cleaned_data["password1"], actor=request.user)
        role, organization = form.cleaned_data.get("role"), form.cleaned_data.get("organization")
        scope = AccessScope.objects.filter(user=obj).first()
        if role and organization and (scope is None or (scope.role, scope.organization_id) != (role, organization.pk)):
            accounts.account_scope_set(actor=request.user, user=obj, organization=organization, role=role)
        if "may_unmask" in form.cleaned_data and accounts.may_grant_unmask(request.user):
            accounts.unmask_set(user=obj, allowed=form.cleaned_data["may_unmask"])

    def save_related(self, request, form, formsets, change):
        if not self._limited(request):
            super().save_related(request, form, formsets, change)

    @admin.action(description=_("Reset the password (the user must change it at next login)"), permissions=["change"])
    def reset_password(self, request, queryset):
        for user in self._manageable(request, queryset):
            password = core_accounts.temporary_password()
            core_accounts.password_set_by_admin(user=user, password=password, actor=request.user)
            self.message_user(
                request,
                _("New password of %(user)s (shown only now): %(password)s") % {"user": user, "password": password},
                messages.WARNING,
            )

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate(self, request, queryset):
        for user in self._manageable(request, queryset.exclude(pk=request.user.pk)):
            core_accounts.account_deactivate(user=user)
        self.message_user(request, _("The selected accounts were deactivated."), messages.SUCCESS)

    @admin.action(description=_("Reset two-factor login (enrol again at next login)"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        for user in self._manageable(request, queryset):
            core_accounts.second_factor_reset(user=user)
        self.message_user(request, _("Two-factor login was reset for the selected accounts."), messages.SUCCESS)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
