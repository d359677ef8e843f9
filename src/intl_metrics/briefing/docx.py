"""The briefing as an editable Word document (python-docx), A4, same sections as the PDF.

Built on Word's own styles (Title, Heading 1/2, List Bullet, a table style), so staff
can restyle it, add their text and update it as usual. The document's language is set
(Italian or British English), so Word checks the spelling in it.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from intl_metrics.briefing.model import (
    Block,
    Briefing,
    Bullets,
    Image,
    Paragraph,
    Subheading,
    Table,
)

__all__ = ["briefing_docx"]

MUTED = RGBColor(0x52, 0x60, 0x6D)
ACCENT = RGBColor(0x00, 0x44, 0x88)
TEXT_WIDTH_CM = 21.0 - 2 * 1.8


def _set_language(document: docx.document.Document, tag: str) -> None:
    """The language of every style's text (Word's spelling and hyphenation use it)."""
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _field(paragraph: docx.text.paragraph.Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the page out."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = code
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _footer(document: docx.document.Document, label: str) -> None:
    """'Page {page} of {pages}' in the footer, with live page fields."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, rest = label.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    for piece, code in ((before, "PAGE"), (middle, "NUMPAGES"), (after, "")):
        if piece:
            run = paragraph.add_run(piece)
            run.font.size = Pt(8)
            run.font.color.rgb = MUTED
        if code:
            _field(paragraph, code)


def _repeat_header(row: docx.table._Row) -> None:
    """The table's heading row prints again on every page the table runs onto."""
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _note(document: docx.document.Document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(8.5)
    run.font.color.rgb = MUTED


def _table(document: docx.document.Document, table: Table) -> None:
    if table.title:
        document.add_heading(table.title, level=2)
    if not table.rows:
        return
    out = document.add_table(rows=1, cols=len(table.columns))
    out.style = "Light List Accent 1"
    out.alignment = WD_TABLE_ALIGNMENT.LEFT
    out.autofit = False
    widths = [Cm(TEXT_WIDTH_CM * c.width) for c in table.columns]
    heading = out.rows[0]
    _repeat_header(heading)
    for cell, column, width in zip(heading.cells, table.columns, widths, strict=True):
        cell.width = width
        cell.text = column.title
        if column.align == "right":
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for values in table.rows:
        cells = out.add_row().cells
        for cell, value, column, width in zip(cells, values, table.columns, widths, strict=True):
            cell.width = width
            cell.text = value
            paragraph = cell.paragraphs[0]
            for run in paragraph.runs:
                run.font.size = Pt(9)
            if column.align == "right":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _block(document: docx.document.Document, block: Block) -> None:
    if isinstance(block, Paragraph):
        if block.style == "note":
            _note(document, block.text)
        else:
            paragraph = document.add_paragraph(block.text)
            if block.style == "lead":
                for run in paragraph.runs:
                    run.font.size = Pt(12)
    elif isinstance(block, Subheading):
        document.add_heading(block.text, level=2)
    elif isinstance(block, Bullets):
        if block.title:
            document.add_heading(block.title, level=2)
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Image):
        document.add_picture(io.BytesIO(block.png), width=Cm(TEXT_WIDTH_CM * block.scale))
        picture = document.paragraphs[-1]
        picture.paragraph_format.keep_with_next = bool(block.caption)
        if block.caption:
            _note(document, block.caption)


def briefing_docx(briefing: Briefing) -> bytes:
    """The briefing as DOCX bytes: a cover page, then one numbered section after another."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    _set_language(document, {"it": "it-IT", "en": "en-GB"}.get(briefing.lang, briefing.lang))
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)

    props = document.core_properties
    props.title = f"{briefing.title} · {briefing.period}"
    props.author = briefing.organisation
    props.language = briefing.lang
    props.created = datetime(*briefing.made_on.timetuple()[:3], tzinfo=UTC)

    header = section.header.paragraphs[0]
    header.text = briefing.running_head
    for run in header.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = MUTED
    section.different_first_page_header_footer = True  # the cover has neither
    _footer(document, briefing.page_label)

    # cover
    for _ in range(6):
        document.add_paragraph()
    organisation = document.add_paragraph()
    run = organisation.add_run(briefing.organisation.upper())
    run.bold = True
    run.font.color.rgb = ACCENT
    document.add_paragraph(briefing.title, style="Title")
    period = document.add_paragraph()
    period.add_run(briefing.period).font.size = Pt(16)
    if briefing.filters:
        _note(document, briefing.filters)
    facts = document.add_paragraph()
    facts.add_run("   ·   ".join(briefing.facts)).font.size = Pt(12)
    _note(document, briefing.made)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    for number, part in enumerate(briefing.sections, start=1):
        if number > 1 and part.key in ("map", "breakdown", "about"):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(f"{number}. {part.title}", level=1)
        for block in part.blocks:
            _block(document, block)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
