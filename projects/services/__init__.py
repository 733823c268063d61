"""Writes of joint building and service, by topic. Keyword-only, typed, atomic; refusals are Django
ValidationErrors with field keys (``Conflict`` when the record's state forbids the change)."""

from projects.services.partners import (
    agreement_save,
    need_save,
    partner_save,
    resource_save,
)
from projects.services.projects import (
    activity_save,
    funding_add,
    party_fee_branch,
    progress_add,
    project_create,
    project_transition,
    project_update,
)
from projects.services.residents import (
    by_tracking_token,
    intake_for,
    public_request_submit,
    request_mark_spam,
    request_rate_by_resident,
)
from projects.services.service import (
    request_dispatch,
    request_rate,
    request_resolve,
    request_submit,
    request_triage,
    wish_claim,
    wish_fulfil,
    wish_publish,
)

__all__ = [
    "by_tracking_token",
    "intake_for",
    "public_request_submit",
    "request_mark_spam",
    "request_rate_by_resident",
    "activity_save",
    "agreement_save",
    "funding_add",
    "party_fee_branch",
    "need_save",
    "partner_save",
    "progress_add",
    "project_create",
    "project_transition",
    "project_update",
    "request_dispatch",
    "request_rate",
    "request_resolve",
    "request_submit",
    "request_triage",
    "resource_save",
    "wish_claim",
    "wish_fulfil",
    "wish_publish",
]
