"""The one registry every domain app fills in, and its one discovery point.

Each installed app declares what it contributes in ONE module, ``<app>/contributions.py``;
``CoreConfig.ready()`` imports those modules (``discover``), lowest layer first, and nothing else
imports them. The framework code (scoring, reminders, statistics, counts, role permissions, audit,
demo and scale data, default schedules) walks the registry, so a lower layer never imports or names
a higher one: the higher app plugs in. The kinds of contribution and how to declare each are listed
in ``docs/registry.md``.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# --- cumulative counts --------------------------------------------------------------------------


@dataclass(frozen=True)
class CumulativeCount:
    """A count shown under every organization node for its whole subtree.

    ``model`` is ``"app_label.ModelName"``; ``path`` the lookup from it to the organization that
    places it in the tree; ``filters`` optional extra filter kwargs (e.g. only active members).
    ``finer_path`` optionally names a more specific organization inside ``path``'s subtree (e.g. a
    member's building group under its branch): a row that has one is placed there instead, so the
    finer node counts it too while every node above counts it once, as before.
    """

    attr: str
    model: str
    path: str
    label: str
    filters: dict = field(default_factory=dict)
    finer_path: str = ""


CUMULATIVE_COUNTS: dict[str, CumulativeCount] = {}


def register_cumulative_count(count: CumulativeCount) -> None:
    CUMULATIVE_COUNTS[count.attr] = count


# --- role permissions ---------------------------------------------------------------------------

# Role permissions beyond the defaults: role value -> set of "app_label.codename".
EXTRA_ROLE_PERMISSIONS: dict[str, set[str]] = {}


def grant_role_permissions(role: str, *perms: str) -> None:
    EXTRA_ROLE_PERMISSIONS.setdefault(role, set()).update(perms)


# --- domain apps and what the audit trail covers --------------------------------------------------

# App labels of the domain apps, lowest layer first (as INSTALLED_APPS).
DOMAIN_APPS: list[str] = []


def register_domain_app(app_label: str) -> None:
    """Declare ``app_label`` a domain app (its contributions module calls this first)."""
    if app_label not in DOMAIN_APPS:
        DOMAIN_APPS.append(app_label)


# What the audit trail covers is declared through the same contributions modules; its store lives
# with the audit trail (core.audit.registry), re-exported here so an app needs one import.
from core.audit.registry import (  # noqa: E402
    ARCHIVE_RULES,
    ArchiveRule,
    register_append_only_model,
    register_archive_rule,
    register_audited_app,
    register_audited_model,
    register_organization_resolver,
    register_scope_filter,
)

__all_audit__ = (
    ARCHIVE_RULES,
    ArchiveRule,
    register_append_only_model,
    register_archive_rule,
    register_audited_app,
    register_audited_model,
    register_organization_resolver,
    register_scope_filter,
)


# --- scoring metrics ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """A figure computed for MANY branches at once, set-based (a fixed number of queries).

    ``func(branches, period)`` gets a queryset of branches and a ``core.periods.Period``
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
    """Decorator: ``@register_metric("members.committee_complete", label=..., ratio=True)``.
    The name is stored in the rubric's criteria: never rename a registered metric."""

    def wrap(func):
        METRICS[name] = Metric(name=name, func=func, label=label, ratio=ratio)
        return func

    return wrap


# --- reminder rules -----------------------------------------------------------------------------


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
REMINDER_LABELS: dict[str, object] = {}


def register_reminder_rule(reason: str, *, label=""):
    """Decorator: ``func(*, today) -> iterable[DueReminder]`` computed set-based. ``reason`` is
    the reason code the rule owns: reminders of that reason whose cause is gone are closed.
    ``label`` (a lazy translation) is what users read instead of the code."""

    def wrap(func):
        REMINDER_RULES[reason] = func
        REMINDER_LABELS[reason] = label or reason
        return func

    return wrap


def reminder_label(reason: str) -> str:
    """The Chinese name of a stored reason code; a rule may store details after a colon
    (``meeting_not_held:party_congress:month``), the label is its rule's."""
    base = (reason or "").split(":", 1)[0]
    return str(REMINDER_LABELS.get(base, reason))


# --- points sources -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PointsSource:
    """Where points entries of one kind come from: ``rows(since)`` is a queryset annotated with
    ``_member`` (the member's id), ``_source`` (the event's id) and ``_day`` (a date); ``model`` is
    the event's ``"app_label.Model"``. The points service awards them (one INSERT ... SELECT each)."""

    kind: str
    model: str
    rows: Callable[[datetime.date | None], Any]


POINTS_SOURCES: dict[str, PointsSource] = {}


def register_points_source(source: PointsSource) -> None:
    POINTS_SOURCES[str(source.kind)] = source


# --- default periodic tasks ---------------------------------------------------------------------


