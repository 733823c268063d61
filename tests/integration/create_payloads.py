"""Create payloads for the generic create round trip (``test_every_endpoint``): a listed row's read
representation, restricted to the fields the create serializer takes, with the fields a unique
constraint covers changed so the copy is a new row the rules accept."""

from __future__ import annotations

import datetime
import itertools

from django.db import models

from tests.api_mixins import writable_fields

_n = itertools.count(1)


def create_serializer(viewset):
    """The serializer class ``viewset`` uses to create."""
    view = viewset()
    view.action, view.request, view.format_kwarg, view.kwargs = "create", None, None, {}
    return view.get_serializer_class()


def unique_fields(model) -> set[str]:
    """Plain (non-relation) fields a unique field or constraint covers."""
    names = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for together in model._meta.unique_together:
        names.update(together)
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    relations = {f.name for f in model._meta.concrete_fields if f.is_relation}
    return names - relations


def changed(value, n: int):
    """A different value of the same kind (a new text, the next number, a later day)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        try:
            return (datetime.date.fromisoformat(value) + datetime.timedelta(days=n)).isoformat()
        except ValueError:
            return f"{value}-{n}" if value.isascii() else f"{value}（{n}）"
    return value


def copy_payload(body: dict, serializer_class, model) -> dict:
    """``body`` (a detail read) as a create payload: no null the serializer refuses, the unique
    fields changed (choices kept: another kind is another rule)."""
    n = next(_n)
    fields = serializer_class(context={}).fields
    payload = {
        k: v for k, v in writable_fields(serializer_class, body).items() if v is not None or fields[k].allow_null
    }
    choices = {f.name for f in model._meta.concrete_fields if f.choices}
    for name in (unique_fields(model) - choices) & set(payload):
        payload[name] = changed(payload[name], n)
    return payload


# --- what the read representation cannot give (write-only or masked fields, a checksum, a rule
# the copy would break); each takes the payload and ``ctx`` (user, node, n) and returns the payload.


def _first_of_later_month(value: str, months: int) -> str:
    day = datetime.date.fromisoformat(value)
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1).isoformat()


def _organization(payload, ctx):
    return {**payload, "parent": ctx["node"].pk, "code": f"{ctx['node'].code}-X{ctx['n']}"}


def _compound(payload, ctx):
    # The branch already covers its compound; only a joint branch (联合党支部) covers two.
    return {**payload, "branch": None}


def _webhook(payload, ctx):
    return {**payload, "url": "https://grid.example.org/hook", "secret": "a-very-long-shared-secret-2"}


def _position(payload, ctx):
    # One current secretary per branch: the copy holds another post.
    return {**payload, "kind": "unit_head"}


def _candidate(payload, ctx):
    from members import crypto

    birth = datetime.date(1999, 5, 17)
    return {**payload, "birth_date": birth.isoformat(), "id_number": crypto.make_id_number("500108", birth, 900)}


def _committee(payload, ctx):
    return {**payload, "term_number": payload["term_number"] + 10, "status": "expired"}


def _contract(payload, ctx):
    # The compound's contracts cover 2017 on: the copy is an earlier, closed one.
    return {**payload, "started_on": "2010-01-01", "ended_on": "2012-12-31"}


def _year_before(payload, ctx):
    # The same month (quarter) of the year before: the firm served the compound then too.
    body = ctx["body"]
    return {**payload, **{k: body[k] for k in ("month", "quarter") if k in body}, "year": body["year"] - 1}


def _free_member(ctx):
    """An active member in the user's scope without a position, an open letter or floating record."""
    from members.models import FloatingRecord, Member, Position

    busy = Position.objects.filter(ended_on__isnull=True).values("member_id")
    away = FloatingRecord.objects.filter(returned_on__isnull=True).values("member_id")
    return (
        Member.objects.for_user(ctx["user"])
        .active()
        .filter(floating_status="", lost_contact=False, party_status="full")
        .exclude(pk__in=busy)
        .exclude(transfers__state__in=["draft", "issued"])
        .exclude(pk__in=away)
        .order_by("pk")
        .first()
    )


def _transfer(payload, ctx):
    # The demo letter goes to another community's branch (not the user's to name): the copy is a
    # letter out of the system, for another member.
    payload = {k: v for k, v in payload.items() if k != "to_organization"}
    return {**payload, "kind": "out", "to_name": "江北区某街道某社区党委", "member": _free_member(ctx).pk}


def _floating(payload, ctx):
    return {**payload, "member": _free_member(ctx).pk}


def _incoming_letter(payload, ctx):
    from members import crypto

    body, birth = ctx["body"], datetime.date(1988, 2, 14)
    member = {
        "name": "姚志宏",
        "gender": "male",
        "birth_date": birth.isoformat(),
        "id_number": crypto.make_id_number("500106", birth, 531),
        "party_status": "full",
        "admitted_on": "2014-07-01",
        "full_member_on": "2015-07-01",
    }
    return {
        "to_organization": body["to_organization"],
        "from_name": body["from_name"],
        "letter_number": f"{body['letter_number']}-{ctx['n']}",
        "member_data": member,
    }


