"""What the audit trail covers in this app (read by ``core.audit.registry``)."""

from core.audit.registry import (
    register_archive_rule,
    register_audited_app,
    register_organization_resolver,
    register_scope_filter,
)

register_audited_app(
    "organizations",
    # Set-based jobs write these (reproducible from the data); defaults come from migrations.
    bulk_created=["reminder", "branchscore", "scoringrubric", "scoringitem", "scoringcriterion"],
    # django-mptt's nested sets shift on every tree write: the change says nothing.
    ignored_fields={"organizations.organization": ["lft", "rght", "tree_id", "level"]},
)
register_archive_rule("organizations.organization", "dissolved_on", lambda v: v is not None)


def _organization_itself(instance) -> int | None:
    from organizations.models import Organization

    return instance.pk if isinstance(instance, Organization) else None


def _entries_in_scope(queryset, user):
    """Audit entries of the nodes in the user's subtree (the one scope mechanism)."""
    from organizations.models import Organization

    return queryset.filter(organization_id__in=Organization.objects.for_user(user).values("pk"))


register_organization_resolver(_organization_itself)
register_scope_filter(_entries_in_scope)
