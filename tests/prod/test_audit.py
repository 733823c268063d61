"""Audit trail: a generated test over every domain model, personal data never in clear, the
actor and address from the request, read-only admin, retention."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.test import Client
from django.utils import timezone

from core import audit
from core.models import AuditEntry
from members.models import Member, Position
from organizations import services
from organizations.models import Compound, Organization, Role
from tests.factories import CommitteeElectionFactory, make_user


# Builders for models that have no demo row in this branch. At merge time, every model the demo
# seeds is covered automatically; a model neither seeded nor listed here fails the test below.
def _attachment(ctx):
    from members.models import Meeting, MeetingAttachment

    meeting = Meeting.objects.order_by("pk").first()
    return MeetingAttachment.objects.create(
        meeting=meeting,
        file="meetings/2026/01/agenda.pdf",
        original_name="议程.pdf",
        content_type="application/pdf",
        size=1024,
    )


def _manual_score(ctx):
    # The default rubric computes every criterion; a district may add a manual one.
    from organizations.models import ManualScore, ScoringCriterion

    criterion = ScoringCriterion.objects.order_by("pk").first()
    return ManualScore.objects.create(branch=ctx["branch"], criterion=criterion, period="2026-Q3", points=1)


def _committee_election(ctx):
    # The demo district holds no 业委会换届 (its seat figures are hand-counted); record one through
    # the service, which also writes the candidates.
    compound = (
        Compound.objects.filter(branch=ctx["branch"]).order_by("pk").first() or Compound.objects.order_by("pk").first()
    )
    return CommitteeElectionFactory(compound=compound, term_number=9)


def _committee_election_candidate(ctx):
    return _committee_election(ctx).candidates.order_by("pk").first()


SAMPLE_BUILDERS = {
    "committees.committeeelection": _committee_election,
    "committees.committeeelectioncandidate": _committee_election_candidate,
    "organizations.manualscore": _manual_score,
    "members.meetingattachment": _attachment,
    "members.member": lambda ctx: Member.objects.create(name="审计党员", gender="male", branch=ctx["branch"]),
    "members.position": lambda ctx: Position.objects.create(
        member=Member.objects.create(name="职务党员", gender="female", branch=ctx["branch"]),
        organization=ctx["branch"],
        kind="secretary",
        started_on=datetime.date(2024, 1, 1),
    ),
}


def _constrained(model) -> set[str]:
    """Fields of a (partial) unique constraint: changing one could collide with another row."""
    names = {name for together in model._meta.unique_together for name in together}
    for constraint in model._meta.constraints:
        if not getattr(constraint, "fields", ()):
            continue  # a check constraint: the mutations below keep values valid
        names.update(constraint.fields)
        names.update(_condition_fields(getattr(constraint, "condition", None)))
    return names


def _condition_fields(condition) -> set[str]:
    """The fields a partial constraint's condition reads (changing one can bring a row under it)."""
    if condition is None:
        return set()
    names: set[str] = set()
    for child in condition.children:
        if isinstance(child, tuple):
            names.add(child[0].split("__")[0])
        else:
            names |= _condition_fields(child)
    return names


def _mutable_field(model):
    """A plain field the test can change without breaking a constraint."""
    constrained = _constrained(model)
    for field in model._meta.concrete_fields:
        if (
            field.primary_key
            or field.is_relation
            or field.unique
            or field.name in constrained
            or field.name in audit.ignored_fields_for(model._meta.label_lower)
        ):
            continue
        if audit.is_sensitive(field.name) or field.choices or not field.editable:
            continue
        if isinstance(field, models.CharField | models.TextField):
            limit = (field.max_length or 52) - 2
            return field, lambda v, limit=limit: (v or "")[:limit] + "改"
        if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField | models.IntegerField):
            return field, lambda v: (v or 0) + 1
        if isinstance(field, models.BooleanField):
            return field, lambda v: not v
    for field in model._meta.concrete_fields:  # second choice: a date, or another choice
        if field.primary_key or field.is_relation or field.unique or field.name in constrained or not field.editable:
            continue
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField) and not field.null:
            return field, lambda v: v - datetime.timedelta(days=1)
        if field.choices and len(field.choices) > 1:
            values = [c[0] for c in field.flatchoices]
            return field, lambda v, values=values: next(x for x in values if x != v)
    return None, None


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))


