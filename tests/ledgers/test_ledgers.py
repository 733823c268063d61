"""Printable ledgers: the PDF's text (pdftotext), the Word content (python-docx), the API's
scope and options, the admin button and ZIP action, the secretary's page, the masked roster
and the background job for many branches."""

import io
import shutil
import subprocess
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document as WordDocument

from core.jobs import FileJob, JobStatus
from members.ledgers import service
from members.models import SensitiveAccessLog
from tests.ledgers.conftest import YEAR

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def pdf_text(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def docx_text(data: bytes) -> str:
    doc = WordDocument(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in doc.sections[0].header.paragraphs)
    return "\n".join(parts)


def test_pdf_has_meetings_names_and_page_numbers(ledger_data, district_admin, need_pdf):
    item = service.ledger_file(user=district_admin, branch=ledger_data["a"], year=YEAR, fmt="pdf")
    assert item.data.startswith(b"%PDF")
    text = pdf_text(item.data)
    for expected in ("学习贯彻全会精神", "张建国", "李秀英", "王志强", "外出探亲", "同意增补委员", "党群服务站"):
        assert expected in text, expected
    assert "党员名册" in text and "组织生活台账" in text and "三会一课落实情况" in text
    flat = "".join(text.split())
    assert "第1页共" in flat and "页共1页" not in flat
    assert ledger_data["a"].name in text  # the page header
    assert "赵外支" not in text and "乙支部专题会" not in text


def test_docx_content_and_scope(ledger_data, district_admin):
    item = service.ledger_file(user=district_admin, branch=ledger_data["a"], year=YEAR, fmt="docx")
    text = docx_text(item.data)
    for expected in ("学习贯彻全会精神", "张建国", "李秀英", "王志强（外出探亲）", "同意增补委员", "党员名册"):
        assert expected in text, expected
    assert "赵外支" not in text and "乙支部专题会" not in text
    assert ledger_data["a"].name in text
    doc = WordDocument(io.BytesIO(item.data))
    assert round(doc.sections[0].page_width.cm) == 21  # A4
    footer = doc.sections[0].footer._element.xml
    assert "NUMPAGES" in footer and "第 " in footer


def test_roster_masked_without_unmask_permission(ledger_data, staff_a_nounmask, district_admin):
    assert not staff_a_nounmask.has_perm("members.view_sensitive_data")
    masked = docx_text(service.ledger_file(user=staff_a_nounmask, branch=ledger_data["a"], year=YEAR, fmt="docx").data)
    assert "13812345678" not in masked and "138****5678" in masked
    assert not SensitiveAccessLog.objects.exists()
    full = docx_text(service.ledger_file(user=district_admin, branch=ledger_data["a"], year=YEAR, fmt="docx").data)
    assert "13812345678" in full
    assert SensitiveAccessLog.objects.filter(user=district_admin, action="export").count() == 3


def test_api_scope_and_options(ledger_data, api_client_for, staff_b, secretary_a):
    url = reverse("organization-ledger", args=[ledger_data["a"].pk])
    assert api_client_for(staff_b).get(url, {"format": "docx"}).status_code == 404
    client = api_client_for(secretary_a)
    response = client.get(url, {"format": "docx", "year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "张建国" in docx_text(response.content)
    bad = client.get(url, {"format": "rtf", "year": "abc"})
    assert bad.status_code == 400 and "format" in bad.json() and "year" in bad.json()
    other = reverse("organization-ledger", args=[ledger_data["b"].pk])
    assert client.get(other, {"format": "docx"}).status_code == 404
    community = reverse("organization-ledger", args=[ledger_data["a"].parent_id])
    assert api_client_for(staff_b).get(community).status_code == 404


def test_api_pdf(ledger_data, api_client_for, secretary_a, need_pdf):
    url = reverse("organization-ledger", args=[ledger_data["a"].pk])
    response = api_client_for(secretary_a).get(url, {"format": "pdf", "year": YEAR})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_admin_button_and_zip_action(ledger_data, district_admin, tree):
    client = login(district_admin)
    page = client.get(reverse("admin:organizations_organization_change", args=[ledger_data["a"].pk]))
    assert reverse("ledgers:download", args=[ledger_data["a"].pk]) in page.content.decode()
    response = client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "download_ledgers_docx", "_selected_action": [tree["street"].pk]},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == 2 and all(n.endswith(".docx") for n in names)
    texts = [docx_text(archive.read(n)) for n in names]
    assert any("张建国" in t for t in texts) and any("赵外支" in t for t in texts)


def test_zip_action_keeps_to_scope(ledger_data, staff_a_nounmask, tree):
    response = login(staff_a_nounmask).post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "download_ledgers_docx", "_selected_action": [tree["community_a"].pk]},
    )
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 1


