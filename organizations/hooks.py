"""Contexts handed to the per-app demo seeders and scale generators (see settings
``DEMO_SEEDERS`` / ``SCALE_GENERATORS``)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string


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


def load_hooks(setting_value: list[str]):
    return [import_string(path) for path in setting_value]
