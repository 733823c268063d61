"""Every ``unaffected_by`` declaration of a statistics part is true: the writes of that audit
label touch no table the part reads. And a part that names its ``figures`` returns no other.

A part that declares a label keeps its cached figures when such a write happens
(``core.statistics.cache``); if the part read a table the write changes, it would serve stale
figures. So each label any part declares is written here the ways the product writes it (through
the services), the tables those statements change are collected, and each part is computed for
several nodes and periods (whole months, a partial month, a past year: the paths that read raw
rows or summaries) with the tables its queries read collected; the two sets must not meet.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.periods import Period
from core.statistics.framework import STAT_BLOCKS
from members.meetings import meeting_record, meeting_set_archived, meeting_update
from members.models import MeetingKind
from organizations import services as org_services
from tests.factories import MemberFactory

# Anywhere in a statement (a CTE may come first); a word after "DO UPDATE" or "FOR UPDATE" is no
# table and meets nothing.
WRITE = re.compile(r'\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
TABLES = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}


def _tables_written(sql_list) -> set[str]:
    return {m.group(1) for sql in sql_list for m in WRITE.finditer(sql)}


def _tables_read(sql_list) -> set[str]:
    found = set()
    for sql in sql_list:
        for table in TABLES:
            if re.search(rf'(?<![\w"]){table}(?![\w"])|"{table}"', sql):
                found.add(table)
    return found


def _record(data, member, kind, held_at, topic):
    return meeting_record(
        organization=data["branch_a"],
        kind=kind,
        held_at=timezone.make_aware(held_at),
        topic=topic,
        attendance=[{"member": member.pk, "status": "present"}],
    )


def _write_meeting(data):
    member = MemberFactory(branch=data["branch_a"])
    return member, _record(data, member, MeetingKind.THEME_DAY, datetime.datetime(2026, 5, 20, 19), "主题党日")


def _meeting_writes(data) -> list[str]:
    member, _meeting = _write_meeting(data)
    with CaptureQueriesContext(connection) as ctx:
        meeting = _record(data, member, MeetingKind.PARTY_CONGRESS, datetime.datetime(2026, 3, 3, 19), "支部党员大会")
        meeting = meeting_update(
            meeting=meeting,
            version=meeting.version,
            topic="支部党员大会（改）",
            attendance=[{"member": member.pk, "status": "absent"}],
        )
        meeting_set_archived(meeting=meeting, archived=True)
        meeting_set_archived(meeting=meeting, archived=False)
    return [q["sql"] for q in ctx.captured_queries]


def _compound_writes(data) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        compound = org_services.compound_save(name="新小区", community=data["community_b"], households=80)
        compound = org_services.compound_save(compound=compound, branch=data["branch_b"], households=90)
        org_services.compound_save(compound=compound, branch=None)
    return [q["sql"] for q in ctx.captured_queries]


# Each label a part may declare, written the ways the product writes it. A label declared but
# missing here fails the test: a declaration nobody checked is not allowed.
WRITES = {
    "members.meeting": _meeting_writes,
    "members.meetingrevision": _meeting_writes,
    "organizations.compound": _compound_writes,
}

PERIODS = [Period.year(2026), Period(datetime.date(2026, 3, 10), datetime.date(2026, 5, 20)), Period.year(2025)]


@pytest.fixture
def reads_and_writes(stats_data):
    _write_meeting(stats_data)
    nodes = [[stats_data["district"]], [stats_data["community_a"], stats_data["community_b"]], [stats_data["branch_a"]]]
    reads, returned = {}, {}
    for block in STAT_BLOCKS.values():
        for spec in block.specs():
            names = set()
            with CaptureQueriesContext(connection) as ctx:
                for some in nodes:
                    for period in PERIODS:
                        names |= {name for values in spec(some, period).values() for name in values}
            reads[spec.key] = _tables_read(q["sql"] for q in ctx.captured_queries)
            returned[spec.key] = names
    writes = {label: _tables_written(write(stats_data)) for label, write in WRITES.items()}
    return reads, writes, returned


def test_every_declared_label_is_checked():
    declared = {label for block in STAT_BLOCKS.values() for spec in block.specs() for label in spec.unaffected_by}
    assert declared, "no part declares anything: this test would check nothing"
    assert declared <= set(WRITES), f"declared but never written here: {sorted(declared - set(WRITES))}"


def test_no_part_reads_a_table_a_declared_write_changes(reads_and_writes):
    reads, writes, _returned = reads_and_writes
    assert all(writes.values()), writes  # each write path really wrote something
    assert all(reads.values()), [key for key, tables in reads.items() if not tables]
    wrong = [
        f"{spec.key} declares {label} but reads {sorted(reads[spec.key] & writes[label])}"
        for block in STAT_BLOCKS.values()
        for spec in block.specs()
        for label in spec.unaffected_by
        if reads[spec.key] & writes[label]
    ]
    assert not wrong, "\n".join(wrong)


def test_a_wrong_declaration_is_caught(reads_and_writes):
    """The check can fail: the 失联 part reads what a meeting writes (the members' last presence)."""
    reads, writes, _returned = reads_and_writes
    assert reads["members.statistics.lost_contact_part"] & writes["members.meeting"]
    assert reads["members.statistics.compliance_part"] & writes["members.meeting"]


def test_a_part_returns_only_the_figures_it_names(reads_and_writes):
    """A breakdown skips the parts whose named figures it does not ask for."""
    _reads, _writes, returned = reads_and_writes
    named = [spec for block in STAT_BLOCKS.values() for spec in block.specs() if spec.figures is not None]
    assert named
    for spec in named:
        assert returned[spec.key], spec.key
        assert returned[spec.key] <= spec.figures, f"{spec.key} returns {sorted(returned[spec.key] - spec.figures)}"
