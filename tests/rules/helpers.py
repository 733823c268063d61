"""Data of the rules tests, made through the services (never rows written around a rule)."""

from __future__ import annotations

import datetime
import itertools

from members import crypto
from members.models import PartyStatus
from tests.factories import MemberFactory

_seq = itertools.count(5000)


def member(branch, *, today=datetime.date(2025, 1, 1), probationary=False, **fields):
    """A member made by ``MemberFactory`` (valid ID number, admitted in 1990 unless said, no home
    organization of its own unless given)."""
    n = next(_seq)
    birth = fields.pop("birth_date", datetime.date(1950 + n % 40, 1 + n % 12, 1 + n % 28))
    fields.setdefault("id_number", crypto.make_id_number("500108", birth, n % 1000))
    fields.setdefault("name", f"党员{n}")
    fields.setdefault("gender", "female")
    if probationary:
        fields.setdefault("party_status", PartyStatus.PROBATIONARY)
        fields.setdefault("admitted_on", today - datetime.timedelta(days=200))
    else:
        fields.setdefault("admitted_on", datetime.date(1990, 7, 1))
    fields.setdefault("home_organization", None)
    return MemberFactory(branch=branch, birth_date=birth, today=today, **fields)
