"""A small reader and writer for gettext .po files (the subset makemessages produces).

Kept here, next to the catalogue script, so the project needs no extra package to maintain its
translations. An entry is keyed by (msgctxt, msgid); plural entries keep every msgstr[n].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HEADER = (
    "Project-Id-Version: partybuilding {app}\n"
    "PO-Revision-Date: 2026-01-01 00:00+0800\n"
    "Last-Translator: partybuilding\n"
    "Language-Team: Chinese (Simplified)\n"
    "Language: zh_Hans\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=1; plural=0;\n"
)


@dataclass
class Entry:
    """One message: its context, source text, plural source and translations."""

    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and all(self.msgstr) and bool(self.msgstr)


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted po string: {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'


class _Reader:
    """Line-by-line state of one .po file."""

    def __init__(self, path: Path):
        self.path = path
        self.header = ""
        self.entries: list[Entry] = []
        self.current: dict = {}
        self.last: tuple[str, int | None] | None = None

    def flush(self) -> None:
        current = self.current
        if "msgid" in current:
            strs = current.get("msgstr", {})
            values = [strs[k] for k in sorted(strs)] or [""]
            if current["msgid"] == "" and current.get("msgctxt") is None:
                self.header = values[0]
            else:
                self.entries.append(
                    Entry(
                        msgid=current["msgid"],
                        msgctxt=current.get("msgctxt"),
                        msgid_plural=current.get("msgid_plural"),
                        msgstr=values,
                        flags=current.get("flags", set()),
                        comments=current.get("comments", []),
                    )
                )
        self.current, self.last = {}, None

    def comment(self, raw: str, line: str) -> None:
        if "msgid" in self.current:
            self.flush()
        if line.startswith("#,"):
            self.current.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#.") or line.startswith("# "):
            self.current.setdefault("comments", []).append(raw)

    def continuation(self, line: str) -> None:
        name, index = self.last
        if index is None:
            self.current[name] += _unquote(line)
        else:
            self.current[name][index] += _unquote(line)

    def keyword(self, raw: str, line: str) -> None:
        keyword, _, rest = line.partition(" ")
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword == "msgctxt" and "msgid" in self.current:
            self.flush()
        if match:
            self.current.setdefault("msgstr", {})[int(match.group(1))] = _unquote(rest)
            self.last = ("msgstr", int(match.group(1)))
        elif keyword == "msgstr":
            self.current["msgstr"] = {0: _unquote(rest)}
            self.last = ("msgstr", 0)
        elif keyword in ("msgid", "msgctxt", "msgid_plural"):
            self.current[keyword] = _unquote(rest)
            self.last = (keyword, None)
        else:
            raise ValueError(f"{self.path}: cannot read line {raw!r}")

    def read(self) -> tuple[str, list[Entry]]:
        for raw in self.path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line:
                self.flush()
            elif line.startswith("#~"):
                continue
            elif line.startswith("#"):
                self.comment(raw, line)
            elif line.startswith('"'):
                self.continuation(line)
            else:
                self.keyword(raw, line)
        self.flush()
        return self.header, self.entries


def parse(path: Path) -> tuple[str, list[Entry]]:
    """Return (header msgstr, entries) of a .po file; obsolete (#~) entries are dropped."""
    return _Reader(path).read()


def write(path: Path, app: str, entries: list[Entry]) -> None:
    """Write entries in a stable order (by msgid, then context), with a fixed header."""
    out = ['msgid ""', 'msgstr ""']
    out += [_quote(line + "\n") for line in HEADER.format(app=app).splitlines()]
    for entry in sorted(entries, key=lambda e: (e.msgid, e.msgctxt or "")):
        out.append("")
        out += entry.comments
        flags = sorted(entry.flags - {"fuzzy"} if entry.translated else entry.flags)
        if flags:
            out.append("#, " + ", ".join(flags))
        if entry.msgctxt is not None:
            out.append("msgctxt " + _quote(entry.msgctxt))
        out.append("msgid " + _quote(entry.msgid))
        if entry.msgid_plural is not None:
            out.append("msgid_plural " + _quote(entry.msgid_plural))
            for index, value in enumerate(entry.msgstr):
                out.append(f"msgstr[{index}] " + _quote(value))
        else:
            out.append("msgstr " + _quote(entry.msgstr[0]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
