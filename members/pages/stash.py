"""Attachments kept across a refused save of the meeting form.

A browser cannot refill a file input, so when the save is refused (a missing topic, a date in
the future ...) the files the secretary chose would be lost and the photo picked again. Instead
they are kept server-side: encrypted (``members.crypto``, like the roster stash) in the default
storage under ``stash/meetings/<random key>/`` (shared by every web host: S3 in production, see
docs/deploy.md; never served — no file field names them), and named by a signed token that the page sends back in a
hidden field. The token is bound to the user and expires after an hour; a tampered, expired or
foreign token restores nothing.

The view calls ``uploads(request)`` for the files of this submission (kept + newly chosen),
``page_context(request, files)`` when it shows the form again, and
``drop(request)`` after a successful save.
"""

from __future__ import annotations

import datetime
import os
import secrets

from cryptography.fernet import InvalidToken
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members import crypto
from members.meetings import check_attachments

FIELD = "attachment_stash"
SALT = "members.pages.stash"
MAX_AGE = 3600  # seconds: a form left open longer has its files chosen again
MAX_FILE_BYTES = 10 * 1024 * 1024  # what the meeting services accept at most per file


ROOT = "stash/meetings"


def stash_folder(key: str) -> str:
    return f"{ROOT}/{key}"


def _delete_folder(folder: str) -> None:
    try:
        _dirs, names = default_storage.listdir(folder)
        for name in names:
            default_storage.delete(f"{folder}/{name}")
    except (OSError, ValueError):
        pass


def _purge_stale() -> None:
    """Files of forms that were never re-submitted (older than the token's lifetime)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=MAX_AGE)
    try:
        folders, _names = default_storage.listdir(ROOT)
    except (OSError, ValueError):
        return
    for key in folders:
        try:
            stale = default_storage.get_modified_time(f"{stash_folder(key)}/0") < cutoff
        except (OSError, ValueError):
            stale = True
        if stale:
            _delete_folder(stash_folder(key))


def _read(upload) -> bytes | None:
    upload.seek(0)
    data = upload.read(MAX_FILE_BYTES + 1)
    return data if len(data) <= MAX_FILE_BYTES else None


def keep(request, files) -> str:
    """Store ``files`` for the user's next submission of the form; the token to send back."""
    _purge_stale()
    key = secrets.token_hex(16)
    folder = stash_folder(key)
    names = []
    for upload in files:
        data = _read(upload)
        if data is None:
            continue  # too large: the services refuse it anyway
        default_storage.save(f"{folder}/{len(names)}", ContentFile(crypto.fernet().encrypt(data)))
        names.append(os.path.basename(upload.name or "file"))
    if not names:
        return ""
    return signing.dumps({"user": request.user.pk, "key": key, "names": names}, salt=SALT)


def _claim(request) -> dict | None:
    token = request.POST.get(FIELD, "")
    if not token:
        return None
    try:
        claim = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if claim.get("user") != request.user.pk or not str(claim.get("key", "")).isalnum():
        return None
    return claim


def restore(request) -> list[SimpleUploadedFile]:
    """The files kept by a refused submission of this user (none if the token is not valid)."""
    claim = _claim(request)
    if claim is None:
        return []
    folder = stash_folder(claim["key"])
    files = []
    for index, name in enumerate(claim["names"]):
        try:
            with default_storage.open(f"{folder}/{index}", "rb") as fh:
                data = crypto.fernet().decrypt(fh.read(), ttl=MAX_AGE)
        except (OSError, InvalidToken):
            return []
        files.append(SimpleUploadedFile(name, data))
    return files


def drop(request) -> None:
    """Delete the kept files once the meeting is saved."""
    claim = _claim(request)
    if claim is not None:
        _delete_folder(stash_folder(claim["key"]))


def uploads(request) -> list:
    """The attachments of this submission: those kept from a refused one, then those chosen now."""
    return [*restore(request), *request.FILES.getlist("attachments")]


def page_context(request, files) -> dict:
    """What the form page shows after a refused save: the token and the names of the kept files.
    Files the meeting services refuse (type, size, count) are not kept: the page names them and
    the secretary chooses again."""
    drop(request)
    if not files:
        return {}
    try:
        check_attachments(files)
    except ValidationError:
        return {}
    token = keep(request, files)
    return {FIELD: token, "kept_attachments": signing.loads(token, salt=SALT)["names"]} if token else {}
