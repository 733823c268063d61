"""Writes of partner units, agreements, resources and needs (三张清单)."""

from __future__ import annotations

from django.db import transaction

from projects.models import (
    Agreement,
    Need,
    PartnerUnit,
    Resource,
)
from projects.services.common import _save

# --- partners, agreements, resources, needs -------------------------------------------------


@transaction.atomic
def partner_save(*, partner: PartnerUnit | None = None, **fields) -> PartnerUnit:
    return _save(partner or PartnerUnit(), fields)


@transaction.atomic
def agreement_save(*, agreement: Agreement | None = None, **fields) -> Agreement:
    """Agreement.clean checks the partner side (a community or a branch) and the dates."""
    return _save(agreement or Agreement(), fields)


@transaction.atomic
def resource_save(*, resource: Resource | None = None, **fields) -> Resource:
    return _save(resource or Resource(), fields)


@transaction.atomic
def need_save(*, need: Need | None = None, **fields) -> Need:
    return _save(need or Need(), fields)
