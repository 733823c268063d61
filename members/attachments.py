"""Meeting attachments (photos, minutes as PDF / Office documents): each upload is judged by
its bytes, not its name or the browser's content type, and limited in size and number."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organizations.files import active_content_problem

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 20

_OFFICE_ZIP = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
_OLE = {".doc", ".xls", ".ppt"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_attachment(name: str, head: bytes, data: bytes) -> str | None:
    """The content type of an allowed file judged by its bytes (and, for Office formats, by
    its extension agreeing with the bytes), or ``None`` when the file is not allowed."""
    ext = Path(name).suffix.lower()
    if head.startswith(b"\xff\xd8\xff") and ext in (".jpg", ".jpeg"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n") and ext == ".png":
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a") and ext == ".gif":
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP" and ext == ".webp":
        return "image/webp"
    if head.startswith(b"%PDF-") and ext == ".pdf":
        return "application/pdf"
    if head.startswith(_OLE_MAGIC) and ext in _OLE:
        return {
            ".doc": "application/msword",
            ".xls": "application/vnd.ms-excel",
            ".ppt": "application/vnd.ms-powerpoint",
        }[ext]
    if head.startswith(b"PK\x03\x04") and ext in _OFFICE_ZIP:
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and any(n.startswith(_OFFICE_ZIP[ext]) for n in names):
            return {
                ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            }[ext]
    return None


@dataclass
class CheckedUpload:
    name: str
    content_type: str
    data: bytes


def check_attachments(files: Iterable) -> list[CheckedUpload]:
    """Read and check every upload; raise one ValidationError listing each refused file."""
    checked, errors = [], []
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(n)d attachments per meeting.") % {"n": MAX_ATTACHMENTS}})
    for upload in files:
        name = getattr(upload, "name", "") or "file"
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_ATTACHMENT_BYTES:
            errors.append(_("%(name)s is larger than 10 MB.") % {"name": name})
            continue
        upload.seek(0)
        data = upload.read(MAX_ATTACHMENT_BYTES + 1)
        if len(data) > MAX_ATTACHMENT_BYTES:
            errors.append(_("%(name)s is larger than 10 MB.") % {"name": name})
            continue
        content_type = sniff_attachment(name, data[:16], data)
        if content_type is None:
            errors.append(
                _("%(name)s is not allowed: only images (JPEG, PNG, GIF, WebP) and PDF or Office documents.")
                % {"name": name}
            )
            continue
        problem = active_content_problem(name, content_type, data)  # polyglots, PDF JavaScript
        if problem:
            errors.append(problem)
            continue
        checked.append(CheckedUpload(Path(name).name[-200:], content_type, data))
    if errors:
        raise ValidationError({"attachments": errors})
    return checked