@dataclass(frozen=True)
class DefaultSchedule:
    """A default Celery beat entry: ``crontab`` is (minute, hour, day_of_month, month_of_year,
    day_of_week) in Asia/Shanghai. ``name`` is how staff find it in the admin."""

    name: str
    task: str
    crontab: tuple[str, str, str, str, str]
    kwargs: dict = field(default_factory=dict)


DEFAULT_SCHEDULES: dict[str, DefaultSchedule] = {}


def register_default_schedule(schedule: DefaultSchedule) -> None:
    DEFAULT_SCHEDULES[schedule.name] = schedule


# --- the statistics dashboard -------------------------------------------------------------------

# What the staff dashboard features, figure name -> position (lower first): cards, per-child
# breakdowns (a block or a figure), the drill-down table's columns and the trend charts.
DASHBOARD: dict[str, dict[str, int]] = {"cards": {}, "breakdowns": {}, "columns": {}, "trends": {}}


def feature_on_dashboard(place: str, **positions: int) -> None:
    """``feature_on_dashboard("cards", **{"members.total": 20})``; ``place`` is one of ``DASHBOARD``."""
    DASHBOARD[place].update(positions)


def dashboard_features(place: str) -> list[str]:
    return [name for name, _pos in sorted(DASHBOARD[place].items(), key=lambda item: (item[1], item[0]))]


# --- demo and scale data ------------------------------------------------------------------------


@dataclass
class DemoContext:
    """Shared state of one ``seed_demo`` run. Seeders look things up by stable keys
    (organization code, compound name, username) so that running twice changes nothing."""

    today: datetime.date
    write: Any = print
    orgs: dict[str, Any] = field(default_factory=dict)
    compounds: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, scope)


@dataclass
class ScaleContext:
    """Shared state of one ``generate_scale_data`` run: sizes, a seeded RNG, and the ids each
    generator leaves for the next (e.g. ``branch_ids``)."""

    sizes: dict[str, int]
    prefix: str
    rng: random.Random
    today: datetime.date
    write: Any = print
    data: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


# Steps run in ``order`` (lower first; a layer's data before the layers above read it). A scale
# generator may carry ``DEFAULTS`` ({size name: default}), each an option of the command.
DEMO_SEEDERS: dict[str, tuple[int, Callable[[DemoContext], None]]] = {}
SCALE_GENERATORS: dict[str, tuple[int, Callable[[ScaleContext], None]]] = {}


