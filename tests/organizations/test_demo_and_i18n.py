"""seed_demo is idempotent; every label of every domain model reads in Chinese."""

import re
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.utils import translation

from organizations.models import AccessScope, Building, Compound, Organization, Venue

CJK = re.compile(r"[\u4e00-\u9fff]")


def _counts():
    return tuple(m.objects.count() for m in (Organization, Compound, Building, Venue, AccessScope))


def test_seed_demo_idempotent(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    assert "huacheng_secretary" in out.getvalue()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    assert Organization.objects.get(code="NA-HYL-JH-HC").name == "华城国际小区党支部"
    assert Compound.objects.get(name="华城国际小区").households == 641
    assert Compound.objects.get(name="九龙花园").households == 200
    from organizations.services import tree_problems

    assert tree_problems() == []


def test_every_domain_label_is_translated():
    untranslated = []
    with translation.override("zh-hans"):
        for app_label in ("organizations", "members", "committees", "projects"):
            for model in apps.get_app_config(app_label).get_models():
                if not CJK.search(str(model._meta.verbose_name)):
                    untranslated.append(f"{model.__name__}.verbose_name")
                for field in model._meta.get_fields():
                    # Generic foreign keys are private fields with no label of their own.
                    if not hasattr(field, "verbose_name") or field.auto_created or not field.concrete:
                        continue
                    if field.name in ("id", "lft", "rght", "tree_id", "level"):
                        continue
                    if not CJK.search(str(field.verbose_name)):
                        untranslated.append(f"{model.__name__}.{field.name}")
                    for _value, label in getattr(field, "flatchoices", []) or []:
                        if label and not CJK.search(str(label)):
                            untranslated.append(f"{model.__name__}.{field.name} choice {label}")
    assert untranslated == []