def _check_model_audited(model) -> str | None:
    """Create (or take) a row of ``model``, change a plain field, and check both are audited.
    Returns a problem description, or None."""
    label = model._meta.label_lower
    obj = model._base_manager.order_by("pk").first()
    if obj is None:
        builder = SAMPLE_BUILDERS.get(label)
        if builder is None:
            return f"{label}: no demo row and no sample builder; add one of them"
        branch = Organization.objects.filter(kind="compound_branch").first()
        obj = builder({"branch": branch})
    created = AuditEntry.objects.filter(model=label, object_id=str(obj.pk), action="create")
    if not created.exists() and label not in audit.BULK_CREATED:
        return f"{label}: creation not audited"
    field, change = _mutable_field(model)
    if field is None:
        return None  # nothing plain to change; creation was checked
    before = getattr(obj, field.attname)
    setattr(obj, field.attname, change(before))
    with transaction.atomic():
        obj.save()
    entry = AuditEntry.objects.filter(model=label, object_id=str(obj.pk)).order_by("-id").first()
    if entry is None or entry.action != "update" or field.name not in entry.changes:
        return f"{label}: update of {field.name} not audited"
    if model is not Organization and getattr(model, "SCOPE_PATHS", ()) and entry.organization_id is None:
        return f"{label}: entry not placed in the tree"
    return None


def test_every_domain_model_is_audited(demo):
    """Generated over every model of the domain apps, on one seeded demo district."""
    models_checked = [m for m in audit.audited_models() if m._meta.app_label in audit.AUDITED_APPS]
    assert len(models_checked) > 30
    problems = [p for p in (_check_model_audited(m) for m in models_checked) if p]
    assert problems == []


def test_personal_data_never_logged_in_clear(tree):
    member = Member.objects.create(
        name="张三", gender="male", branch=tree["branch_a"], phone_encrypted="gAAAA-secret", phone_hash="abc123"
    )
    member.phone_encrypted = "gAAAA-other-secret"
    member.phone_masked = "138****0000"
    member.save()
    text = str(list(AuditEntry.objects.filter(model="members.member").values_list("changes", flat=True)))
    assert "secret" not in text and "abc123" not in text and "138****0000" not in text
    update = AuditEntry.objects.filter(model="members.member", action="update").get()
    assert update.changes["phone_encrypted"] == [audit.CHANGED_MARKER, audit.CHANGED_MARKER]


