#!/usr/bin/env python
"""Keep one Chinese catalogue per app: extract, carry translations over, compile.

    .venv/bin/python scripts/catalogues.py            # update every <app>/locale/zh_Hans catalogue
    .venv/bin/python scripts/catalogues.py --check    # report missing / untranslated / stale, change nothing

Extraction is Django's makemessages (Python files and templates of each app); the project-level
templates/ and config/ are assigned to an app by TEMPLATE_HOMES. Translations are carried over from the
app's own catalogue, then from another app's catalogue holding the same (context, msgid), so a message
moved between apps keeps its Chinese. A msgid that must read differently in two places gets a
`pgettext_lazy` context in the source; one (context, msgid) has one translation in the whole project.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pofile import Entry, parse, write  # noqa: E402

APPS = ("core", "organizations", "members", "committees", "projects")
LANGUAGE = "zh_Hans"
# Project-level folders whose strings belong to an app's catalogue.
TEMPLATE_HOMES = {
    "templates/branch": "members",
    "templates/dashboard": "core",
    "templates/admin": "core",
    "templates": "core",
    "config": "core",
}
IGNORED = [
    "tests",
    "tests/*",
    "bench",
    "bench/*",
    "scripts",
    "scripts/*",
    "docs",
    "docs/*",
    "static",
    "static/*",
    "node_modules",
    "media",
    "media/*",
]


def catalogue_path(app: str) -> Path:
    return ROOT / app / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"


def extract() -> dict[str, list[Entry]]:
    """Run makemessages' extraction; return the template entries (empty msgstr) per app."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django
    from django.core.management.commands import makemessages

    django.setup()
    result: dict[str, list[Entry]] = {}

    class Extract(makemessages.Command):
        # Some modules import gettext_lazy as _lazy (where _ is the eager gettext).
        xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]

        def find_files(self, root):
            files = super().find_files(root)
            for found in files:
                rel = os.path.relpath(found.dirpath, ROOT).replace(os.sep, "/")
                for prefix, app in sorted(TEMPLATE_HOMES.items(), key=lambda kv: -len(kv[0])):
                    if rel == prefix or rel.startswith(prefix + "/"):
                        found.locale_dir = str(ROOT / app / "locale")
                        break
            return files

        def write_po_file(self, potfile, locale):
            app = os.path.relpath(os.path.dirname(potfile), ROOT).split(os.sep)[0]
            result.setdefault(app, []).extend(parse(Path(potfile))[1])

    for app in APPS:
        (ROOT / app / "locale").mkdir(exist_ok=True)
    from django.core.management import call_command

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        call_command(
            Extract(),
            locale=[LANGUAGE],
            no_location=True,
            no_obsolete=True,
            verbosity=0,
            ignore_patterns=IGNORED,
        )
    finally:
        os.chdir(cwd)
    return result


def existing() -> dict[str, dict[tuple, Entry]]:
    """The committed catalogues, per app, keyed by (context, msgid)."""
    found = {}
    for app in APPS:
        path = catalogue_path(app)
        found[app] = {e.key: e for e in parse(path)[1]} if path.exists() else {}
    return found


def foreign() -> dict[tuple, list[str]]:
    """Chinese of the installed third-party apps and Django itself, keyed like our entries.

    Our catalogue repeats their text for a msgid we use too (a copied admin template), and must not
    translate such a msgid differently: the admin would read one word on one page and another elsewhere.
    """
    import gettext

    from django.apps import apps
    from django.conf import locale as django_locale

    # Django's precedence: installed apps in their order, then Django's own catalogue.
    folders = [Path(c.path) / "locale" for c in apps.get_app_configs() if c.name.split(".")[0] not in APPS]
    folders.append(Path(django_locale.__file__).parent)
    found: dict[tuple, list[str]] = {}
    for folder in folders:
        mo = folder / LANGUAGE / "LC_MESSAGES" / "django.mo"
        if not mo.exists():
            continue
        with mo.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog
        for raw, text in catalog.items():
            msgid, index = raw if isinstance(raw, tuple) else (raw, 0)
            if not msgid:
                continue
            context, _, msgid = msgid.rpartition("\x04") if "\x04" in msgid else (None, "", msgid)
            texts = found.setdefault((context, msgid), [])
            if len(texts) <= index:
                texts.extend([""] * (index + 1 - len(texts)))
            if not texts[index]:
                texts[index] = text
    return found


