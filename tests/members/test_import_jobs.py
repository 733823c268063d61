"""Import limits checked before parsing, and the big imports and exports that run on the worker
(eager Celery here: the real task path, the same code the worker runs)."""

import io
import zipfile

import openpyxl
import pytest
from django.test import Client, override_settings

from core.jobs import FileJob, JobStatus
from members.models import Member
from members.roster import ImportFileError, check_limits, import_members, jobs
from tests.factories import RosterMemberFactory
from tests.members.helpers import good_rows, roster_csv

CHANGELIST = "/admin/members/member/"


def staff_client(user):
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def workbook(rows: int, width: int = 3) -> bytes:
    book = openpyxl.Workbook()
    for i in range(rows):
        book.active.append([f"v{i}-{j}" for j in range(width)])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def upload(client, content: bytes, name: str = "名册.csv", **extra):
    file = io.BytesIO(content)
    file.name = name
    return client.post(f"{CHANGELIST}import/", {"file": file, **extra})


@override_settings(IMPORT_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused_with_the_limit_named():
    with pytest.raises(ImportFileError) as exc:
        check_limits(b"x" * (1024 * 1024 + 1))
    assert "1 MB" in str(exc.value) and "拆分" in str(exc.value)


@override_settings(IMPORT_MAX_UNZIPPED_BYTES=1024 * 1024)
def test_a_zip_bomb_is_refused_before_openpyxl_reads_it():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * 1024 * 1024))  # compresses to a few KB
    assert len(buf.getvalue()) < 64 * 1024
    with pytest.raises(ImportFileError) as exc:
        check_limits(buf.getvalue())
    assert "解压" in str(exc.value) and "1 MB" in str(exc.value)


@override_settings(IMPORT_MAX_ROWS=5)
def test_the_sheet_dimension_over_the_row_limit_is_refused_before_the_rows_are_read():
    with pytest.raises(ImportFileError) as exc:
        check_limits(workbook(8))
    assert "5" in str(exc.value) and "行" in str(exc.value)
    assert check_limits(workbook(6)) == 6  # the header and five data rows


@override_settings(IMPORT_MAX_ROWS=3)
def test_a_csv_over_the_row_limit_is_refused_with_the_limit_named(tree):
    with pytest.raises(ImportFileError) as exc:
        import_members(data=roster_csv(good_rows(tree["branch_a"], 4)), filename="a.csv")
    assert "3" in str(exc.value)


@override_settings(IMPORT_MAX_BYTES=1024 * 1024)
def test_the_admin_names_the_size_limit_and_saves_nothing(tree, staff_a):
    response = upload(staff_client(staff_a), b"a" * (1024 * 1024 + 10))
    assert response.status_code == 200 and "1 MB" in response.context["file_error"]
    assert not FileJob.objects.exists() and not Member.objects.exists()


def test_the_stash_is_on_the_default_storage_and_refuses_unknown_keys():
    token = jobs.write_stash(b"roster bytes")
    assert jobs.read_stash(token) == b"roster bytes"
    assert jobs.read_stash("0" * 32) is None and jobs.read_stash("../etc") is None
    jobs.drop_stash(token)
    assert jobs.read_stash(token) is None


@override_settings(IMPORT_WORKER_ROWS=2)
def test_a_big_import_is_checked_then_saved_by_the_worker_with_progress(tree, staff_a, staff_b):
    client = staff_client(staff_a)
    response = upload(client, roster_csv(good_rows(tree["branch_a"], 4)))
    check = FileJob.objects.get(kind=jobs.IMPORT_KIND)
    assert response.status_code == 302 and response["Location"] == f"{CHANGELIST}jobs/{check.pk}/"
    assert check.status == JobStatus.DONE and check.params["dry_run"]
    assert (check.params["read"], check.params["validated"]) == (4, 4)
    assert not Member.objects.exists()
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "已读取" in html and "确认导入" in html and "4 行" in html
    assert staff_client(staff_b).get(response["Location"]).status_code == 404

    saved = client.post(response["Location"], {"confirm": "1"})
    job = FileJob.objects.exclude(pk=check.pk).get()
    assert saved["Location"] == f"{CHANGELIST}jobs/{job.pk}/"
    assert job.status == JobStatus.DONE and job.params["saved"] == 4 and job.params["report"]["saved"]
    assert Member.objects.count() == 4
    assert "已导入" in client.get(saved["Location"]).content.decode()
    assert jobs.read_stash(job.params["token"]) is None  # used once


@override_settings(IMPORT_WORKER_ROWS=2)
def test_a_big_import_with_errors_lists_them_and_cannot_be_confirmed(tree, staff_a):
    rows = good_rows(tree["branch_a"], 4)
    rows[2][0] = ""  # 姓名 missing on row 4
    client = staff_client(staff_a)
    response = upload(client, roster_csv(rows))
    job = FileJob.objects.get()
    assert job.params["report"]["error_count"] == 1 and job.params["report"]["errors"][0][0] == 4
    html = client.get(response["Location"]).content.decode()
    assert "姓名" in html and "确认导入" not in html
    assert client.post(response["Location"], {"confirm": "1"}).status_code == 403
    assert not Member.objects.exists()


@override_settings(EXPORT_WORKER_ROWS=2)
def test_a_big_export_is_built_by_the_worker_for_its_user_only(tree, staff_a, staff_b):
    for _ in range(3):
        RosterMemberFactory(branch=tree["branch_a"])
    client = staff_client(staff_a)
    response = client.get(f"{CHANGELIST}export/")
    job = FileJob.objects.get(kind=jobs.EXPORT_KIND)
    assert response["Location"] == f"{CHANGELIST}jobs/{job.pk}/"
    assert job.status == JobStatus.DONE and job.file.name.endswith(".xlsx")
    assert "下载文件" in client.get(response["Location"]).content.decode()
    download = client.get(f"{CHANGELIST}jobs/{job.pk}/file/")
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert len(list(book.worksheets[0].iter_rows())) == 4  # header + 3 members
    assert staff_client(staff_b).get(f"{CHANGELIST}jobs/{job.pk}/file/").status_code == 404
