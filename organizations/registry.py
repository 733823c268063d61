"""Registries the lower layer offers and each app fills in ``AppConfig.ready()``.

This keeps ``organizations`` free of imports from higher layers while tree-wide features
(cumulative counts, role permissions, later scoring metrics and reminder rules) see every app.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CumulativeCount:
    """A count shown under every organization node for its whole subtree.

    ``model`` is ``"app_label.ModelName"``; ``path`` the lookup from it to the organization that
    places it in the tree; ``filters`` optional extra filter kwargs (e.g. only active members).
    """

    attr: str
    model: str
    path: str
    label: str
    filters: dict = field(default_factory=dict)


CUMULATIVE_COUNTS: dict[str, CumulativeCount] = {}


def register_cumulative_count(count: CumulativeCount) -> None:
    CUMULATIVE_COUNTS[count.attr] = count


# Role permissions beyond the defaults (see core.auth.roles).
# role value -> set of "app_label.codename"
EXTRA_ROLE_PERMISSIONS: dict[str, set[str]] = {}


def grant_role_permissions(role: str, *perms: str) -> None:
    EXTRA_ROLE_PERMISSIONS.setdefault(role, set()).update(perms)


# --- Scoring metrics and reminder rules (issue 7) ---------------------------------------------
# Each domain app registers its own in ``<app>/metrics.py`` / ``<app>/reminder_rules.py``; those
# modules are imported by ``autodiscover_scoring`` (like admin autodiscovery), so no app's
# ``apps.py`` needs to know about scoring.


@dataclass(frozen=True)
class Metric:
    """A figure computed for MANY branches at once, set-based (a fixed number of queries).

    ``func(branches, period)`` gets a queryset of branches and an ``organizations.scoring.Period``
    and returns ``{branch_id: (value, text)}``; ``value`` is a number the criterion thresholds
    turn into points, ``text`` the figure a secretary reads (e.g. "支委 3/4"). The key ``None``
    holds the figure of every branch left out of the result (e.g. "no venue recorded");
    without it such a branch has no figure (0 points).
    """

    name: str
    func: object
    label: str = ""
    ratio: bool = False  # value is a share in [0, 1]


METRICS: dict[str, Metric] = {}


def register_metric(name: str, *, label: str = "", ratio: bool = False):
    """Decorator: ``@register_metric("members.committee_complete", label=..., ratio=True)``."""

    def wrap(func):
        METRICS[name] = Metric(name=name, func=func, label=label, ratio=ratio)
        return func

    return wrap


@dataclass(frozen=True)
class DueReminder:
    """One currently-due reminder as a rule yields it: subject (``"app_label.Model"`` + id),
    reason code, addressed organization, due date and a message (no personal data beyond what
    the addressed scope already sees)."""

    subject_model: str
    subject_id: int
    reason: str
    organization_id: int
    due_on: object
    message: str = ""


REMINDER_RULES: dict[str, object] = {}


def register_reminder_rule(reason: str):
    """Decorator: ``func(*, today) -> iterable[DueReminder]`` computed set-based. ``reason`` is
    the reason code the rule owns: reminders of that reason whose cause is gone are closed."""

    def wrap(func):
        REMINDER_RULES[reason] = func
        return func

    return wrap


def autodiscover_scoring() -> None:
    """Import ``metrics`` and ``reminder_rules`` of every installed app (idempotent)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("metrics", "reminder_rules")
