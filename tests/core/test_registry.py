"""The one registry: every app's contributions are found through ``<app>/contributions.py``."""

import sys

from django.apps import apps

from core import registry

DOMAIN_APPS = ["organizations", "members", "committees", "projects"]


def test_every_domain_app_declares_its_contributions_in_one_module():
    for label in DOMAIN_APPS:
        assert f"{label}.contributions" in sys.modules, label
    assert registry.DOMAIN_APPS == DOMAIN_APPS  # lowest layer first, as INSTALLED_APPS


def test_discovery_is_idempotent():
    before = (
        dict(registry.METRICS),
        dict(registry.REMINDER_RULES),
        dict(registry.DEMO_SEEDERS),
        dict(registry.POINTS_SOURCES),
        list(registry.DOMAIN_APPS),
    )
    registry.discover()
    after = (
        dict(registry.METRICS),
        dict(registry.REMINDER_RULES),
        dict(registry.DEMO_SEEDERS),
        dict(registry.POINTS_SOURCES),
        list(registry.DOMAIN_APPS),
    )
    assert before == after


def test_kinds_of_contribution_are_filled_by_their_apps():
    assert {"organizations.venue_six_standards", "organizations.full_members"} <= set(registry.METRICS)
    # The full-member count reads members' table, so the members app declares it.
    assert registry.METRICS["organizations.full_members"].func.__module__ == "members.metrics"
    assert "branch_term_ending" in registry.REMINDER_RULES
    assert set(registry.CUMULATIVE_COUNTS) == {"compound_count", "member_count", "branch_count"}
    assert {"projects.add_residentrequest", "members.add_meeting"} <= registry.EXTRA_ROLE_PERMISSIONS[
        "branch_secretary"
    ]
    assert sorted(s.model for s in registry.POINTS_SOURCES.values()) == [
        "members.Attendance",
        "members.ServiceRecord",
        "projects.MicroWish",
        "projects.ResidentRequest",
    ]
    assert "每晚积分" in registry.DEFAULT_SCHEDULES
    for label in registry.ARCHIVE_RULES:
        app_label, model_name = label.split(".")
        apps.get_model(app_label, model_name)  # every rule names an installed model


def test_demo_and_scale_steps_run_lowest_layer_first():
    """Each app's data steps run after those of every layer below it (a step may use what the lower
    layers made), and the cross-cutting steps come last: scores once every app's data is in, points
    after every event, reminders, then the webhooks (so that seeding itself emits no events); the
    maintained summaries are rebuilt at the very end of both (the scale data is bulk-inserted)."""
    layers = ["organizations", "members", "committees", "projects"]
    tail = [
        "organizations.scoring.demo.seed",
        "members.demo.points.seed",
        "organizations.scoring.demo.seed_reminders",
        "organizations.demo.notify.seed",
        "members.rollups.rebuild_after_generation",
    ]
    seeders = [f"{f.__module__}.{f.__name__}" for f in registry.demo_seeders()]
    assert seeders[-len(tail) :] == tail
    data = seeders[: -len(tail)]
    assert data[0] == "organizations.demo.seed.seed"
    ranks = [layers.index(name.split(".")[0]) for name in data]
    assert ranks == sorted(ranks), data
    assert {"members.demo.seed.seed", "committees.demo.seed.seed", "projects.demo.seed.seed"} <= set(data)
    generators = [f"{f.__module__}.{f.__name__}" for f in registry.scale_generators()]
    assert generators[-1] == "members.rollups.rebuild_after_generation"
    generators = [name.rsplit(".", 1)[0] for name in generators[:-1]]
    assert generators[0] == "organizations.demo.scale"
    ranks = [layers.index(name.split(".")[0]) for name in generators]
    assert ranks == sorted(ranks), generators
    assert {"members.demo.scale", "committees.demo.scale", "projects.demo.scale"} <= set(generators)
