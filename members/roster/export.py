"""The roster as a file: the admin export and the import template, both with the spec's
columns, so an exported file can be edited and imported again without losing a field."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from core.xlsx import Sheet, write_xlsx
from members import crypto
from members.fields import BOOL, DISPLAY, EXPORT_FIELDS, IMPORT_FIELDS, INT, NODE, PII, PLACE, MemberField
from members.models import NATIONALITY_NAMES, Member
from members.roster.columns import EXAMPLE_BIRTH, EXAMPLE_ID, EXAMPLE_NAME

SHEET_TITLE = "党员名册"
NOTES_TITLE = "填写说明"
WIDTH = 16


def _node(member: Member, f: MemberField) -> str:
    if getattr(member, f"{f.key}_id") is None:
        return member.home_organization_name if f.key == "home_organization" else ""
    return getattr(member, f.key).name


def _pii(member: Member, f: MemberField, unmask: bool) -> str:
    if unmask:
        return crypto.decrypt(getattr(member, f"{f.key}_encrypted"))
    return getattr(member, f"{f.key}_masked")


RENDER: dict[str, Callable[[Member, MemberField, bool], Any]] = {
    NODE: lambda m, f, unmask: _node(m, f),
    PLACE: lambda m, f, unmask: getattr(m, f.key).name if getattr(m, f"{f.key}_id") else "",
    PII: _pii,
    BOOL: lambda m, f, unmask: "是" if getattr(m, f.key) else "",
    DISPLAY: lambda m, f, unmask: getattr(m, f"get_{f.key}_display")(),
    INT: lambda m, f, unmask: getattr(m, f.key) or "",
}


def member_row(member: Member, *, unmask: bool) -> list[Any]:
    """One member as the roster row the importer reads back (enum values in the file's Chinese)."""
    row = []
    for f in EXPORT_FIELDS:
        render = RENDER.get(f.kind)
        if render is not None:
            row.append(render(member, f, unmask))
        elif f.choices:
            row.append(f.export_value(getattr(member, f.key)))
        else:
            row.append(getattr(member, f.key))
    return row


def export_workbook(members: Iterable[Member], *, unmask: bool = False) -> bytes:
    """An .xlsx of ``members`` (branch, group, home organization, compound and building loaded)
    with every column the importer reads, then the read-only ones. ID numbers and phones are
    masked unless ``unmask`` (the caller checked the permission and logs the export); a masked
    file says on its second sheet that it cannot be imported again (the importer refuses it)."""
    notes = []
    if not unmask:
        notes.append(
            Sheet(
                title=NOTES_TITLE,
                headers=["说明"],
                rows=[["身份证号、手机号已脱敏：本文件不能再导入（导入时会被拒绝）。要修改后再导入，请使用完整导出。"]],
                widths=[100],
            )
        )
    return write_xlsx(
        SHEET_TITLE,
        [f.header for f in EXPORT_FIELDS],
        (member_row(m, unmask=unmask) for m in members),
        widths=[WIDTH] * len(EXPORT_FIELDS),
        extra_sheets=notes,
    )


EXAMPLE = {
    "name": EXAMPLE_NAME,
    "gender": "男",
    "ethnicity": "汉族",
    "birth_date": EXAMPLE_BIRTH.isoformat(),
    "id_number": EXAMPLE_ID,
    "phone": "13812345678",
    "native_place": "重庆市巴南区",
    "education": "大学专科",
    "party_status": "正式党员",
    "admitted_on": "1990-07-01",
    "full_member_on": "1991-07-01",
    "occupation_status": "离退休",
    "branch": "华城国际小区党支部",
    "group": "华城国际1-3栋党小组",
    "compound": "华城国际小区",
    "building": "1栋",
    "unit": "1",
    "room": "101",
}


def template_rows() -> tuple[list[str], list[list[str]]]:
    """Headers (required ones marked *) and the example row of the downloadable template."""
    headers = [f.header + ("*" if f.required else "") for f in IMPORT_FIELDS]
    return headers, [[EXAMPLE.get(f.key, "") for f in IMPORT_FIELDS]]


def template_notes() -> list[list[str]]:
    notes = [
        ["示例行", f"第 2 行（{EXAMPLE_NAME}）是示例：导入时自动跳过，可以删除，也可以改写成真实党员（先改姓名）"],
        ["带 * 的列", "必填"],
        ["身份证号", "18 位，按 GB 11643 校验；出生日期须与身份证一致；请将该列设为文本格式（数字格式会丢失末几位）"],
        ["日期", "如 2024-05-01 或 2024/5/1 或 2024年5月1日"],
        ["所在支部 / 党小组 / 组织关系所在", "填名称或编码；组织关系在区外的，直接填单位党组织名称"],
        ["延长预备期（月）", "仅预备党员，6 至 12"],
        ["更新已登记党员", "勾选“更新已登记的党员”时，只改动文件中有的列；删去的列保持原值"],
    ]
    for f in IMPORT_FIELDS:
        if f.key == "ethnicity":  # 56 names, not also each short form and code
            notes.append([f.header, "、".join(NATIONALITY_NAMES.values()) + "（也可填“汉”或代码“01”）"])
        elif f.choices:
            notes.append([f.header, "、".join(k for k in f.choices if k)])
    return notes


def template_workbook() -> bytes:
    """The downloadable import template: headers, the example row (skipped on import) and a
    separate 填写说明 sheet with the rules and the allowed values."""
    headers, examples = template_rows()
    notes = Sheet(title=NOTES_TITLE, headers=["列", "说明"], rows=template_notes(), widths=[30, 100])
    return write_xlsx(SHEET_TITLE, headers, examples, widths=[WIDTH] * len(headers), extra_sheets=[notes])
