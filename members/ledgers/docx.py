"""The ledger as Word (.docx, python-docx) so staff can edit it before printing: A4, body in
Noto Serif CJK SC (宋体-like), headings in Noto Sans CJK SC (黑体-like), the organization's
name in the header and "第 N 页 共 M 页" in the footer (Word fields, counted when opened)."""

from __future__ import annotations

import io

from core.documents import Document, Heading, Image, Images, PageBreak, Paragraph, Table

BODY_FONT = "Noto Serif CJK SC"
HEADING_FONT = "Noto Sans CJK SC"
# python-docx reads these picture formats; others (WebP) are named instead of shown.
PICTURE_TYPES = {"image/jpeg", "image/png", "image/gif"}


def _set_font(style_or_run, name: str, size=None, bold=None) -> None:
    from docx.oxml.ns import qn

    font = style_or_run.font
    font.name = name
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE / NUMPAGES) in ``paragraph``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _setup(doc, header: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.left_margin = section.right_margin = Cm(2)
    _set_font(doc.styles["Normal"], BODY_FONT, Pt(10.5))
    for level, size in ((1, 18), (2, 13), (3, 11.5)):
        style = doc.styles[f"Heading {level}"]
        _set_font(style, HEADING_FONT, Pt(size), bold=True)
        style.font.color.rgb = None
    head = section.header.paragraphs[0]
    head.text = header
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("第 ")
    _field(foot, "PAGE")
    foot.add_run(" 页 共 ")
    _field(foot, "NUMPAGES")
    foot.add_run(" 页")


def _table(doc, block: Table) -> None:
    table = doc.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
        cell.text = ""
        _set_font(cell.paragraphs[0].add_run(text), HEADING_FONT, bold=True)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _images(doc, block: Images) -> None:
    from docx.shared import Cm

    paragraph = doc.add_paragraph()
    for image in block.images:
        if image.content_type in PICTURE_TYPES:
            try:
                paragraph.add_run().add_picture(io.BytesIO(image.data), width=Cm(5))
                paragraph.add_run("  ")
                continue
            except Exception:  # noqa: BLE001 - an unreadable picture is named, not fatal
                pass
        paragraph.add_run(f"［照片：{image.caption}］ ")


def _block(doc, block) -> None:
    if isinstance(block, Heading):
        doc.add_heading(block.text, level=block.level)
    elif isinstance(block, Paragraph):
        paragraph = doc.add_paragraph()
        if block.label:
            _set_font(paragraph.add_run(block.label), HEADING_FONT, bold=True)
        paragraph.add_run(block.text)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Images):
        _images(doc, block)
    elif isinstance(block, PageBreak | Image):
        doc.add_page_break()


def _new_section(doc, *, landscape: bool) -> None:
    """A new A4 section on a new page, landscape for a wide table; header and footer carry over."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def render_docx(document: Document) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = WordDocument()
    _setup(doc, document.header)
    landscape = False
    for index, (title, blocks) in enumerate(document.sections):
        if index == 0:
            title_paragraph = doc.add_heading(document.title, level=0)
            title_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in title_paragraph.runs:
                _set_font(run, HEADING_FONT)
        else:
            wide = any(isinstance(b, Table) and b.landscape for b in blocks)
            if wide or landscape:
                _new_section(doc, landscape=wide)
            else:
                doc.add_page_break()
            landscape = wide
            doc.add_heading(title, level=1)
        for block in blocks:
            _block(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