def _election(payload, ctx):
    # The branch's next term, a day after its last election, with the same slate.
    from members.models import Election

    body = ctx["body"]
    last = Election.objects.filter(organization_id=body["organization"]).order_by("-held_on").first()
    return {
        **{k: v for k, v in payload.items() if k not in ("approved_on", "term_ends_on")},
        "term_number": last.term_number + 1,
        "held_on": (last.held_on + datetime.timedelta(days=1)).isoformat(),
        "candidates": [{"member": c["member"], "votes": c["votes"], "post": c["post"]} for c in body["candidates"]],
    }


def _appraisal(payload, ctx):
    year = payload["year"] + 1
    return {**payload, "year": year, "held_on": f"{year}-01-20"}


def _resident(payload, ctx):
    return {**payload, "resident_name": "王小明"}


def _dues_base(payload, ctx):
    return {**payload, "valid_from": _first_of_later_month(payload["valid_from"], 2)}


def _dues_payment(payload, ctx):
    from members.models import DuesPayment

    paid = set(DuesPayment.objects.filter(member_id=payload["member"]).values_list("month", flat=True))
    month = datetime.date(2026, 1, 1)
    while month in paid:
        month = datetime.date.fromisoformat(_first_of_later_month(month.isoformat(), 1))
    return {**payload, "month": month.isoformat()}


def _from_factory(factory_name, **fields):
    """A payload from a factory's declarations, for an endpoint the user has no row of yet."""

    def build(payload, ctx):
        import tests.factories as factories
        from tests.api_mixins import factory_payload

        values = {k: (v(ctx) if callable(v) else v) for k, v in fields.items()}
        return factory_payload(getattr(factories, factory_name), **values)

    return build


def _partner_of(ctx):
    from tests.factories import PartnerUnitFactory

    return PartnerUnitFactory(registered_by=ctx["node"])


def _committee_election(payload, ctx):
    from organizations.models import Compound

    compound = Compound.objects.for_user(ctx["user"]).order_by("pk").first()
    candidates = [("张主任", 260, "chair"), ("李委员", 240, "member"), ("王委员", 200, "member"), ("赵候选", 90, "")]
    return {
        "compound": compound.pk,
        "kind": "supervision_group",
        "term_number": 7,
        "held_on": "2026-05-10",
        "method": "competitive",
        "seats": 3,
        "voters_entitled": 400,
        "voters_present": 300,
        "candidates": [{"name": name, "votes": votes, "role": role} for name, votes, role in candidates],
    }


FIXES = {
    "organizations/": _organization,
    "compounds/": _compound,
    "webhooks/": _webhook,
    "positions/": _position,
    "candidates/": _candidate,
    "committees/": _committee,
    "service-contracts/": _contract,
    "fee-collections/": _year_before,
    "evaluations/": _year_before,
    "micro-wishes/": _resident,
    "requests/": _resident,
    "dues/bases/": _dues_base,
    "dues/payments/": _dues_payment,
    "appraisals/": _appraisal,
    "transfers/": _transfer,
    "floating-records/": _floating,
    "incoming-letters/": _incoming_letter,
    "elections/": _election,
}
# Fields sent that the read representation does not show back as sent (personal data masked).
NOT_READ_BACK = {"candidates/": {"id_number", "birth_date"}, "incoming-letters/": {"member_data"}}
# Endpoints whose rows community staff have none of in the demo district: the payload is built
# from the factory of the model, in the user's node.
BUILDERS = {
    "property-firms/": _from_factory("PropertyFirmFactory", created_in=None),
    "partner-units/": _from_factory("PartnerUnitFactory", registered_by=lambda ctx: ctx["node"]),
    "resources/": _from_factory("ResourceFactory", partner=_partner_of),
    "committee-elections/": _committee_election,
}
# For a copy, the source row: organizations copy a node under the user's own (not the node itself).
SOURCES = {"organizations/": lambda queryset, ctx: queryset.filter(parent=ctx["node"])}


def source_row(url_key: str, queryset, ctx):
    pick = SOURCES.get(url_key)
    return (pick(queryset, ctx) if pick else queryset).order_by("pk").first()


def same(sent, read) -> bool:
    """``read`` shows what was ``sent`` (nested rows: their sent keys; the read may add more)."""
    if isinstance(sent, dict) and isinstance(read, dict):
        return all(k in read and same(v, read[k]) for k, v in sent.items())
    if isinstance(sent, list) and isinstance(read, list):
        return len(sent) == len(read) and all(same(a, b) for a, b in zip(sent, read, strict=True))
    return sent == read


def payload_for(url_key: str, body: dict | None, serializer_class, model, ctx) -> dict:
    ctx = {**ctx, "n": next(_n), "body": body}
    if url_key in BUILDERS:
        return {k: v for k, v in BUILDERS[url_key]({}, ctx).items() if v is not None}
    payload = copy_payload(body, serializer_class, model)
    fix = FIXES.get(url_key)
    return fix(payload, ctx) if fix else payload
