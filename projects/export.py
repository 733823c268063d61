"""Rows of the Excel exports (written by ``core.xlsx``, Chinese headers); residents' names are masked."""

from __future__ import annotations

from django.db.models import Sum

from organizations.masks import mask_name


def request_rows(queryset):
    """Rows of resident requests (one query: the related rows are selected)."""
    for r in queryset.select_related("compound", "assigned_member", "assigned_organization"):
        yield (
            r.pk,
            r.compound.name,
            r.get_kind_display(),
            r.get_category_display(),
            mask_name(r.resident_name),
            r.description,
            r.received_on,
            r.get_status_display(),
            r.get_triage_display(),
            r.assigned_member.name
            if r.assigned_member
            else (r.assigned_organization.name if r.assigned_organization else r.department),
            r.due_on,
            r.resolved_on,
            r.get_rating_display(),
        )


def wish_rows(queryset):
    for w in queryset.select_related("compound", "claimed_by"):
        yield (
            w.pk,
            w.compound.name,
            mask_name(w.resident_name),
            w.content,
            w.published_on,
            w.get_status_display(),
            w.claimed_by.name if w.claimed_by else "",
            w.fulfilled_at.date() if w.fulfilled_at else None,
        )


def project_rows(queryset):
    for p in queryset.select_related("organization", "compound").annotate(funded=Sum("fundings__amount")):
        yield (
            p.pk,
            p.title,
            p.organization.name,
            p.compound.name if p.compound else "",
            p.get_category_display(),
            p.get_status_display(),
            p.budget,
            p.funded or 0,
            p.volunteers,
            p.beneficiaries,
            p.started_on,
            p.completed_on,
        )
