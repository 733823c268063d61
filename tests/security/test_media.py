"""Uploaded files: served only through the scoped view (no login, outside the scope or an
unknown name: 404), with a download disposition and ``nosniff``; stored under random names;
polyglots and PDFs with JavaScript refused."""

import datetime
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from members.meetings import meeting_record
from members.models import MeetingAttachment
from tests.factories import RosterMemberFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 12, 0))


def _record(branch, files):
    member = RosterMemberFactory(branch=branch)
    return meeting_record(
        organization=branch,
        kind="party_congress",
        topic="学习",
        held_at=timezone.make_aware(datetime.datetime(2026, 11, 5, 19, 0)),
        attendance=[{"member": member.pk, "status": "present"}],
        attachments=files,
        now=NOW,
    )


@pytest.fixture
def attachments(tree):
    meeting = _record(tree["branch_a"], [SimpleUploadedFile("合影.png", PNG), SimpleUploadedFile("纪要.pdf", PDF)])
    return {a.content_type: a for a in MeetingAttachment.objects.filter(meeting=meeting)}


def test_stored_under_random_names(attachments):
    names = [a.file.name for a in attachments.values()]
    assert all(n.startswith("meetings/") and "合影" not in n and "纪要" not in n for n in names)
    assert all(len(n.split("/")[-1].split(".")[0]) == 32 for n in names)


def test_served_only_inside_the_scope(attachments, staff_a, staff_b, secretary_a, client):
    photo, doc = attachments["image/png"], attachments["application/pdf"]
    url = photo.file.url
    assert url.startswith("/media/meetings/")
    assert client.get(url).status_code == 404  # no login: as if it did not exist
    client.force_login(staff_b)
    assert client.get(url).status_code == 404
    for user in (staff_a, secretary_a):
        client.force_login(user)
        r = client.get(url)
        assert r.status_code == 200 and b"".join(r.streaming_content) == PNG
        assert r["Content-Type"] == "image/png" and r["X-Content-Type-Options"] == "nosniff"
        assert r["Content-Disposition"].startswith("inline")
        r = client.get(doc.file.url)
        assert r["Content-Disposition"].startswith("attachment") and "filename" in r["Content-Disposition"]
    assert client.get("/media/meetings/not-there.png").status_code == 404
    assert client.get("/media/../config/settings/base.py").status_code == 404


@override_settings(MEDIA_ACCEL_REDIRECT="/protected-media/")
def test_production_hands_the_bytes_to_nginx(attachments, staff_a, client):
    photo = attachments["image/png"]
    client.force_login(staff_a)
    r = client.get(photo.file.url)
    assert r["X-Accel-Redirect"] == f"/protected-media/{photo.file.name}"
    assert r.content == b"" and r["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "name, data",
    [
        ("合影.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"<html><script>alert(1)</script></html>"),
        ("合影.png", PNG + b"<svg onload=alert(1)>"),
        ("纪要.pdf", b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF"),
        ("纪要.pdf", b"%PDF-1.7\n1 0 obj << /S /J#61vaScript >> endobj\n%%EOF"),
        (
            "纪要.pdf",
            b"%PDF-1.7\n2 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n"
            + zlib.compress(b"<< /JS (app.alert(1)) >>")
            + b"\nendstream\nendobj\n%%EOF",
        ),
    ],
)
def test_polyglots_and_pdf_javascript_refused(tree, name, data):
    with pytest.raises(ValidationError) as exc:
        _record(tree["branch_a"], [SimpleUploadedFile(name, data)])
    assert "attachments" in exc.value.error_dict
    assert not MeetingAttachment.objects.exists()


def test_meeting_api_upload_refusal_is_a_400_naming_the_field(tree, secretary_a, api_client_for):
    bad = SimpleUploadedFile("合影.jpg", b"\xff\xd8\xff\xe0<html><script>x</script>")
    member = RosterMemberFactory(branch=tree["branch_a"])
    r = api_client_for(secretary_a).post(
        "/api/v1/meetings/",
        {
            "organization": tree["branch_a"].pk,
            "kind": "party_congress",
            "topic": "学习",
            "held_at": "2026-11-05T19:00:00+08:00",
            "attendance": f'[{{"member": {member.pk}}}]',
            "attachments": [bad],
        },
        format="multipart",
    )
    assert r.status_code == 400 and "attachments" in str(r.json()), r.content
    assert not MeetingAttachment.objects.exists()
