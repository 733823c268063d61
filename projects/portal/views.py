"""Micro-wishes and dispatched requests on the member's phone (党员端). The member comes from
``member_required``; a wish or request is looked up only among the member's own ones."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.admin import add_form_errors
from members.portal.access import member_required
from projects.models import MediationOutcome, RequestKind, WishStatus
from projects.portal import services


class FulfilForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("How was the wish fulfilled?"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=gettext_lazy("Photo"))


class ProgressForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Progress"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=gettext_lazy("How was it resolved?"), widget=forms.Textarea(attrs={"rows": 3}))
    mediation_outcome = forms.ChoiceField(
        label=gettext_lazy("Mediation outcome"), choices=MediationOutcome.choices, required=False
    )


@member_required
def wishes(request, member):
    """小区微心愿: open wishes in my compound and the ones I claimed."""
    return render(
        request,
        "portal/wishes.html",
        {
            "member": member,
            "open": list(services.open_wishes(member).order_by("-published_on", "id")[:100]),
            "mine": list(services.my_wishes(member).order_by("-claimed_at")[:100]),
        },
    )


@member_required
@require_POST
def wish_claim(request, member, pk: int):
    wish = get_object_or_404(services.open_wishes(member), pk=pk)
    try:
        services.member_wish_claim(wish=wish, member=member)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("You have claimed this micro-wish."))
    return redirect("portal_projects:wishes")


@member_required
@require_http_methods(["GET", "POST"])
def wish_fulfil(request, member, pk: int):
    wish = get_object_or_404(services.my_wishes(member), pk=pk)
    form = FulfilForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and wish.status == WishStatus.CLAIMED and form.is_valid():
        try:
            services.member_wish_fulfil(
                wish=wish, member=member, note=form.cleaned_data["note"], photo=form.cleaned_data["photo"]
            )
        except ValidationError as exc:
            add_form_errors(form, _photo_errors(exc))
        else:
            messages.success(request, _("Thank you! The micro-wish is marked fulfilled."))
            return redirect("portal_projects:wishes")
    return render(request, "portal/wish_fulfil.html", {"member": member, "wish": wish, "form": form})


def _photo_errors(exc: ValidationError) -> ValidationError:
    """The photo validator's message belongs to the photo field."""
    if hasattr(exc, "error_dict"):
        return exc
    return ValidationError({"photo": exc.messages})


@member_required
def requests(request, member):
    """派给我的群众诉求."""
    rows = list(services.my_requests(member).order_by("-dispatched_on", "-id")[:100])
    return render(request, "portal/requests.html", {"member": member, "rows": rows})


@member_required
@require_http_methods(["GET", "POST"])
def request_detail(request, member, pk: int):
    item = get_object_or_404(services.my_requests(member), pk=pk)
    action = request.POST.get("action", "")
    progress = ProgressForm(request.POST if action == "progress" else None)
    resolve = ResolveForm(request.POST if action == "resolve" else None)
    if request.method == "POST":
        try:
            if action == "accept":
                services.member_request_accept(request=item, member=member)
                messages.success(request, _("You have accepted this request."))
                return redirect("portal_projects:request", pk=item.pk)
            if action == "progress" and progress.is_valid():
                services.member_request_progress(request=item, member=member, note=progress.cleaned_data["note"])
                messages.success(request, _("The progress has been recorded."))
                return redirect("portal_projects:request", pk=item.pk)
            if action == "resolve" and resolve.is_valid():
                services.member_request_resolve(request=item, member=member, **resolve.cleaned_data)
                messages.success(request, _("The request is marked resolved."))
                return redirect("portal_projects:request", pk=item.pk)
        except ValidationError as exc:
            add_form_errors(resolve if action == "resolve" else progress, exc)
            if action == "accept":
                messages.error(request, exc.messages[0])
    return render(
        request,
        "portal/request_detail.html",
        {
            "member": member,
            "item": item,
            "history": services.request_history(item),
            "accepted": services.is_accepted(item),
            "progress_form": progress,
            "resolve_form": resolve,
            "is_dispute": item.kind == RequestKind.DISPUTE,
        },
    )
