"""The Chinese catalogues: one translation per message, none missing, compiled, no raw codes on screen.

The catalogues are maintained with scripts/catalogues.py (see docs/translations.md).
"""

import gettext
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

import pytest
from django.db import models
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import catalogues  # noqa: E402
from pofile import parse  # noqa: E402


def _cjk(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


def _ours():
    return {app: parse(catalogues.catalogue_path(app))[1] for app in catalogues.APPS}


def test_one_translation_per_message_across_catalogues():
    texts: dict[tuple, dict[str, tuple]] = {}
    for app, entries in _ours().items():
        for entry in entries:
            texts.setdefault(entry.key, {})[app] = tuple(entry.msgstr)
    conflicts = {key: by_app for key, by_app in texts.items() if len(set(by_app.values())) > 1}
    assert not conflicts, conflicts


def test_ours_agree_with_django_and_installed_apps():
    theirs = catalogues.foreign()
    differ = []
    for app, entries in _ours().items():
        for entry in entries:
            if entry.key in theirs and entry.msgstr[0] != theirs[entry.key][0]:
                differ.append(f"{app}: {entry.msgid!r} reads {entry.msgstr[0]!r}, Django {theirs[entry.key][0]!r}")
    assert not differ, differ


def test_catalogues_hold_every_message_of_the_code_translated():
    current = catalogues.existing()
    found = catalogues.problems(catalogues.merge(catalogues.extract(), current), current)
    assert not found, "run scripts/catalogues.py:\n" + "\n".join(found)


@pytest.mark.parametrize("app", catalogues.APPS)
def test_compiled_catalogue_matches_its_source(app):
    po = catalogues.catalogue_path(app)
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in parse(po)[1]:
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr[0]
        else:
            for index, text in enumerate(entry.msgstr):
                expected[(msgid, index)] = text
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == {k: v for k, v in expected.items() if v}, f"recompile {po} (msgfmt -o django.mo django.po)"


def _choice_classes():
    for app in catalogues.APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for _name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, models.Choices) and value.__module__ == info.name:
                    yield value


def test_every_choice_label_reads_chinese():
    classes = sorted(set(_choice_classes()), key=lambda c: f"{c.__module__}.{c.__qualname__}")
    assert len(classes) > 20
    raw = []
    with translation.override("zh-hans"):
        for choices in classes:
            for value, label in zip(choices.values, choices.labels, strict=True):
                if str(label) == str(value) or not _cjk(label):
                    raw.append(f"{choices.__module__}.{choices.__qualname__}.{value}: {label}")
    assert not raw, raw


def test_every_model_and_field_has_a_chinese_name():
    from django.apps import apps

    missing = []
    with translation.override("zh-hans"):
        for app in catalogues.APPS:
            config = apps.get_app_config(app)
            if not _cjk(config.verbose_name):
                missing.append(f"{app}: {config.verbose_name}")
            for model in config.get_models():
                for label in (model._meta.verbose_name, model._meta.verbose_name_plural):
                    if not _cjk(label):
                        missing.append(f"{model.__name__}: {label}")
                for field in model._meta.get_fields():
                    if field.auto_created or not field.concrete:
                        continue
                    if not _cjk(field.verbose_name):
                        missing.append(f"{model.__name__}.{field.name}: {field.verbose_name}")
    assert not missing, missing


def test_every_reminder_reason_has_a_chinese_label():
    from core.registry import REMINDER_LABELS, REMINDER_RULES, reminder_label

    assert set(REMINDER_LABELS) == set(REMINDER_RULES)
    with translation.override("zh-hans"):
        raw = [code for code in REMINDER_RULES if not _cjk(reminder_label(code))]
        assert _cjk(reminder_label("meeting_not_held:party_congress:quarter"))
    assert not raw, raw
