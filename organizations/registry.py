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


# Role permissions beyond the defaults (see organizations.roles).
# role value -> set of "app_label.codename"
EXTRA_ROLE_PERMISSIONS: dict[str, set[str]] = {}


def grant_role_permissions(role: str, *perms: str) -> None:
    EXTRA_ROLE_PERMISSIONS.setdefault(role, set()).update(perms)