def _step_name(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def register_demo_seeder(func: Callable[[DemoContext], None], *, order: int) -> None:
    DEMO_SEEDERS[_step_name(func)] = (order, func)


def register_scale_generator(func: Callable[[ScaleContext], None], *, order: int) -> None:
    SCALE_GENERATORS[_step_name(func)] = (order, func)


def demo_seeders() -> list[Callable[[DemoContext], None]]:
    return [func for _order, func in sorted(DEMO_SEEDERS.values(), key=lambda item: item[0])]


def scale_generators() -> list[Callable[[ScaleContext], None]]:
    return [func for _order, func in sorted(SCALE_GENERATORS.values(), key=lambda item: item[0])]


# --- discovery ----------------------------------------------------------------------------------


def discover() -> None:
    """Import ``<app>.contributions`` of every installed app, in ``INSTALLED_APPS`` order (lowest
    layer first, so a higher app may extend what a lower one registered). Idempotent: a module is
    imported once. Called by ``CoreConfig.ready()`` only."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("contributions")


# --- printable ledgers (台账) -------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerSection:
    """One section of a branch's yearly ledger. ``build(ctx)`` gets the ledger context (the
    branch, the year, the viewing user, built by the app that renders ledgers) and returns the
    section's blocks (``core.documents``), which the PDF and Word renderers both lay out. Lower
    ``order`` first; the dues ledger plugs in here like the meeting ledger and the roster."""

    key: str
    title: Any
    order: int
    build: Callable[[Any], list]


def _in_order(entries: dict) -> list:
    """A keyed registry's entries by their ``order``, then their key: contributions of several
    apps come out in the same order whatever order the apps were discovered in."""
    return [entries[key] for key in sorted(entries, key=lambda key: (entries[key].order, key))]


LEDGER_SECTIONS: dict[str, LedgerSection] = {}


def register_ledger_section(section: LedgerSection) -> None:
    LEDGER_SECTIONS[section.key] = section


def ledger_sections() -> list[LedgerSection]:
    return _in_order(LEDGER_SECTIONS)


# --- admin extensions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AdminObjectTool:
    """A button on a model's admin change page: ``url(obj)`` is where it leads (``None``: no
    button for this object)."""

    label: Any
    url: Callable[[Any], str | None]


# model label ("app_label.model") -> admin actions (functions with ``short_description``) and
# change-page buttons a higher app adds to a lower app's admin.
ADMIN_ACTIONS: dict[str, list[Callable]] = {}
ADMIN_OBJECT_TOOLS: dict[str, list[AdminObjectTool]] = {}


def register_admin_action(model: str, action: Callable) -> None:
    actions = ADMIN_ACTIONS.setdefault(model.lower(), [])
    if action not in actions:
        actions.append(action)


def register_admin_object_tool(model: str, tool: AdminObjectTool) -> None:
    tools = ADMIN_OBJECT_TOOLS.setdefault(model.lower(), [])
    if tool not in tools:
        tools.append(tool)


# --- the member portal (党员端) home: sections of higher apps ----------------------------------


@dataclass(frozen=True)
class PortalLink:
    """A tile on the member portal's home page: ``url_name`` is reversed without arguments;
    ``order`` sorts the tiles (members' own pages 100-199, projects 400-499, posts 500)."""

    label: str
    url_name: str
    order: int = 500
    description: str = ""


PORTAL_LINKS: list[PortalLink] = []


def register_portal_link(link: PortalLink) -> None:
    if link not in PORTAL_LINKS:
        PORTAL_LINKS.append(link)


# --- events for REST clients (webhooks) ---------------------------------------------------------


@dataclass(frozen=True)
class EventType:
    """An event an app emits for webhook subscribers: ``name`` like ``"member.created"``;
    ``masked`` maps payload fields holding personal data to a mask kind (``"phone"``,
    ``"id_number"``, ``"name"``) applied unless the subscriber holds ``unmask_permission``
    (``"app_label.codename"``)."""

    name: str
    label: object = ""
    masked: dict = field(default_factory=dict)
    unmask_permission: str = ""


EVENT_TYPES: dict[str, EventType] = {}


def register_event_type(name: str, *, label="", masked: dict | None = None, unmask_permission: str = "") -> None:
    """Declare an event type (in the emitting app's contributions module)."""
    EVENT_TYPES[name] = EventType(
        name=name, label=label, masked=dict(masked or {}), unmask_permission=unmask_permission
    )


# --- data quality (数据质量) --------------------------------------------------------------------


@dataclass(frozen=True)
class QualityCheck:
    """One line of the 数据质量 report: records of ``model`` ("app_label.model") a clerk should
    complete or fix. ``rows(queryset, today)`` narrows ``queryset`` (the model's rows the user
    may see, already limited to the chosen node's subtree by the report) to the offending rows;
    the report counts it and the admin list of ``model`` filters by the same function
    (``?dq=<key>.<node id>``), so the count and the list always agree."""

    key: str
    label: Any
    model: str
    order: int
    rows: Callable[[Any, Any], Any]


@dataclass(frozen=True)
class QualityRate:
    """The 完整率 figure per branch: ``rates(branch_ids, today) -> {branch id: (complete, total)}``
    with ``definition`` shown on the page. One contribution (the app that owns members)."""

    label: Any
    definition: Any
    rates: Callable[[list, Any], dict]


QUALITY_CHECKS: dict[str, QualityCheck] = {}
QUALITY_RATES: list[QualityRate] = []


def register_quality_check(check: QualityCheck) -> None:
    QUALITY_CHECKS[check.key] = check


def quality_checks(model: str | None = None) -> list[QualityCheck]:
    return [c for c in _in_order(QUALITY_CHECKS) if model is None or c.model.lower() == model.lower()]


def register_quality_rate(rate: QualityRate) -> None:
    if rate not in QUALITY_RATES:
        QUALITY_RATES.append(rate)


# --- dashboard panels ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardPanel:
    """A table a higher app adds to ``/dashboard/`` below the figures: ``render(request, node,
    period)`` returns its HTML (the app's own template, already scoped to the user) or ``""``."""

    key: str
    order: int
    render: Callable[[Any, Any, Any], str]


DASHBOARD_PANELS: dict[str, DashboardPanel] = {}


def register_dashboard_panel(panel: DashboardPanel) -> None:
    DASHBOARD_PANELS[panel.key] = panel


def dashboard_panels() -> list[DashboardPanel]:
    return _in_order(DASHBOARD_PANELS)


# --- phone pages of a branch (/branch/) ---------------------------------------------------------


@dataclass(frozen=True)
class BranchTab:
    """A link on the branch secretary's phone pages that a higher app adds: ``url_name`` is
    reversed with ``branch_id``."""

    label: Any
    url_name: str
    order: int = 100


BRANCH_TABS: dict[str, BranchTab] = {}


def register_branch_tab(tab: BranchTab) -> None:
    BRANCH_TABS[tab.url_name] = tab


def branch_tabs() -> list[BranchTab]:
    return _in_order(BRANCH_TABS)
