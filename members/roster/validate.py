"""The row check of a roster: every cell parsed as the member field spec says, then the same
rules as ``members.services`` (``member_rule_errors``) on the member the row describes.

Two passes per row, with one bulk lookup of registered members between them: ``parse`` reads
the cells (no query), ``build`` puts them on a new member or, for an update, on the registered
one, so the columns absent from the file keep their stored values and the rules see the member
as it will be saved.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from members import crypto
from members.fields import BY_KEY, DATE, ENUM, IMPORT_FIELDS, INT, TEXT
from members.models import Ethnicity, Member, MemberEventKind, OccupationStatus, PartyStatus
from members.personal_data import duplicate_id_message
from members.roster.columns import header_of, looks_numeric
from members.roster.lookups import Lookups
from members.roster.report import RowError
from members.roster.save import fast_member
from members.services import member_rule_errors, party_status_change_errors
from organizations.models import Organization, OrganizationKind

DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
COMPACT_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
# The values a new member starts from (an update starts from the registered member).
NEW_MEMBER = {
    "ethnicity": Ethnicity.HAN,
    "gender": "",
    "occupation_status": OccupationStatus.RETIRED,
    "party_status": PartyStatus.FULL,
    "floating_status": "",
}
_SKIP = object()  # a blank cell that leaves the field as it is (a default, or the stored value)


class CellError(ValueError):
    """A cell that cannot be read; the message names what is wrong."""


def parse_date(value: Any) -> datetime.date:
    if type(value) is str and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value)  # 2024-05-01, the common case
        except ValueError:
            pass
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    m = DATE_RE.match(text)
    if m is None and len(text) == 8 and text.isdigit():
        m = COMPACT_DATE_RE.match(text)
    if m is None:
        raise ValueError
    return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _text_cell(f, value):
    if not value:
        return value
    if f.max_length and len(value) > f.max_length:
        raise CellError(_("At most %(n)d characters.") % {"n": f.max_length})
    return value


def _enum_cell(f, value):
    if value in f.choices:
        return f.choices[value]
    if value == "":
        if f.required:
            raise CellError(_("This field is required."))
        return _SKIP  # gender from the ID number, occupation as the default or stored
    raise CellError(
        _("Unknown value “%(value)s”; use one of: %(choices)s.")
        % {"value": value, "choices": "、".join(k for k in f.choices if k)}
    )


def _date_cell(f, value):
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise CellError(_("“%(value)s” is not a date (use 2024-05-01).") % {"value": value}) from None


def _int_cell(f, value):
    if value == "":
        return 0
    if not value.isdigit():
        raise CellError(_("Enter a whole number of months."))
    return int(value)


CELL_PARSERS = {TEXT: _text_cell, ENUM: _enum_cell, DATE: _date_cell, INT: _int_cell}


def number_cell_message() -> str:
    return _("The cell is in number format; format the column as text and import again.")


@dataclass
class ParsedRow:
    """What one row says, before it is put on a member."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)  # model attribute → value
    nodes: dict[str, Organization | None] = field(default_factory=dict)  # branch, group, home_organization
    places: dict[str, Any] = field(default_factory=dict)  # compound, building
    home_name: str = ""
    id_number: str = ""
    id_hash: str | None = None
    id_numeric: bool = False
    phone: str | None = None  # None: the file has no phone column
    bad: bool = False