def test_many_branches_go_to_a_job(ledger_data, district_admin, staff_b, tree, monkeypatch):
    monkeypatch.setattr(service, "SYNC_LIMIT", 1)
    client = login(district_admin)
    response = client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "download_ledgers_docx", "_selected_action": [tree["street"].pk]},
    )
    job = FileJob.objects.get(user=district_admin)
    assert response.status_code == 302 and response["Location"] == reverse("ledgers:job", args=[job.pk])
    # Tests run Celery eagerly (no Redis) or the worker runs it; either way the job ends done here.
    if job.status != JobStatus.DONE:
        service.run_ledger_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == job.total == 2
    status_page = client.get(reverse("ledgers:job", args=[job.pk])).content.decode()
    assert reverse("ledgers:job_file", args=[job.pk]) in status_page
    download = client.get(reverse("ledgers:job_file", args=[job.pk]))
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()) == 2
    assert login(staff_b).get(reverse("ledgers:job_file", args=[job.pk])).status_code == 404


def test_secretary_page_own_branch_only(ledger_data, secretary_a):
    client = login(secretary_a)
    page = client.get(reverse("branch:ledger", args=[ledger_data["a"].pk]))
    assert page.status_code == 200
    assert "format=docx" in page.content.decode()
    assert client.get(reverse("branch:ledger", args=[ledger_data["b"].pk])).status_code == 404
    assert client.get(reverse("ledgers:download", args=[ledger_data["b"].pk]), {"format": "docx"}).status_code == 404
    got = client.get(reverse("ledgers:download", args=[ledger_data["a"].pk]), {"format": "docx", "year": YEAR})
    assert got.status_code == 200 and "张建国" in docx_text(got.content)


def test_pdf_unavailable_page_says_what_to_install(ledger_data, secretary_a, monkeypatch):
    from members.ledgers import pdf

    monkeypatch.setattr(pdf, "unavailable_reason", lambda: "无法生成 PDF：请安装 " + pdf.INSTALL_HINT)
    client = login(secretary_a)
    page = client.get(reverse("branch:ledger", args=[ledger_data["a"].pk])).content.decode()
    assert "libpango" in page and "format=pdf" not in page and "format=docx" in page
    got = client.get(reverse("ledgers:download", args=[ledger_data["a"].pk]), {"format": "pdf"})
    assert got.status_code == 503 and "libpango" in got.content.decode()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_photos_as_thumbnails(tree, district_admin, need_pdf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_ledger_meeting
    from tests.factories.members import RosterMemberFactory

    branch = tree["branch_a"]
    member = RosterMemberFactory(branch=branch, name="孙照片")
    make_ledger_meeting(branch, [member], topic="主题党日活动", attachments=[SimpleUploadedFile("合影.png", _png())])
    word = service.ledger_file(user=district_admin, branch=branch, year=YEAR, fmt="docx")
    assert len(WordDocument(io.BytesIO(word.data)).inline_shapes) == 1
    printed = service.ledger_file(user=district_admin, branch=branch, year=YEAR, fmt="pdf")
    assert b"/Subtype /Image" in printed.data or b"/Image" in printed.data


def test_queries_do_not_grow_with_meetings(ledger_data, district_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            service.ledger_document(user=district_admin, branch=ledger_data["a"], year=YEAR)
        return len(ctx.captured_queries)

    count()  # permission and requirement caches warm
    before = count()
    from tests.factories import make_ledger_meeting

    for n in range(3):
        make_ledger_meeting(
            ledger_data["a"],
            [ledger_data["zhang"]],
            topic=f"专题学习{n}",
            resolutions=[{"text": f"决议{n}", "votes_for": 1, "votes_against": 0, "votes_abstain": 0}],
        )
    assert count() == before


@pytest.fixture
def dues_data(ledger_data):
    import datetime

    from members.dues import ledger
    from tests.factories import make_dues_member

    jan = datetime.date(YEAR, 1, 1)
    payer = make_dues_member(ledger_data["a"], name="钱缴费", income="4000", valid_from=jan)
    outsider = make_dues_member(ledger_data["b"], name="孙别支", income="4000", valid_from=jan)
    for member in (payer, outsider):
        ledger.payment_record(member=member, months=[jan], paid_on=jan, method="cash")
    return {"payer": payer, "outsider": outsider}


def test_dues_section_in_pdf_and_docx(ledger_data, dues_data, district_admin, need_pdf):
    from members.models import DuesPayment

    amount = f"{DuesPayment.objects.get(member=dues_data['payer']).amount:.2f}"
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = read(service.ledger_file(user=district_admin, branch=ledger_data["a"], year=YEAR, fmt=fmt).data)
        assert "党费收缴台账" in text, fmt
        assert "钱缴费" in text and amount in text and "1月" in text, fmt
        assert "孙别支" not in text, fmt
