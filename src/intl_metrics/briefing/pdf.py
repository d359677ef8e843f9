"""The briefing as a print-ready A4 PDF (fpdf2).

DejaVu Sans (Debian's fonts-dejavu-core) is embedded, so accents and the Latin,
Greek and Cyrillic names of partners print as written. Text wraps inside the 18 mm
margins (tables wrap in their cells, a word too long for its cell is broken), every
heading stays with what follows it, a chart image is never split across pages, and
the PDF has an outline (bookmarks) of its sections.
"""

from __future__ import annotations

import io
import logging
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableBordersLayout, WrapMode, XPos, YPos

from intl_metrics.briefing.model import (
    Block,
    Briefing,
    Bullets,
    Image,
    Paragraph,
    Subheading,
    Table,
)

__all__ = ["MARGIN", "briefing_pdf", "find_fonts"]

log = logging.getLogger(__name__)

MARGIN = 18.0  # mm on every side: printers need ~5 mm, binders and hole punches more
HEADER_Y = 9.0  # the running head sits in the top margin, the page number in the bottom
FOOTER_FROM_BOTTOM = 12.0
FAMILY = "DejaVu"
Colour = tuple[int, int, int]
TEXT = (31, 41, 51)
MUTED = (82, 96, 109)
RULE = (203, 210, 217)
HEAD_FILL = (228, 231, 235)
ACCENT = (0, 68, 136)
BODY_SIZE = 10
NOTE_SIZE = 8.5
# Fonts are looked for here (Debian's fonts-dejavu-core); INTL_METRICS_FONT_DIR first.
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
)


