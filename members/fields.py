"""The member field spec: each field of a party member once, with everything every layer needs.

The roster file (import template, importer, admin export), the API serializer's field list and
the admin's fieldsets and list are all built from ``FIELDS``, so a field added here reaches every
layer and an export always carries every column the importer reads (an export → edit →
re-import round trip cannot lose a field).

``header`` is the roster file's column header. The headers are the file format, so they are
Chinese whatever the UI language; so are the enum values written and read in the file
(``choices``: accepted Chinese values → stored value, the first one per value is the one the
export writes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from members.models import (
    NATIONALITY_NAMES,
    ConversionStatus,
    Degree,
    Education,
    FloatingStatus,
    Gender,
    OccupationStatus,
    PartyStatus,
)

# How a roster cell is read and written.
TEXT = "text"
ENUM = "enum"
DATE = "date"
INT = "int"
BOOL = "bool"
NODE = "node"  # an organization of the tree, by name or code
PLACE = "place"  # a compound or building, by name
PII = "pii"  # ID number, phone: encrypted at rest, masked on export unless the user may unmask
DISPLAY = "display"  # a derived value shown with its label (read-only)

SECTION_PERSONAL = "personal"
SECTION_PARTY = "party"
SECTION_RESIDENCE = "residence"
SECTION_SITUATION = "situation"
SECTIONS = {
    SECTION_PERSONAL: _("Personal data"),
    SECTION_PARTY: _("Party membership"),
    SECTION_RESIDENCE: _("Residence and work"),
    SECTION_SITUATION: _("Situation"),
}


@dataclass(frozen=True)
class MemberField:
    """One field of a member as the roster file, the API and the admin see it."""

    key: str  # the model attribute (or the service input: ``id_number``, ``phone``)
    header: str  # the roster column header
    kind: str = TEXT
    required: bool = False  # the import needs the column
    importable: bool = True  # read by the importer; False: exported for reading only
    sensitive: bool = False  # personal data, masked unless the user may unmask
    choices: Mapping[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # other headers the importer accepts
    # Model attributes an update writes when the column is in the file (default: ``key``).
    writes: tuple[str, ...] = ()
    max_length: int | None = None
    section: str = SECTION_PERSONAL
    editable: bool = True  # the admin form and the API may set it
    api_writable: bool = True  # False: the API changes it only through its own action
    in_list: bool = False  # a column of the admin's member list

    @property
    def attributes(self) -> tuple[str, ...]:
        return self.writes or (self.key,)

    def export_value(self, stored: str) -> str:
        """The Chinese value the file carries for a stored enum value."""
        for text, value in self.choices.items():
            if value == stored:
                return text
        return stored


FIELDS: tuple[MemberField, ...] = (
    MemberField("name", "姓名", required=True, max_length=50, in_list=True),
    MemberField("gender", "性别", ENUM, choices={"男": Gender.MALE, "女": Gender.FEMALE}, in_list=True),
    MemberField(
        "ethnicity",
        "民族",
        ENUM,
        # GB/T 3304 names (汉族), also without 族 (汉) and as the two-digit code (01).
        choices=(
            {name: code for code, name in NATIONALITY_NAMES.items()}
            | {name.removesuffix("族"): code for code, name in NATIONALITY_NAMES.items()}
            | {code: code for code in NATIONALITY_NAMES}
        ),
    ),
    MemberField("birth_date", "出生日期", DATE, aliases=("出生年月",)),
    MemberField(
        "id_number",
        "身份证号",
        PII,
        required=True,
        sensitive=True,
        aliases=("身份证号码",),
        writes=("id_number_encrypted", "id_number_hash", "id_number_masked"),
        in_list=True,
    ),
    MemberField(
        "phone",
        "手机号",
        PII,
        sensitive=True,
        aliases=("联系电话", "电话", "手机"),
        writes=("phone_encrypted", "phone_hash", "phone_masked"),
        in_list=True,
    ),
    MemberField("native_place", "籍贯", max_length=50),
    MemberField(
        "education",
        "学历",
        ENUM,
        # The national list first (what the export writes), then the words clerks use.
        choices={
            "": "",
            "研究生": Education.POSTGRADUATE,
            "大学本科": Education.BACHELOR,
            "大学专科": Education.COLLEGE,
            "中专": Education.VOCATIONAL,
            "高中": Education.SENIOR,
            "初中及以下": Education.JUNIOR_OR_BELOW,
            "硕士研究生": Education.POSTGRADUATE,
            "博士研究生": Education.POSTGRADUATE,
            "本科": Education.BACHELOR,
            "大专": Education.COLLEGE,
            "专科": Education.COLLEGE,
            "中等专科": Education.VOCATIONAL,
            "中技": Education.VOCATIONAL,
            "职高": Education.VOCATIONAL,
            "初中": Education.JUNIOR_OR_BELOW,
            "小学": Education.JUNIOR_OR_BELOW,
        },
    ),
    MemberField(
        "degree",
        "学位",
        ENUM,
        choices={"": Degree.NONE, "学士": Degree.BACHELOR, "硕士": Degree.MASTER, "博士": Degree.DOCTOR}
        | {"无": Degree.NONE, "学士学位": Degree.BACHELOR, "硕士学位": Degree.MASTER, "博士学位": Degree.DOCTOR},
    ),
    MemberField(
        "party_status",
        "党员类别",
        ENUM,
        required=True,
        choices={
            "正式党员": PartyStatus.FULL,
            "正式": PartyStatus.FULL,
            "预备党员": PartyStatus.PROBATIONARY,
            "预备": PartyStatus.PROBATIONARY,
        },
        writes=("party_status", "probation_due_on"),
        section=SECTION_PARTY,
        in_list=True,
    ),
    MemberField("admitted_on", "入党日期", DATE, aliases=("入党时间",), section=SECTION_PARTY),
    MemberField("full_member_on", "转正日期", DATE, aliases=("转正时间",), section=SECTION_PARTY),
    MemberField("probation_extension_months", "延长预备期（月）", INT, section=SECTION_PARTY),
    MemberField(
        "conversion_status",
        "转正情况",
        ENUM,
        choices={
            "": ConversionStatus.NONE,
            "按期转正": ConversionStatus.ON_TIME,
            "延长预备期后转正": ConversionStatus.EXTENDED,
        }
        | {"按期": ConversionStatus.ON_TIME, "延长预备期": ConversionStatus.EXTENDED},
        section=SECTION_PARTY,
    ),
    MemberField("admission_branch_name", "入党时所在支部", max_length=100, section=SECTION_PARTY),
    MemberField("introducer_names", "入党介绍人", max_length=100, section=SECTION_PARTY),
    MemberField("party_number", "党员编号", max_length=30, section=SECTION_PARTY),
    MemberField("probation_due_on", "转正到期日", DATE, importable=False, editable=False, section=SECTION_PARTY),
    MemberField(
        "occupation_status",
        "职业状况",
        ENUM,
        choices={
            "离退休": OccupationStatus.RETIRED,
            "退休": OccupationStatus.RETIRED,
            "离休": OccupationStatus.RETIRED,
            "在职": OccupationStatus.IN_SERVICE,
            "无职": OccupationStatus.UNEMPLOYED,
            "无业": OccupationStatus.UNEMPLOYED,
            "待业": OccupationStatus.UNEMPLOYED,
            "学生": OccupationStatus.STUDENT,
            "其他": OccupationStatus.OTHER,
        },
        writes=("occupation_status", "management_mode"),
        section=SECTION_RESIDENCE,
        in_list=True,
    ),
    MemberField("employer", "工作单位", max_length=100, section=SECTION_RESIDENCE),
    MemberField("job_title", "职务", max_length=50, aliases=("工作职务",), section=SECTION_RESIDENCE),
    MemberField("work_started_on", "参加工作日期", DATE, aliases=("参加工作时间",), section=SECTION_RESIDENCE),
    MemberField(
        "branch", "所在支部", NODE, required=True, aliases=("所属支部", "支部"), section=SECTION_PARTY, in_list=True
    ),
    MemberField("group", "党小组", NODE, section=SECTION_PARTY, in_list=True),
    MemberField(
        "home_organization",
        "组织关系所在",
        NODE,
        max_length=100,
        writes=("home_organization", "home_organization_name"),
        section=SECTION_PARTY,
    ),
    MemberField("compound", "居住小区", PLACE, aliases=("小区",), section=SECTION_RESIDENCE),
    MemberField("building", "楼栋", PLACE, section=SECTION_RESIDENCE),
    MemberField("unit", "单元", max_length=10, section=SECTION_RESIDENCE),
    MemberField("room", "房号", max_length=10, section=SECTION_RESIDENCE),
    MemberField("reported_on", "报到日期", DATE, section=SECTION_RESIDENCE, in_list=True),
    MemberField(
        "floating_status",
        "流动情况",
        ENUM,
        choices={"": FloatingStatus.NONE, "否": FloatingStatus.NONE, "无": FloatingStatus.NONE}
        | {"流出": FloatingStatus.OUT, "流入": FloatingStatus.IN},
        writes=("floating_status", "floating_since", "management_mode"),
        section=SECTION_SITUATION,
        in_list=True,
    ),
    MemberField("floating_to", "流向/流入地", max_length=100, section=SECTION_SITUATION),
    MemberField("floating_since", "流动开始日期", DATE, importable=False, section=SECTION_SITUATION),
    MemberField(
        "lost_contact", "失联", BOOL, importable=False, api_writable=False, section=SECTION_SITUATION, in_list=True
    ),
    MemberField(
        "lost_contact_since", "失联日期", DATE, importable=False, api_writable=False, section=SECTION_SITUATION
    ),
    # Set by the services on joining / transfer: where 失联 counts from when there is no attendance yet.
    MemberField(
        "branch_joined_on", "加入本支部日期", DATE, importable=False, editable=False, section=SECTION_SITUATION
    ),
    MemberField(
        "management_mode",
        "管理方式",
        DISPLAY,
        importable=False,
        editable=False,
        section=SECTION_SITUATION,
        in_list=True,
    ),
    MemberField("status", "状态", DISPLAY, importable=False, editable=False, section=SECTION_SITUATION, in_list=True),
    MemberField("status_changed_on", "状态变更日期", DATE, importable=False, editable=False, section=SECTION_SITUATION),
    MemberField("note", "备注", section=SECTION_SITUATION),
)

BY_KEY: dict[str, MemberField] = {f.key: f for f in FIELDS}
# The importer's columns (in the template's order); the export writes these first, then the
# read-only ones, so a re-import finds every column it reads.
IMPORT_FIELDS: tuple[MemberField, ...] = tuple(f for f in FIELDS if f.importable)
EXPORT_FIELDS: tuple[MemberField, ...] = IMPORT_FIELDS + tuple(f for f in FIELDS if not f.importable)
SENSITIVE_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.sensitive)
HEADER: dict[str, str] = {f.key: f.header for f in FIELDS}


def header_map() -> dict[str, str]:
    """Every header the importer accepts (the spec's and the aliases) → field key."""
    found = {f.header: f.key for f in IMPORT_FIELDS}
    for f in IMPORT_FIELDS:
        found.update(dict.fromkeys(f.aliases, f.key))
    return found


def service_fields() -> tuple[str, ...]:
    """What ``member_create`` / ``member_update`` set besides the personal data (the admin form's
    fields; ``services.MEMBER_FIELDS`` holds the same names)."""
    names = []
    for f in FIELDS:
        if f.editable and f.kind != PII:
            names.append(f.key)
            if f.key == "home_organization":
                names.append("home_organization_name")
    return tuple(names)


def api_fields() -> tuple[str, ...]:
    """The member fields of the API, in the spec's order (the serializer adds id, briefs, displays)."""
    return tuple(f.key for f in FIELDS)


def api_read_only_fields() -> tuple[str, ...]:
    """Fields the API shows but no client sets (derived, or changed by their own actions)."""
    return tuple(f.key for f in FIELDS if not (f.editable and f.api_writable))


def admin_fieldsets() -> tuple:
    """The admin form's fieldsets by section; a sensitive input sits beside its masked value."""
    sections: dict[str, list] = {key: [] for key in SECTIONS}
    for f in FIELDS:
        if f.kind == PII:
            sections[f.section].append((f.key, f"{f.key}_masked"))
        else:
            sections[f.section].append(f.key)
            if f.key == "home_organization":
                sections[f.section].append("home_organization_name")
    return tuple((SECTIONS[key], {"fields": tuple(names)}) for key, names in sections.items())


def admin_list_display() -> tuple[str, ...]:
    """The member list's columns: sensitive ones masked."""
    return tuple(f"{f.key}_masked" if f.kind == PII else f.key for f in FIELDS if f.in_list)
