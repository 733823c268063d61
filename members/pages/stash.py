"""Attachments kept across a refused save of the meeting form.

A browser cannot refill a file input, so when the save is refused (a missing topic, a date in
the future ...) the files the secretary chose would be lost and the photo picked again. Instead
they are kept server-side: encrypted (``members.crypto``, like the roster stash) in a temporary
directory outside the media root, and named by a signed token that the page sends back in a
hidden field. The token is bound to the user and expires after an hour; a tampered, expired or
foreign token restores nothing.

The view calls ``uploads(request)`` for the files of this submission (kept + newly chosen),
``page_context(request, files)`` when it shows the form again, and
``drop(request)`` after a successful save.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from members import crypto
from members.meetings import check_attachments

FIELD = "attachment_stash"
SALT = "members.pages.stash"
MAX_AGE = 3600  # seconds: a form left open longer has its files chosen again
MAX_FILE_BYTES = 10 * 1024 * 1024  # what the meeting services accept at most per file


def stash_root() -> Path:
    return Path(tempfile.gettempdir()) / "meeting-upload-stash"


def _purge_stale(root: Path) -> None:
    """Directories of forms that were never re-submitted (older than the token's lifetime)."""
    cutoff = time.time() - MAX_AGE
    for entry in root.iterdir() if root.is_dir() else ():
        try:
            if entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def _read(upload) -> bytes | None:
    upload.seek(0)
    data = upload.read(MAX_FILE_BYTES + 1)
    return data if len(data) <= MAX_FILE_BYTES else None


def keep(request, files) -> str:
    """Store ``files`` for the user's next submission of the form; the token to send back."""
    root = stash_root()
    _purge_stale(root)
    key = secrets.token_hex(16)
    folder = root / key
    names = []
    for upload in files:
        data = _read(upload)
        if data is None:
            continue  # too large: the services refuse it anyway
        folder.mkdir(parents=True, exist_ok=True)
        (folder / str(len(names))).write_bytes(crypto.fernet().encrypt(data))
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
    folder = stash_root() / claim["key"]
    files = []
    for index, name in enumerate(claim["names"]):
        try:
            data = crypto.fernet().decrypt((folder / str(index)).read_bytes(), ttl=MAX_AGE)
        except (OSError, InvalidToken):
            return []
        files.append(SimpleUploadedFile(name, data))
    return files


def drop(request) -> None:
    """Delete the kept files once the meeting is saved."""
    claim = _claim(request)
    if claim is not None:
        shutil.rmtree(stash_root() / claim["key"], ignore_errors=True)


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