@cache
def find_fonts() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, or None when neither is installed."""
    dirs = [os.environ.get("INTL_METRICS_FONT_DIR", ""), *FONT_DIRS]
    for d in filter(None, dirs):
        regular, bold = Path(d) / "DejaVuSans.ttf", Path(d) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    log.warning(
        "DejaVu Sans not found (apt-get install fonts-dejavu-core): the briefing's PDF uses "
        "Helvetica, and letters outside Latin-1 lose their accents"
    )
    return None


_ASCII = {"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "•": "-", "−": "-"}


def _latin1(text: str) -> str:
    """Text a core PDF font can print: accents outside Latin-1 dropped, the rest as '?'."""
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 128)
        out.append(base or _ASCII.get(ch, "?"))
    return "".join(out)


class _Document(FPDF):
    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.briefing = briefing
        fonts = find_fonts()
        self.unicode = fonts is not None
        if fonts is not None:
            self.add_font(FAMILY, "", str(fonts[0]))
            self.add_font(FAMILY, "B", str(fonts[1]))
            self.family = FAMILY
        else:
            self.family = "helvetica"
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.alias_nb_pages("{pages}")
        self.set_lang({"it": "it-IT", "en": "en-GB"}.get(briefing.lang, briefing.lang))
        self.set_title(self.safe(f"{briefing.title} · {briefing.period}"))
        self.set_author(self.safe(briefing.organisation))
        self.set_creator("intl-metrics")
        made = datetime(*briefing.made_on.timetuple()[:3], tzinfo=UTC)
        self.set_creation_date(made)  # the same data give the same bytes, any day it is made

    def safe(self, value: str) -> str:
        return value if self.unicode else _latin1(value)

    def use_font(self, size: float, bold: bool = False, colour: Colour = TEXT) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*colour)

    # -- page furniture

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.use_font(8, colour=MUTED)
        self.set_xy(MARGIN, HEADER_Y)
        self.cell(self.epw, 4, self.safe(self.briefing.running_head), align=Align.L)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, HEADER_Y + 5, self.w - MARGIN, HEADER_Y + 5)
        self.set_xy(MARGIN, MARGIN)

    def footer(self) -> None:
        self.use_font(8, colour=MUTED)
        self.set_xy(MARGIN, self.h - FOOTER_FROM_BOTTOM)
        label = self.briefing.page_label.format(page=self.page_no(), pages="{pages}")
        self.cell(self.epw, 4, self.safe(label), align=Align.C)

    # -- flow

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.get_y() + height > self.h - MARGIN:
            self.add_page()

    def para(self, text: str, size: float = BODY_SIZE, **style: object) -> None:
        self.use_font(size, **style)  # type: ignore[arg-type]
        self.multi_cell(
            0,
            size * 0.5,
            self.safe(text),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            wrapmode=WrapMode.WORD,
            align=Align.L,  # ragged right: justified lines stretch titles and names apart
        )

    def small_heading(self, text: str) -> None:
        self.room(18)
        self.ln(1.5)
        self.para(text, 10.5, bold=True)
        self.ln(1)

    @contextmanager
    def indented(self, mm: float) -> Iterator[None]:
        self.set_left_margin(MARGIN + mm)
        self.set_x(MARGIN + mm)
        try:
            yield
        finally:
            self.set_left_margin(MARGIN)
            self.set_x(MARGIN)


def _cover(pdf: _Document, b: Briefing) -> None:
    pdf.add_page()
    pdf.set_y(70)
    pdf.use_font(11, bold=True, colour=ACCENT)
    pdf.multi_cell(
        0, 6, pdf.safe(b.organisation.upper()), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L
    )
    pdf.ln(4)
    pdf.use_font(26, bold=True)
    pdf.multi_cell(0, 11, pdf.safe(b.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    pdf.ln(3)
    pdf.use_font(16)
    pdf.multi_cell(0, 8, pdf.safe(b.period), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
    if b.filters:
        pdf.ln(2)
        pdf.para(b.filters, 11, colour=MUTED)
    pdf.ln(8)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + 40, pdf.get_y())
    pdf.ln(6)
    pdf.para("   ·   ".join(b.facts), 12)
    pdf.set_y(pdf.h - MARGIN - 20)
    pdf.para(b.made, 10, colour=MUTED)


def _table(pdf: _Document, table: Table) -> None:
    if table.title:
        pdf.small_heading(table.title)
    else:
        pdf.room(16)
    if not table.rows:
        return
    pdf.use_font(9)
    with pdf.table(
        col_widths=tuple(c.width for c in table.columns),
        text_align=tuple("RIGHT" if c.align == "right" else "LEFT" for c in table.columns),
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=FontFace(emphasis="BOLD", color=TEXT, fill_color=HEAD_FILL),
        line_height=4.4,
        padding=(1.2, 1.5, 1.2, 1.5),
        width=pdf.epw,
        align="LEFT",
        v_align="TOP",
        wrapmode=WrapMode.WORD,
        repeat_headings=1,
    ) as out:
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        out.row([pdf.safe(c.title) for c in table.columns])
        for row in table.rows:
            out.row([pdf.safe(cell) for cell in row])
    pdf.ln(3)


def _bullets(pdf: _Document, bullets: Bullets) -> None:
    if bullets.title:
        pdf.small_heading(bullets.title)
    for item in bullets.items:
        pdf.room(6)
        y = pdf.get_y()
        pdf.use_font(BODY_SIZE, colour=ACCENT)
        pdf.set_xy(MARGIN + 1, y)
        pdf.cell(4, BODY_SIZE * 0.5, "•" if pdf.unicode else "-")
        with pdf.indented(5):
            pdf.set_y(y)
            pdf.para(item)
        pdf.ln(0.8)
    pdf.ln(2)


def _image_height(pdf: _Document, image: Image) -> float:
    """Millimetres the image and its caption take."""
    width = pdf.epw * image.scale
    return width * image.height / image.width + (10 if image.caption else 0) + 2


def _image(pdf: _Document, image: Image) -> None:
    width = pdf.epw * image.scale
    height = width * image.height / image.width
    pdf.room(_image_height(pdf, image))  # a chart is never split across pages
    pdf.image(io.BytesIO(image.png), x=MARGIN, w=width, h=height, alt_text=pdf.safe(image.alt))
    pdf.set_y(pdf.get_y() + 1)
    if image.caption:
        pdf.para(image.caption, NOTE_SIZE, colour=MUTED)
    pdf.ln(3)


def _block(pdf: _Document, block: Block) -> None:
    if isinstance(block, Paragraph):
        if block.style == "note":
            pdf.para(block.text, NOTE_SIZE, colour=MUTED)
        elif block.style == "lead":
            pdf.para(block.text, 12)
        else:
            pdf.para(block.text)
        pdf.ln(2)
    elif isinstance(block, Subheading):
        pdf.small_heading(block.text)
    elif isinstance(block, Bullets):
        _bullets(pdf, block)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, Image):
        _image(pdf, block)


def briefing_pdf(briefing: Briefing) -> bytes:
    """The briefing as A4 PDF bytes: a cover, then one numbered section after another."""
    pdf = _Document(briefing)
    _cover(pdf, briefing)
    for number, section in enumerate(briefing.sections, start=1):
        title = f"{number}. {section.title}"
        if number == 1 or section.key in ("map", "breakdown", "about"):
            pdf.add_page()  # the figures, the map, the charts and the note start a page
        else:
            pdf.room(40)  # a heading never ends a page
            pdf.ln(4)
        pdf.start_section(pdf.safe(title))
        pdf.use_font(15, bold=True, colour=ACCENT)
        pdf.multi_cell(0, 7.5, pdf.safe(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L)
        pdf.ln(2.5)
        blocks = section.blocks
        for i, block in enumerate(blocks):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(block, Subheading) and isinstance(following, Image):
                pdf.room(12 + _image_height(pdf, following))  # a heading stays with its chart
            _block(pdf, block)
    return bytes(pdf.output())