def legacy(folder: Path) -> dict[tuple, Entry]:
    """Translations of old per-topic catalogues (folder/<topic>/zh_Hans/...); disagreements need a choice."""
    from catalogue_choices import CHOSEN

    seen: dict[tuple, set] = {}
    entries: dict[tuple, Entry] = {}
    for path in sorted(folder.glob(f"*/{LANGUAGE}/LC_MESSAGES/django.po")):
        for entry in parse(path)[1]:
            if entry.translated:
                seen.setdefault(entry.key, set()).add(tuple(entry.msgstr))
                entries.setdefault(entry.key, entry)
    for key, text in CHOSEN.items():
        entries[key] = Entry(msgid=key[1], msgctxt=key[0], msgstr=[text])
    undecided = [key for key, texts in seen.items() if len(texts) > 1 and key not in CHOSEN]
    if undecided:
        raise SystemExit(f"choose a translation in catalogue_choices.py for: {undecided}")
    return entries


def merge(
    extracted: dict[str, list[Entry]], current: dict[str, dict[tuple, Entry]], old: dict[tuple, Entry] | None = None
) -> dict[str, list[Entry]]:
    """Give every extracted entry its translation: own catalogue first, then any other app's."""
    anywhere: dict[tuple, Entry] = dict(old or {})
    theirs = foreign()
    for entries in current.values():
        for entry in entries.values():
            if entry.translated:
                anywhere.setdefault(entry.key, entry)
    merged = {}
    for app in APPS:
        entries = []
        seen = set()
        for entry in extracted.get(app, []):
            if entry.key in seen:
                continue
            seen.add(entry.key)
            source = current[app].get(entry.key)
            if source is None or not source.translated:
                source = anywhere.get(entry.key, source)
            if source is not None:
                entry.msgstr = list(source.msgstr)
                if not source.translated:
                    entry.flags |= {"fuzzy"} & source.flags
            if not entry.translated and entry.key in theirs:
                entry.msgstr = list(theirs[entry.key])[: len(entry.msgstr)]
            entry.comments = [c for c in entry.comments if c.startswith("#.")]
            entries.append(entry)
        merged[app] = entries
    return merged


def compile_catalogue(po: Path) -> None:
    subprocess.run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


def problems(merged: dict[str, list[Entry]], current: dict[str, dict[tuple, Entry]]) -> list[str]:
    """What --check reports: catalogues that differ from a fresh extraction, untranslated msgids."""
    found = []
    for app in APPS:
        fresh = {e.key for e in merged[app]}
        committed = set(current[app])
        for key in sorted(fresh - committed, key=str):
            found.append(f"{app}: {key[1]!r} (context {key[0]!r}) is used in the code but not in the catalogue")
        for key in sorted(committed - fresh, key=str):
            found.append(f"{app}: {key[1]!r} (context {key[0]!r}) is in the catalogue but no longer used")
        for entry in merged[app]:
            if not entry.translated:
                found.append(f"{app}: {entry.msgid!r} (context {entry.msgctxt!r}) has no translation")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report problems, write nothing")
    parser.add_argument("--legacy", type=Path, help="also carry over from old per-topic catalogues in this folder")
    args = parser.parse_args(argv)
    current = existing()
    old = legacy(args.legacy) if args.legacy else None
    if old:
        # The choices decide over whatever an app catalogue held before.
        current = {app: {k: v for k, v in entries.items() if k not in old} for app, entries in current.items()}
    merged = merge(extract(), current, old)
    if args.check:
        found = problems(merged, current)
        print("\n".join(found) or "catalogues are up to date")
        return 1 if found else 0
    for app in APPS:
        path = catalogue_path(app)
        write(path, app, merged[app])
        compile_catalogue(path)
    untranslated = [e.msgid for app in APPS for e in merged[app] if not e.translated]
    for msgid in untranslated:
        print(f"untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
