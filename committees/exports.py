"""Excel (.xlsx) exports of bodies, seats and firms, with Chinese headers. Each takes an
already scoped queryset and reads it in one query (plus one for the firms' figures); the file is
written by the one xlsx writer (``core.xlsx``)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.xlsx import xlsx_response


def committees_xlsx(queryset) -> HttpResponse:
    qs = queryset.select_related("compound__community").order_by("compound__community_id", "compound__name", "kind")
    headers = [
        _("community"),
        _("compound"),
        _("kind of body"),
        _("term number"),
        _("election date"),
        _("term end"),
        _("status"),
    ]
    rows = (
        [
            c.compound.community.name,
            c.compound.name,
            str(c.get_kind_display()),
            c.term_number,
            c.elected_on,
            c.term_ends_on,
            str(c.get_status_display()),
        ]
        for c in qs
    )
    return xlsx_response("committees.xlsx", str(_("self-governance bodies")), [str(h) for h in headers], rows)


def seats_xlsx(queryset) -> HttpResponse:
    qs = queryset.select_related("committee__compound").order_by("committee__compound__name", "committee_id", "role")
    headers = [
        _("compound"),
        _("body"),
        pgettext("seat", "role"),
        _("holder"),
        _("party member"),
        pgettext("term of office", "started on"),
        pgettext("term of office", "ended on"),
    ]
    rows = (
        [
            s.committee.compound.name,
            f"{s.committee.get_kind_display()} 第{s.committee.term_number}届",
            str(s.get_role_display()),
            s.holder_name,
            _("Yes") if s.is_party_member else _("No"),
            s.started_on,
            s.ended_on,
        ]
        for s in qs
    )
    return xlsx_response("seats.xlsx", str(_("seats")), [str(h) for h in headers], rows)


def firms_xlsx(queryset) -> HttpResponse:
    headers = [
        _("name"),
        _("unified social credit code"),
        _("contact person"),
        _("contact phone"),
        _("has a party organization"),
        pgettext("name of", "party organization"),
        _("compounds served"),
        _("average evaluation"),
    ]
    rows = (
        [
            f.name,
            f.credit_code,
            f.contact_person,
            f.contact_phone,
            _("Yes") if f.has_party_organization else _("No"),
            f.party_organization_name,
            getattr(f, "compounds_served", None),
            round(f.average_total, 1) if getattr(f, "average_total", None) is not None else None,
        ]
        for f in queryset.order_by("name", "pk")
    )
    return xlsx_response("property_firms.xlsx", str(_("property firms")), [str(h) for h in headers], rows)
