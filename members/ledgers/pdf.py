"""The ledger as PDF: the blocks laid out in an HTML template (A4, Noto CJK) and printed by
WeasyPrint. WeasyPrint needs Pango from the system; it is imported only here, when a PDF is
asked for, so the rest of the site (and Word ledgers) work on a machine without it."""

from __future__ import annotations

import base64
import functools

from django.template.loader import render_to_string

from core.documents import Document, Heading, Image, Images, PageBreak, Paragraph, Table

# What to install when WeasyPrint cannot load (docs/deploy.md).
INSTALL_HINT = "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk"


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango it needs) is not installed: PDF cannot be made, Word can."""


@functools.cache
def unavailable_reason() -> str:
    """Empty when PDF can be made, else why not and what to install."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"无法生成 PDF：{exc.__class__.__name__}: {exc}。请安装 WeasyPrint 所需的系统库：{INSTALL_HINT}（Word 版不受影响）"
    return ""


def pdf_available() -> bool:
    return not unavailable_reason()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _data_uri(image: Image) -> str:
    return f"data:{image.content_type};base64,{base64.b64encode(image.data).decode()}"


def _block(block) -> dict:
    if isinstance(block, Heading):
        return {"type": "heading", "text": block.text, "level": block.level}
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "label": block.label}
    if isinstance(block, Table):
        total = sum(block.widths) or 1
        widths = [f"{100 * w / total:.1f}%" for w in block.widths] if block.widths else []
        return {"type": "table", "headers": block.headers, "rows": block.rows, "widths": widths}
    if isinstance(block, Images):
        return {"type": "images", "images": [{"src": _data_uri(i), "caption": i.caption} for i in block.images]}
    if isinstance(block, PageBreak):
        return {"type": "pagebreak"}
    raise TypeError(f"unknown block {block!r}")


def render_html(document: Document) -> str:
    sections = [
        {
            "title": title,
            "blocks": [_block(b) for b in blocks],
            "landscape": any(isinstance(b, Table) and b.landscape for b in blocks),
        }
        for title, blocks in document.sections
    ]
    return render_to_string(
        "ledgers/ledger.html",
        {"document": document, "sections": sections, "header_css": _css_string(document.header)},
    )


def render_pdf(document: Document) -> bytes:
    """The PDF bytes; ``PdfUnavailable`` (with what to install) without WeasyPrint."""
    reason = unavailable_reason()
    if reason:
        raise PdfUnavailable(reason)
    from weasyprint import HTML

    return HTML(string=render_html(document)).write_pdf()