class RowChecker:
    """Parses and checks the rows of one file; the errors go to ``errors``."""

    def __init__(self, look: Lookups, columns: frozenset[str], *, today: datetime.date, errors: list[RowError]):
        self.look, self.columns, self.today, self.errors = look, columns, today, errors
        self.cells = [
            (f.key, f, CELL_PARSERS[f.kind]) for f in IMPORT_FIELDS if f.key in columns and f.kind in CELL_PARSERS
        ]
        self.hash = crypto.keyed_hasher()
        self.seen_ids: dict[str, int] = {}
        self.seen_party_numbers: dict[str, int] = {}
        # Member pk → the 延长预备期 / 转正 events an update makes (written with the rows).
        self.status_events: dict[int, list[tuple[str, Any]]] = {}
        self._row = 0
        self._bad = False

    def err(self, key: str, message: str) -> None:
        self._bad = True
        self.errors.append(RowError(self._row, header_of(key), message))

    # --- first pass: the cells ----------------------------------------------------------------
    def parse(self, row: int, rec: dict[str, Any]) -> ParsedRow:
        self._row, self._bad = row, False
        parsed = ParsedRow(row=row)
        values = parsed.values
        for key, f, parse in self.cells:
            try:
                value = parse(f, rec[key])
            except CellError as exc:
                self.err(key, str(exc))
                continue
            if value is not _SKIP:
                values[key] = value
        self._parse_nodes(rec, parsed)
        self._parse_places(rec, parsed)
        self._parse_id(rec, parsed)
        self._parse_phone(rec, parsed)
        parsed.bad = self._bad
        return parsed

    def _branch(self, key: str) -> Organization | None:
        if not key:
            if self.look.default_branch is None:
                self.err("branch", _("This field is required."))
            return self.look.default_branch
        found = self.look.nodes(key, OrganizationKind.BRANCH)
        scoped = [n for n in found if n.id in self.look.in_scope]
        if len(scoped) == 1:
            return scoped[0]
        if len(scoped) > 1:
            self.err("branch", _("Several branches are called “%(name)s”; use the branch code.") % {"name": key})
        elif found:
            self.err("branch", _("The branch “%(name)s” is outside your scope.") % {"name": key})
        else:
            self.err("branch", _("No compound branch “%(name)s”.") % {"name": key})
        return None

    def _group(self, key: str, branch: Organization | None) -> Organization | None:
        if not key or branch is None:
            return None
        found = self.look.nodes(key, OrganizationKind.GROUP)
        under = [n for n in found if n.parent_id == branch.id]
        if under:
            return under[0]
        if found:
            self.err(
                "group",
                _("The building group “%(group)s” is not under the branch “%(branch)s”.")
                % {"group": key, "branch": branch.name},
            )
        else:
            self.err("group", _("No building group “%(name)s”.") % {"name": key})
        return None

    def _parse_nodes(self, rec: dict[str, Any], parsed: ParsedRow) -> None:
        branch = self._branch(rec.get("branch", ""))
        parsed.nodes["branch"] = branch
        if "group" in self.columns:
            parsed.nodes["group"] = self._group(rec["group"], branch)
        if "home_organization" in self.columns:
            key = rec["home_organization"]
            limit = BY_KEY["home_organization"].max_length
            if len(key) > limit:
                self.err("home_organization", _("At most %(n)d characters.") % {"n": limit})
            found = self.look.by_key.get(key, []) if key else []
            parsed.nodes["home_organization"] = found[0] if len(found) == 1 else None
            parsed.home_name = key if key and len(found) != 1 else ""

    def _parse_places(self, rec: dict[str, Any], parsed: ParsedRow) -> None:
        branch = parsed.nodes["branch"]
        compound = building = None
        key = rec.get("compound", "")
        if key and branch is not None:
            fits = [
                c
                for c in self.look.compounds.get(key, [])
                if c.branch_id == branch.id or c.community_id == branch.parent_id
            ]
            if fits:
                compound = fits[0]
            else:
                self.err("compound", _("No compound “%(name)s” in the branch's community.") % {"name": key})
        key = rec.get("building", "")
        if key and compound is not None:
            building = self.look.buildings.get((compound.id, key))
            if building is None:
                self.err(
                    "building",
                    _("No building “%(name)s” in “%(compound)s”.") % {"name": key, "compound": compound.name},
                )
        elif key and "compound" not in self.columns:
            self.err("building", _("Give the compound of the building in the “居住小区” column."))
        for name, value in (("compound", compound), ("building", building)):
            if name in self.columns:
                parsed.places[name] = value

    def _parse_id(self, rec: dict[str, Any], parsed: ParsedRow) -> None:
        raw = rec.get("id_number", "")
        parsed.id_number = crypto.normalize_id_number(raw)
        parsed.id_numeric = looks_numeric(raw)
        if not parsed.id_number:
            self.err("id_number", _("This field is required."))
            return
        parsed.id_hash = self.hash(parsed.id_number)
        first = self.seen_ids.setdefault(parsed.id_hash, parsed.row)
        if first != parsed.row:
            self.err("id_number", _("The same ID number is already on row %(row)d.") % {"row": first})

    def _parse_phone(self, rec: dict[str, Any], parsed: ParsedRow) -> None:
        if "phone" not in self.columns:
            return
        raw = rec["phone"]
        parsed.phone = crypto.normalize_phone(raw)
        if parsed.phone and not crypto.MOBILE_RE.match(parsed.phone):
            if looks_numeric(raw):
                self.err("phone", number_cell_message())
            else:
                self.err("phone", _("Enter a valid mobile phone number (11 digits starting with 1)."))

    # --- second pass: the member --------------------------------------------------------------
    def build(self, parsed: ParsedRow, base: Member | None) -> Member | None:
        """The member the row describes (``base``: the registered member it updates), or None
        when the row has an error."""
        self._row, self._bad = parsed.row, parsed.bad
        if base is not None:
            self._party_status_change(parsed, base)
        member = self._member(parsed, base)
        self._party_number(member)
        nodes = {
            name: parsed.nodes[name] if name in parsed.nodes else self._stored_node(base, name)
            for name in ("branch", "group", "home_organization")
        }
        self._floating(member, base)
        rule_errors = member_rule_errors(
            member, branch=nodes["branch"], group=nodes["group"], home_organization=nodes["home_organization"]
        )
        if nodes["branch"] is None:
            rule_errors.pop("branch", None)  # already reported with the cell
        for key, messages in rule_errors.items():
            for message in messages:
                self.err(key, message)
        self._identity(member, parsed, creating=base is None)
        return None if self._bad else member

    def _party_status_change(self, parsed: ParsedRow, base: Member) -> None:
        """An update that extends the probation or converts the member follows the rules of the
        probation service (``members.services``: one extension, never changed or undone; 转正,
        never back) and is recorded as that event, not as a generic edit."""
        values = parsed.values
        months, status = values.get("probation_extension_months"), values.get("party_status")
        full_on = values.get("full_member_on")
        errors = party_status_change_errors(
            base, months=months, status=status, full_member_on=full_on if full_on != base.full_member_on else None
        )
        for key, messages in errors.items():
            for message in messages:
                self.err(key, message)
        events = []
        if months is not None and months != base.probation_extension_months:
            events.append((MemberEventKind.PROBATION_EXTENDED, self.today, str(months)))
        if status == PartyStatus.FULL and base.party_status == PartyStatus.PROBATIONARY:
            if full_on is None:
                values["full_member_on"] = full_on = self.today
            events.append((MemberEventKind.FULL_MEMBER, full_on, ""))
        if events:
            self.status_events[base.pk] = events

    def _party_number(self, member: Member) -> None:
        """党员编号: unique where given, in the file and among the registered members."""
        number = member.party_number
        if not number:
            return
        first = self.seen_party_numbers.setdefault(number, self._row)
        if first != self._row:
            self.err("party_number", _("The same party member number is already on row %(row)d.") % {"row": first})
        elif self.look.party_numbers.get(number, member.pk) != member.pk:
            self.err("party_number", _("This party member number is already registered."))

    @staticmethod
    def _stored_node(base: Member | None, name: str) -> Organization | None:
        if base is None or getattr(base, f"{name}_id") is None:
            return None
        return getattr(base, name)

    def _member(self, parsed: ParsedRow, base: Member | None) -> Member:
        # ``.id``, not ``.pk``: the property costs a lookup per row and relation.
        links = {f"{name}_id": node.id if node else None for name, node in (parsed.nodes | parsed.places).items()}
        if "home_organization" in parsed.nodes:
            links["home_organization_name"] = parsed.home_name
        if base is None:
            return fast_member({**NEW_MEMBER, **parsed.values, **links})
        for attname, value in (parsed.values | links).items():
            setattr(base, attname, value)
        return base

    def _floating(self, member: Member, base: Member | None) -> None:
        """Floating since the import, unless the stored member already floats the same way."""
        if "floating_status" in self.columns:
            same = base is not None and base.floating_status == member.floating_status and base.floating_since
            if not member.floating_status:
                member.floating_since = None
            elif not same:
                member.floating_since = self.today
        if member.floating_status and not member.floating_to:
            self.err("floating_to", _("Say where the member floats to or from."))

    def _identity(self, member: Member, parsed: ParsedRow, *, creating: bool) -> None:
        id_number = parsed.id_number
        if id_number:
            problems = crypto.id_number_errors(id_number, member.birth_date, today=self.today)
            if problems and parsed.id_numeric:
                problems = [number_cell_message()]
            for message in problems:
                self.err("id_number", message)
            if not problems:
                member.birth_date = member.birth_date or crypto.id_birth_date(id_number)
                member.gender = member.gender or crypto.id_gender(id_number)
                if creating:
                    member.id_number_hash = parsed.id_hash
                    member.id_number_masked = crypto.mask_id_number(id_number)
        if parsed.phone is not None:
            member.phone_hash = self.hash(parsed.phone) if parsed.phone else ""
            member.phone_masked = crypto.mask_phone(parsed.phone)


def already_registered_message(other, *, user) -> str:
    """The error of a row whose ID number belongs to a registered member the row may not update
    (or to an open candidate):
    the one duplicate message (it names the record only to a user who can see it)."""
    return duplicate_id_message(other, user=user, count=False)
