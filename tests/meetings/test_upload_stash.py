"""The phone meeting form keeps the chosen attachments when a save is refused: the secretary
corrects the form and saves without picking the photo again."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import Meeting, MeetingAttachment
from members.pages import stash
from tests.factories import NumberedMemberFactory
from tests.meetings.test_pages import formsets

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def login(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(members, **extra):
    held = timezone.localtime(timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    return {
        "kind": "theme_day",
        "held_at": held,
        "topic": "主题党日",
        **formsets([(m, "present", "") for m in members]),
        **extra,
    }


def test_refused_save_keeps_the_photo_for_the_corrected_form(secretary_a, branch):
    members = [NumberedMemberFactory(branch=branch) for _ in range(2)]
    client = login(secretary_a)
    url = reverse("branch:meeting_new", args=[branch.pk])
    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    refused = client.post(url, form_data(members, topic="", attachments=[photo]))
    assert refused.status_code == 200 and Meeting.objects.count() == 0
    html = refused.content.decode()
    assert "现场照片.png" in html and "无需重新选择" in html
    token = re.search(r'name="attachment_stash" value="([^"]+)"', html).group(1)
    saved = client.post(url, form_data(members, attachment_stash=token))
    assert saved.status_code == 302
    attachment = MeetingAttachment.objects.get()
    assert attachment.original_name == "现场照片.png" and attachment.file.read() == PNG
    folder = stash.stash_folder(stash.signing.loads(token, salt=stash.SALT)["key"])
    assert not default_storage.exists(f"{folder}/0")


def test_a_token_of_another_user_or_tampered_restores_nothing(secretary_a, secretary_b, branch, tree):
    members = [NumberedMemberFactory(branch=branch)]
    client = login(secretary_a)
    url = reverse("branch:meeting_new", args=[branch.pk])
    photo = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    html = client.post(url, form_data(members, topic="", attachments=[photo])).content.decode()
    token = re.search(r'name="attachment_stash" value="([^"]+)"', html).group(1)
    other = login(secretary_b)
    other_url = reverse("branch:meeting_new", args=[tree["branch_b"].pk])
    other_members = [NumberedMemberFactory(branch=tree["branch_b"])]
    assert other.post(other_url, form_data(other_members, attachment_stash=token)).status_code == 302
    assert client.post(url, form_data(members, attachment_stash=token[:-2] + "xx")).status_code == 302
    assert MeetingAttachment.objects.count() == 0


def test_a_refused_file_is_not_kept(secretary_a, branch):
    members = [NumberedMemberFactory(branch=branch)]
    client = login(secretary_a)
    url = reverse("branch:meeting_new", args=[branch.pk])
    bad = SimpleUploadedFile("run.exe", b"MZ" + b"\x00" * 64)
    response = client.post(url, form_data(members, attachments=[bad]))
    assert response.status_code == 200 and "run.exe" in str(response.context["form"].errors)
    assert 'name="attachment_stash"' not in response.content.decode()