def test_actor_address_and_request_id_from_the_api(tree, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("auditor", tree["community_a"], Role.COMMUNITY_STAFF)
    from rest_framework.test import APIClient

    client = APIClient(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    token = client.post("/api/v1/auth/token/", {"username": "auditor", "password": "Test-password-2026"}).json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    response = client.post(
        "/api/v1/compounds/", {"name": "审计小区", "community": tree["community_a"].pk}, format="json"
    )
    assert response.status_code == 201
    entry = AuditEntry.objects.get(model="organizations.compound", action="create")
    assert entry.username == "auditor"
    assert entry.remote_addr == "10.1.2.3"  # the hop nginx appended, not the forged one
    assert entry.request_id == response["X-Request-ID"]
    assert entry.source == "api"
    assert entry.organization_id == tree["community_a"].pk
    assert entry.changes["name"] == [None, "审计小区"]


def test_archive_and_restore_are_named(tree):
    group = tree["group_a"]
    services.organization_dissolve(organization=group, dissolved_on=datetime.date(2025, 3, 1))
    services.organization_restore(organization=group)
    actions = list(
        AuditEntry.objects.filter(model="organizations.organization", object_id=str(group.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "archive", "restore"]
    member = Member.objects.create(name="李四", gender="male", branch=tree["branch_a"])
    member.status = "deceased"
    member.save()
    assert AuditEntry.objects.filter(model="members.member", action="archive").count() == 1


def test_restore_refused_under_a_dissolved_parent(tree):
    services.organization_dissolve(organization=tree["group_a"], dissolved_on=datetime.date(2025, 3, 1))
    services.organization_dissolve(organization=tree["branch_a"], dissolved_on=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError):
        services.organization_restore(organization=tree["group_a"])


def test_append_only(tree):
    entry = AuditEntry.objects.first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(username="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    if connection.vendor == "postgresql":  # below the ORM too
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE organizations_auditentry SET username = 'x'")
        with pytest.raises(Exception, match="180 days"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM organizations_auditentry")


def test_admin_is_read_only_even_for_superusers(tree):
    superuser = make_user("root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(superuser)
    entry = AuditEntry.objects.first()
    assert client.get("/admin/core/auditentry/").status_code == 200
    page = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"username": "x"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).username == entry.username


def test_admin_audit_scoped_and_hidden_from_community_staff(tree, district_admin, staff_a):
    """The audit administrator reads the trail of their subtree; other roles (the district
    administrator included, 三员分立) do not see it."""
    services.compound_save(name="乙小区", community=tree["community_b"])
    auditor = make_user("auditor", tree["district"], Role.AUDIT_ADMIN)
    client = Client()
    client.force_login(auditor)
    assert client.get("/admin/core/auditentry/").status_code == 200
    client.force_login(district_admin)
    assert client.get("/admin/core/auditentry/").status_code == 403
    other = make_user(
        "other_district",
        services.organization_create(name="外区", code="X1", kind="district_committee"),
        Role.AUDIT_ADMIN,
    )
    other.is_staff = True
    other.save()
    client.force_login(other)
    rows = client.get("/admin/core/auditentry/").context["cl"].result_list
    assert {e.organization_id for e in rows} <= {Organization.objects.get(code="X1").pk}
    client.force_login(staff_a)
    assert client.get("/admin/core/auditentry/").status_code == 403


def test_purge_refuses_short_retention_and_keeps_recent_entries(tree):
    now = timezone.now()
    old = AuditEntry.objects.create(model="x.y", object_id="1", action="update", at=now - datetime.timedelta(days=400))
    recent = AuditEntry.objects.create(
        model="x.y", object_id="2", action="update", at=now - datetime.timedelta(days=170)
    )
    with pytest.raises(CommandError):
        call_command("purge_audit_log", days=90)
    call_command("purge_audit_log", days=180, stdout=open("/dev/null", "w"))
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()


def test_compound_changes_logged_with_old_and_new(tree):
    compound = services.compound_save(name="甲小区", community=tree["community_a"], households=10)
    services.compound_save(compound=Compound.objects.get(pk=compound.pk), households=12)
    entry = AuditEntry.objects.filter(model="organizations.compound", action="update").get()
    assert entry.changes == {"households": [10, 12]}
    assert entry.source == "system"


def test_writes_inside_a_celery_task_name_the_task(tree):
    from celery import shared_task

    @shared_task(name="tests.prod.audit_probe_task")
    def rename_compound(pk):
        services.compound_save(compound=Compound.objects.get(pk=pk), address="任务写的地址")

    compound = services.compound_save(name="任务小区", community=tree["community_a"])
    rename_compound.delay(compound.pk)  # eager in tests, through the same task signals
    entry = AuditEntry.objects.filter(model="organizations.compound", action="update").get()
    assert entry.source == "task:tests.prod.audit_probe_task"
    assert entry.username == ""


def test_generic_archived_flag_and_secrets(tree):
    from types import SimpleNamespace

    flag = models.BooleanField(default=False)
    Flagged = SimpleNamespace(  # a stand-in: registering a real model here would leak into other tests
        _meta=SimpleNamespace(label_lower="projects.flagged", get_field=lambda name: flag)
    )

    assert audit.archive_rule_for(Flagged).field == "archived"
    assert audit.archive_rule_for(Flagged).is_archived(True)
    assert audit.is_sensitive("token") and audit.is_sensitive("id_number_hash") and not audit.is_sensitive("name")
