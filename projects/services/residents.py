"""Residents' own requests (群众点单) from a compound's public page: the page's token, placing a
request with a checked photo and an encrypted contact phone, the tracking link, the resident's
rating and the staff's spam flag. Every write is audited by the save signals."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import crypto as core_crypto
from members import crypto
from organizations.files import validate_photo
from organizations.masks import mask_phone
from organizations.models import Compound
from projects.exceptions import Conflict
from projects.models import CompoundIntake, Rating, RequestStatus, ResidentRequest
from projects.services.common import _locked
from projects.services.events import request_status_changed

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_DESCRIPTION = 1000
ANONYMOUS = "居民"


def tracking_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


@transaction.atomic
def intake_for(compound: Compound, *, reissue: bool = False) -> CompoundIntake:
    """The compound's public page (created on first use); ``reissue`` gives it a new token, so
    the printed QR codes stop working."""
    intake, _created = CompoundIntake.objects.get_or_create(
        compound=compound, defaults={"token": secrets.token_urlsafe(32)}
    )
    if reissue and not _created:
        intake.token = secrets.token_urlsafe(32)
        intake.save(update_fields=["token"])
    return intake


def _check_photo(photo) -> None:
    if not photo:
        return
    size = getattr(photo, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": _("The photo is larger than 5 MB.")})
    try:
        validate_photo(photo)  # the checker of every photo field: bytes sniffed, no markup inside
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from exc


def clean_phone(value: str) -> str:
    """The normalized mobile number, or a ValidationError."""
    normalized = crypto.normalize_phone(value)
    if not crypto.MOBILE_RE.match(normalized):
        raise ValidationError(_("Enter a valid mobile phone number (11 digits starting with 1)."))
    return normalized


def clean_public_request(*, description: str, building_unit: str, phone: str, resident_name: str = "") -> dict:
    """The resident's fields, checked; errors name the field."""
    errors = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Describe what you need.")
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("The description is longer than %(n)d characters.") % {"n": MAX_DESCRIPTION}
    building_unit = (building_unit or "").strip()
    if len(building_unit) > 50:
        errors["building_unit"] = _("The building / unit is longer than 50 characters.")
    resident_name = (resident_name or "").strip()
    if len(resident_name) > 50:
        errors["resident_name"] = _("The name is longer than 50 characters.")
    try:
        normalized = clean_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {
        "description": description,
        "building_unit": building_unit,
        "phone": normalized,
        "resident_name": resident_name or ANONYMOUS,
    }


def phone_key(phone: str) -> str:
    """The keyed hash of a normalized phone (rate limits, exact lookups); never the number."""
    return crypto.keyed_hash(crypto.normalize_phone(phone))


@transaction.atomic
def public_request_submit(
    *,
    intake: CompoundIntake,
    description: str,
    building_unit: str,
    phone: str,
    received_on: datetime.date,
    resident_name: str = "",
    photo=None,
) -> tuple[ResidentRequest, str]:
    """A resident's request from the compound's public page. The category and the 三事分流 are
    the branch's to decide. Returns the request and the raw tracking token (shown once; only its
    hash is stored)."""
    data = clean_public_request(
        description=description, building_unit=building_unit, phone=phone, resident_name=resident_name
    )
    _check_photo(photo)
    token = secrets.token_urlsafe(16)  # 128 bits
    obj = ResidentRequest(
        compound=intake.compound,
        description=data["description"],
        building_unit=data["building_unit"],
        resident_name=data["resident_name"],
        received_on=received_on,
        phone_encrypted=core_crypto.encrypt(data["phone"]),
        phone_hash=phone_key(data["phone"]),
        phone_masked=mask_phone(data["phone"]),
        tracking_hash=tracking_hash(token),
    )
    if photo:
        obj.photo = photo
    obj.full_clean(exclude=["photo"])
    obj.save()
    return obj, token


def by_tracking_token(token: str) -> ResidentRequest | None:
    """The one request behind a tracking link (None for an unknown token or a spam request)."""
    if not token or len(token) > 64:
        return None
    return (
        ResidentRequest.objects.select_related("compound")
        .filter(tracking_hash=tracking_hash(token), spam=False)
        .first()
    )


SCORE_RATING = {5: Rating.SATISFIED, 4: Rating.SATISFIED, 3: Rating.BASICALLY_SATISFIED}


@transaction.atomic
def request_rate_by_resident(
    *, request: ResidentRequest, score: int, comment: str, rated_on: datetime.date
) -> ResidentRequest:
    """The resident's own rating from the tracking link: 1–5 and a comment, once, after
    resolution. The score maps onto the three-step rating the statistics count (4–5 satisfied,
    3 basically satisfied, 1–2 dissatisfied)."""
    if score not in (1, 2, 3, 4, 5):
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": _("The comment is longer than 500 characters.")})
    current = _locked(ResidentRequest, request)
    if current.status == RequestStatus.RATED:
        raise Conflict({"score": _("You have already rated this request.")})
    if current.status != RequestStatus.RESOLVED:
        raise Conflict({"score": _("A request can be rated only after it is resolved.")})
    current.rating = SCORE_RATING.get(score, Rating.DISSATISFIED)
    current.score = score
    current.rating_comment = comment
    current.rated_on = rated_on
    current.status = RequestStatus.RATED
    current.save(update_fields=["rating", "score", "rating_comment", "rated_on", "status"])
    request_status_changed(current)
    return current


@transaction.atomic
def request_mark_spam(*, request: ResidentRequest, spam: bool = True) -> ResidentRequest:
    """标记为垃圾: hidden from the lists, the statistics and the tracking link; never deleted."""
    current = _locked(ResidentRequest, request)
    if current.spam != spam:
        current.spam = spam
        current.save(update_fields=["spam"])
    return current


def phone_of(request: ResidentRequest) -> str:
    """The full contact phone (callers check the unmask permission and log the view)."""
    return core_crypto.decrypt(request.phone_encrypted) if request.phone_encrypted else ""
