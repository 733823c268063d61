"""Uploaded files (meeting photos and attachments, project and micro-wish photos): stored under
random names, checked by content, and served only through ``serve_file``, which looks the file
up in the models that registered it and checks the scope (``for_user``) of the row it belongs
to. There is no public ``/media/`` location, neither in the embedded default nor behind nginx
(docs/deploy.md, docs/security.md).

Each app registers its file fields in its ``contributions.py``::

    register_file_field("members.MeetingAttachment", "file", prefix="meetings/",
                        name_field="original_name", type_field="content_type")
"""

from __future__ import annotations

import re
import uuid
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

# --- random names -----------------------------------------------------------------------------

SAFE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx"}


@deconstructible
class RandomName:
    """``upload_to`` that keeps only a known extension: ``<prefix><32 random hex>.<ext>``. The
    original name is kept in the row, never in the path, so a path cannot be guessed."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        ext = PurePosixPath(filename or "").suffix.lower()
        return f"{self.prefix}{uuid.uuid4().hex}{ext if ext in SAFE_EXTENSIONS else ''}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.prefix == self.prefix


# --- content checks ---------------------------------------------------------------------------

# Markup a browser would run if it ever took the file for a page (a JPEG/HTML polyglot).
_MARKUP = re.compile(
    rb"<\s*(script|html|body|iframe|svg|object|embed|frameset|meta|link|img[^>]+onerror)\b|<!doctype\s+html|javascript:",
    re.IGNORECASE,
)
# PDF actions that run code or open other files (names may be #xx-escaped: /J#61vaScript).
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|RichMedia|EmbeddedFiles?|SubmitForm|ImportData)(?![A-Za-z])")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_INFLATE_LIMIT = 50 * 1024 * 1024


def _pdf_has_active_content(data: bytes) -> bool:
    def active(chunk: bytes) -> bool:
        return bool(_PDF_ACTIVE.search(_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), chunk)))

    if active(data):
        return True
    budget = _INFLATE_LIMIT
    for match in _PDF_STREAM.finditer(data):
        # Object streams hide dictionaries (and so /JavaScript) inside compressed data.
        try:
            inflated = zlib.decompressobj().decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        if active(inflated):
            return True
        if budget <= 0:
            return True  # a decompression bomb is refused, not scanned forever
    return False


def active_content_problem(name: str, content_type: str, data: bytes) -> str | None:
    """Why a file whose type was already judged by its bytes must still be refused: HTML or
    script inside an image or document (a polyglot), JavaScript or launch actions in a PDF."""
    if content_type == "application/pdf" and _pdf_has_active_content(data):
        return _("%(name)s is not allowed: the PDF contains JavaScript or actions.") % {"name": name}
    if content_type.startswith("image/") or content_type == "application/pdf":
        if _MARKUP.search(data):
            return _("%(name)s is not allowed: it also contains web page code.") % {"name": name}
    return None


IMAGE_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


def image_type(head: bytes) -> str | None:
    for magic, content_type in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def validate_photo(upload) -> None:
    """Model-field validator of photo fields: an image by its bytes, with no markup inside."""
    if not upload:
        return
    name = PurePosixPath(getattr(upload, "name", "") or "photo").name
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    content_type = image_type(data[:16])
    if content_type is None:
        raise ValidationError(_("%(name)s is not an image (JPEG, PNG, GIF or WebP).") % {"name": name})
    problem = active_content_problem(name, content_type, data)
    if problem:
        raise ValidationError(problem)


# --- the registry and the serving view ---------------------------------------------------------


@dataclass(frozen=True)
class FileField:
    model: str  # "app_label.ModelName"
    field: str
    prefix: str
    name_field: str = ""
    type_field: str = ""


FILE_FIELDS: list[FileField] = []


def register_file_field(model: str, field: str, *, prefix: str, name_field: str = "", type_field: str = "") -> None:
    FILE_FIELDS.append(FileField(model, field, prefix, name_field, type_field))


def _find(user, name: str):
    """The registered row holding file ``name`` that ``user`` may see, with its spec."""
    for spec in FILE_FIELDS:
        if not name.startswith(spec.prefix):
            continue
        model = apps.get_model(spec.model)
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        row = model._default_manager.for_user(user).filter(**{spec.field: name}).first()
        if row is not None:
            return row, spec
    return None, None


@require_safe
def serve_file(request, name: str):
    """``/media/<name>``: the file if the user may see the row it belongs to (and so the meeting,
    project or wish), else 404 — the same answer as for a file that does not exist. With
    ``MEDIA_ACCEL_REDIRECT`` set, nginx sends the bytes from its internal location."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or ".." in name.split("/"):
        raise Http404
    row, spec = _find(user, name)
    if row is None:
        raise Http404
    stored = getattr(row, spec.field)
    download_name = (getattr(row, spec.name_field, "") if spec.name_field else "") or PurePosixPath(name).name
    content_type = (getattr(row, spec.type_field, "") if spec.type_field else "") or ""
    if not content_type:
        with stored.open("rb") as fh:
            content_type = image_type(fh.read(16)) or "application/octet-stream"
    inline = content_type.startswith("image/")
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
        response["Content-Disposition"] = content_disposition_header(not inline, download_name)
    else:
        response = FileResponse(
            stored.open("rb"), as_attachment=not inline, filename=download_name, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
