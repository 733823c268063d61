"""Recording and editing meetings: every bad-input case, quorum and resolution
maths, dedup and history."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from members.meetings import StaleVersion, meeting_record, meeting_update
from members.models import Attendance, Meeting, MeetingKind, MeetingRevision
from tests.factories import NumberedMemberFactory
from tests.meetings.conftest import NOW, at, make_committee

pytestmark = pytest.mark.django_db


def record(branch, kind=MeetingKind.PARTY_CONGRESS, attendance=(), **kw):
    kw.setdefault("topic", "学习党的二十届四中全会精神")
    kw.setdefault("held_at", at(11, 5))
    kw.setdefault("now", NOW)
    return meeting_record(organization=branch, kind=kind, attendance=list(attendance), **kw)


def test_future_meeting_refused(branch):
    NumberedMemberFactory(branch=branch)
    with pytest.raises(ValidationError) as exc:
        record(branch, held_at=at(12, 1))
    assert "held_at" in exc.value.error_dict
    assert "未来" in str(exc.value.error_dict["held_at"][0].messages[0])
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_member_of_other_branch_refused(tree, branch):
    NumberedMemberFactory(branch=branch)
    stranger = NumberedMemberFactory(branch=tree["branch_b"])
    with pytest.raises(ValidationError) as exc:
        record(branch, attendance=[{"member": stranger.pk, "status": "present"}])
    assert "attendance" in exc.value.error_dict
    assert not Meeting.objects.exists()


def test_attendance_line_without_status_refused(branch):
    """The service does not assume 出席 for a listed member: the caller marks who came."""
    member = NumberedMemberFactory(branch=branch)
    with pytest.raises(ValidationError) as exc:
        record(branch, attendance=[{"member": member.pk}])
    message = exc.value.error_dict["attendance"][0].messages[0]
    assert "出席情况" in message
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_lecture_needs_lecturer(branch):
    with pytest.raises(ValidationError) as exc:
        record(branch, kind=MeetingKind.PARTY_LECTURE)
    assert "lecturer" in exc.value.error_dict
    assert record(branch, kind=MeetingKind.PARTY_LECTURE, lecturer="社区书记 王明").lecturer == "社区书记 王明"


def test_committee_meeting_needs_committee(branch):
    member = NumberedMemberFactory(branch=branch)
    with pytest.raises(ValidationError) as exc:
        record(branch, kind=MeetingKind.BRANCH_COMMITTEE)
    assert "kind" in exc.value.error_dict
    assert not Meeting.objects.exists()
    make_committee(branch, [member])
    meeting = record(branch, kind=MeetingKind.BRANCH_COMMITTEE, attendance=[{"member": member.pk, "status": "present"}])
    assert meeting.attendances.count() == 1


def test_committee_meeting_lists_only_committee(branch):
    members = [NumberedMemberFactory(branch=branch) for _ in range(4)]
    make_committee(branch, members[:3])
    with pytest.raises(ValidationError):
        record(branch, kind=MeetingKind.BRANCH_COMMITTEE, attendance=[{"member": members[3].pk, "status": "present"}])
    meeting = record(
        branch, kind=MeetingKind.BRANCH_COMMITTEE, attendance=[{"member": members[0].pk, "status": "present"}]
    )
    assert set(meeting.attendances.values_list("member_id", flat=True)) == {m.pk for m in members[:3]}


def test_group_meeting_only_group_members(tree, branch):
    group = tree["group_a"]
    inside = NumberedMemberFactory(branch=branch, group=group)
    outside = NumberedMemberFactory(branch=branch)
    with pytest.raises(ValidationError) as exc:
        record(group, kind=MeetingKind.GROUP_MEETING, attendance=[{"member": outside.pk, "status": "present"}])
    assert "attendance" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        record(branch, kind=MeetingKind.GROUP_MEETING)
    assert "organization" in exc.value.error_dict
    meeting = record(group, kind=MeetingKind.GROUP_MEETING, attendance=[{"member": inside.pk, "status": "present"}])
    assert list(meeting.attendances.values_list("member_id", flat=True)) == [inside.pk]


def test_excused_needs_reason(branch):
    m = NumberedMemberFactory(branch=branch)
    with pytest.raises(ValidationError) as exc:
        record(branch, attendance=[{"member": m.pk, "status": "excused"}])
    assert "attendance" in exc.value.error_dict


def test_double_tap_records_once(branch):
    m = NumberedMemberFactory(branch=branch)
    first = record(branch, attendance=[{"member": m.pk, "status": "present"}], dedup_key="abc")
    second = record(branch, attendance=[{"member": m.pk, "status": "present"}], dedup_key="abc")
    assert first.pk == second.pk and second.deduplicated
    # without a key, the same branch, kind, minute and topic is the same meeting
    third = record(branch, attendance=[{"member": m.pk, "status": "present"}])
    fourth = record(branch, attendance=[{"member": m.pk, "status": "present"}])
    assert third.pk == fourth.pk
    assert Meeting.objects.count() == 2


def test_quorum_more_than_half_of_voters(branch):
    full = [NumberedMemberFactory(branch=branch) for _ in range(6)]
    probationary = [NumberedMemberFactory(branch=branch, probationary=True) for _ in range(3)]
    # 3 of 6 voters present is exactly half: no quorum, whatever the probationary members do
    att = [{"member": m.pk, "status": "present"} for m in full[:3] + probationary]
    meeting = record(branch, attendance=att)
    assert (meeting.voting_due, meeting.voting_present, meeting.quorum_met) == (6, 3, False)
    meeting = record(branch, attendance=[{"member": m.pk, "status": "present"} for m in full[:4]], topic="第二次")
    assert (meeting.voting_due, meeting.voting_present, meeting.quorum_met) == (6, 4, True)
    assert meeting.attendances.filter(status="absent").count() == 5  # unlisted default to absent


def test_resolution_passes_with_more_than_half_of_those_due(branch):
    full = [NumberedMemberFactory(branch=branch) for _ in range(7)]
    meeting = record(
        branch,
        attendance=[{"member": m.pk, "status": "present"} for m in full[:6]],
        resolutions=[
            {"text": "同意接收张三为预备党员", "votes_for": 4, "votes_against": 2},
            {"text": "同意增补委员", "votes_for": 3, "votes_against": 0, "votes_abstain": 3},
        ],
    )
    passed = {r.text: r.passed for r in meeting.resolutions.all()}
    # 4 of 7 due > half; 3 of 7 is not, although it is a majority of the votes cast
    assert passed == {"同意接收张三为预备党员": True, "同意增补委员": False}


def test_votes_cannot_exceed_voters_present(branch):
    full = [NumberedMemberFactory(branch=branch) for _ in range(3)]
    with pytest.raises(ValidationError) as exc:
        record(
            branch,
            attendance=[{"member": full[0].pk, "status": "present"}],
            resolutions=[{"text": "决议", "votes_for": 2}],
        )
    assert "resolutions" in exc.value.error_dict
    assert not Meeting.objects.exists()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF = b"%PDF-1.7\n%%EOF\n"


def test_uploads_checked_by_content(branch):
    m = NumberedMemberFactory(branch=branch)
    meeting = record(
        branch,
        attendance=[{"member": m.pk, "status": "present"}],
        attachments=[SimpleUploadedFile("合影.png", PNG), SimpleUploadedFile("纪要.pdf", PDF)],
    )
    assert sorted(meeting.attachments.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]
    for bad in (
        SimpleUploadedFile("病毒.exe", b"MZ\x90\x00"),
        SimpleUploadedFile("假图.png", b"MZ\x90\x00" * 10),
        SimpleUploadedFile("脚本.pdf", b"<script>"),
        SimpleUploadedFile("x.docx", b"PK\x03\x04junk"),
    ):
        with pytest.raises(ValidationError) as exc:
            record(branch, attendance=[{"member": m.pk, "status": "present"}], attachments=[bad], topic=f"t-{bad.name}")
        assert "attachments" in exc.value.error_dict
    big = SimpleUploadedFile("大图.png", PNG + b"\x00" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError):
        record(branch, attendance=[{"member": m.pk, "status": "present"}], attachments=[big], topic="big")
    assert Meeting.objects.count() == 1


def test_docx_accepted():
    import zipfile

    from members.meetings import sniff_attachment

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("word/document.xml", "<x/>")
    data = buf.getvalue()
    assert sniff_attachment("a.docx", data[:16], data).endswith("wordprocessingml.document")
    assert sniff_attachment("a.xlsx", data[:16], data) is None


def test_update_keeps_history_and_refuses_stale(branch):
    m1, m2 = NumberedMemberFactory(branch=branch), NumberedMemberFactory(branch=branch)
    meeting = record(
        branch, attendance=[{"member": m1.pk, "status": "present"}, {"member": m2.pk, "status": "present"}]
    )
    updated = meeting_update(
        meeting=meeting,
        version=1,
        topic="新题目",
        now=NOW,
        attendance=[{"member": m1.pk, "status": "present"}, {"member": m2.pk, "status": "excused", "reason": "住院"}],
    )
    assert updated.version == 2 and updated.voting_present == 1
    with pytest.raises(StaleVersion) as exc:
        meeting_update(meeting=meeting, version=1, topic="覆盖", now=NOW)
    assert "version" in exc.value.error_dict
    assert Meeting.objects.get(pk=meeting.pk).topic == "新题目"
    snapshots = list(MeetingRevision.objects.filter(meeting=meeting).order_by("version"))
    assert [s.version for s in snapshots] == [1, 2]
    assert snapshots[0].snapshot["topic"] == "学习党的二十届四中全会精神"


def test_update_bad_input_changes_nothing(branch):
    m = NumberedMemberFactory(branch=branch)
    meeting = record(branch, attendance=[{"member": m.pk, "status": "present"}])
    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, version=1, held_at=at(12, 25), now=NOW)
    fresh = Meeting.objects.get(pk=meeting.pk)
    assert fresh.version == 1 and fresh.held_at == meeting.held_at
