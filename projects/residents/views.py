"""Public pages for residents, without an account: a compound's request page (reached by its
printed QR code, identified by an unguessable token) and the tracking link of one request.

They show nothing of any other request or resident: the compound page shows the compound's
name only; the tracking page shows the one request behind its token, with the phone masked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.admin import add_form_errors
from core.request_context import client_address
from projects import services
from projects.models import CompoundIntake, RequestStatus
from projects.residents import throttle
from projects.residents.forms import PublicRequestForm, RateForm
from projects.services.residents import phone_key

STEPS = (RequestStatus.SUBMITTED, RequestStatus.TRIAGED, RequestStatus.DISPATCHED, RequestStatus.RESOLVED)


def _limited(request, form, phone: str) -> bool:
    ip = client_address(request) or "unknown"
    if throttle.over("submit-ip", ip, throttle.HOUR, throttle.IP_PER_HOUR):
        form.add_error(None, _("Too many requests from this network: please try again in an hour."))
        return True
    if phone and throttle.over("submit-phone", phone_key(phone), throttle.DAY, throttle.PHONE_PER_DAY):
        form.add_error("phone", _("This phone number has placed too many requests today: please try again tomorrow."))
        return True
    return False


@never_cache
@require_http_methods(["GET", "POST"])
def compound_page(request, token: str):
    intake = get_object_or_404(CompoundIntake.objects.select_related("compound"), token=token)
    form = PublicRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and not _limited(request, form, form.cleaned_data["phone"]):
        data = form.cleaned_data
        try:
            obj, tracking = services.public_request_submit(
                intake=intake,
                description=data["description"],
                building_unit=data["building_unit"],
                phone=data["phone"],
                resident_name=data["resident_name"],
                photo=data["photo"],
                received_on=timezone.localdate(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            throttle.hit("submit-ip", client_address(request) or "unknown", throttle.HOUR)
            throttle.hit("submit-phone", obj.phone_hash, throttle.DAY)
            request.session["residents_new"] = tracking
            return redirect("residents:track", token=tracking)
    status = 400 if request.method == "POST" else 200
    return render(request, "residents/compound.html", {"intake": intake, "form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request, token: str):
    ip = client_address(request) or "unknown"
    if throttle.hit("track-ip", ip, throttle.HOUR) > throttle.TRACK_PER_HOUR:
        return render(request, "residents/limited.html", status=429)
    obj = services.by_tracking_token(token)
    if obj is None:
        raise Http404
    just_placed = request.session.pop("residents_new", None) == token
    form = None
    if obj.status == RequestStatus.RESOLVED:
        form = RateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.request_rate_by_resident(
                    request=obj,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    rated_on=timezone.localdate(),
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                return redirect(reverse("residents:track", kwargs={"token": token}) + "?rated=1")
    elif request.method == "POST":
        form = RateForm(request.POST)
        form.is_valid()
        form.add_error("score", _("A request can be rated only after it is resolved."))
    done = STEPS.index(obj.status) if obj.status in STEPS else len(STEPS)
    context = {
        "obj": obj,
        "form": form,
        "just_placed": just_placed,
        "steps": [(RequestStatus(s).label, i <= done) for i, s in enumerate(STEPS)],
        "rated": request.GET.get("rated") == "1",
    }
    status = 400 if request.method == "POST" and form is not None and form.errors else 200
    return render(request, "residents/track.html", context, status=status)
