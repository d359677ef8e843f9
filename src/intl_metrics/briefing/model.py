"""The briefing as plain data: sections of paragraphs, lists, tables and images.

Built by content.py in one language; laid out the same way by pdf.py and docx.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "Block",
    "Briefing",
    "Bullets",
    "Column",
    "Image",
    "Paragraph",
    "Section",
    "Subheading",
    "Table",
]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``style`` 'lead' (larger), 'body' or 'note' (smaller, grey)."""

    text: str
    style: Literal["lead", "body", "note"] = "body"


@dataclass(frozen=True)
class Subheading:
    """A small heading inside a section."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list; ``title`` (may be '') is a small heading over it."""

    items: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True)
class Column:
    """A table column: heading, share of the table's width, alignment."""

    title: str
    width: float
    align: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class Table:
    """A table of text cells; ``title`` (may be '') is a small heading over it."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = ""


@dataclass(frozen=True)
class Image:
    """A chart as PNG bytes, its pixel size (for the aspect ratio) and a caption."""

    png: bytes
    width: int
    height: int
    alt: str
    caption: str = ""
    # share of the text column's width it is printed at
    scale: float = 1.0


Block = Paragraph | Subheading | Bullets | Table | Image


@dataclass(frozen=True)
class Section:
    """A numbered part of the briefing."""

    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Briefing:
    """Everything the writers lay out, already in the briefing's language."""

    lang: str
    title: str
    organisation: str
    period: str
    filters: str  # the active filters in words, '' when none
    made: str  # 'Made on 7 December 2026'
    facts: tuple[str, ...]  # a few headline facts for the cover
    sections: tuple[Section, ...]
    running_head: str  # over every page after the cover
    page_label: str  # 'Page {page} of {pages}'
    made_on: date = field(default_factory=date.today)
    events: int = 0  # events in the period and filters
