"""Printable documents as plain blocks, laid out by a PDF or a Word renderer.

A section of a document (a ledger's meeting record, its roster, the dues) is a list of these
blocks; the renderers (``members.ledgers.pdf`` / ``.docx``) know nothing of the domain, and a
section written once prints the same in both formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1: section title (new page), 2: sub-heading, 3: item title


@dataclass(frozen=True)
class Paragraph:
    text: str
    label: str = ""  # printed bold before the text ("会议地点：")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)  # relative column widths
    landscape: bool = False  # too wide for a portrait page: its section is printed landscape


@dataclass(frozen=True)
class Image:
    data: bytes
    content_type: str
    caption: str = ""


@dataclass(frozen=True)
class Images:
    """Photos printed as thumbnails, several to a line."""

    images: list[Image]


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass
class Document:
    """What a renderer lays out: the title (the cover's), the header line of every page (the
    organization's name) and the sections, each a title and its blocks."""

    title: str
    header: str
    sections: list[tuple[str, list]] = field(default_factory=list)
