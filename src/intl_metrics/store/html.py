"""A page saved from the City's site as HTML -> the text a browser would copy from it.

A saved page holds the agenda as markup: the same words that a person copies from the
browser, plus menus, scripts and styles. The parser reads agenda *text*, so a saved page
is first turned into its visible text the way a browser lays it out (its ``innerText``):
block elements start new lines, a paragraph is set off by a blank line, ``<br>`` breaks
a line, inline elements run on with no space of their own (``<strong>Title</strong>The
City ...`` gives the glued listing the parser knows), runs of white space collapse, and
scripts, styles, hidden elements and the document head are not text at all. The page is
parsed by a real HTML parser (BeautifulSoup on Python's ``html.parser``), never by regexes.

Each text line remembers the page line it came from, so a warning or an event's source
says ``page.html:LINE`` where LINE is a line of the file a person can open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import Tag

__all__ = ["PageText", "looks_like_html", "visible_text"]

# Not rendered as text.
_SKIP = frozenset(
    {
        "head", "title", "script", "style", "template", "noscript", "meta", "link", "base",
        "iframe", "object", "embed", "svg", "math", "canvas", "audio", "video", "select",
        "input", "button", "textarea", "img", "map",
    }
)  # fmt: skip
# Block boxes start and end a line; a paragraph is set off by a blank line (two breaks).
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
        "html", "legend", "li", "listing", "main", "menu", "nav", "ol", "pre", "section",
        "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "plaintext", "xmp",
    }
)  # fmt: skip
_BREAKS = {name: 1 for name in _BLOCKS} | {"p": 2}
_CELLS = frozenset({"td", "th"})
_PRE = frozenset({"pre", "listing", "plaintext", "xmp", "textarea"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space: not the no-break space
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S
)


def looks_like_html(text: str) -> bool:
    """Whether a text is an HTML document (a saved page), whatever its file name says."""
    return _HTML_START.match(text[:4096].lstrip("\ufeff")) is not None


@dataclass(frozen=True)
class PageText:
    """A page's visible text and, for each of its lines, the page line it came from."""

    text: str
    page_lines: tuple[int, ...]

    def page_line(self, text_line: int) -> int:
        """The page line of a 1-based text line (the last one past the end)."""
        if not self.page_lines:
            return 1
        return self.page_lines[min(max(text_line, 1), len(self.page_lines)) - 1]


class _Layout:
    """Lines of text as a browser lays them out, with their page line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.line_of: list[int] = []
        self.parts: list[str] = []
        self.part_line = 0  # page line of the current line's first text
        self.pending = 0  # line breaks asked for since the last text
        self.last_line = 1

    def _end_line(self) -> None:
        self.lines.append("".join(self.parts).rstrip(" "))
        self.line_of.append(self.part_line or self.last_line)
        self.parts = []
        self.part_line = 0

    def _flush_breaks(self) -> None:
        if self.pending and (self.lines or self.parts):
            self._end_line()
            for _ in range(self.pending - 1):
                self.lines.append("")
                self.line_of.append(self.last_line)
        self.pending = 0

    def text(self, raw: str, page_line: int, pre: bool) -> None:
        if pre:
            pieces = raw.split("\n")
            for i, piece in enumerate(pieces):
                if i:
                    self._end_line()
                    page_line += 1
                if piece:
                    self._put(piece, page_line)
            return
        if not raw.strip(" \t\n\r\f"):
            # white space between inline elements is one space; around blocks, nothing
            if self.parts and not self.pending and not self.parts[-1].endswith(" "):
                self.parts.append(" ")
            return
        lead = len(raw) - len(raw.lstrip(" \t\n\r\f"))
        page_line += raw.count("\n", 0, lead)
        text = _HTML_SPACE.sub(" ", raw)
        self._flush_breaks()
        if not self.parts or self.parts[-1].endswith(" "):
            text = text.lstrip(" ")
        self._put(text, page_line)

    def _put(self, text: str, page_line: int) -> None:
        self._flush_breaks()
        if not self.parts or not "".join(self.parts).strip():
            self.part_line = page_line
        self.parts.append(text)
        self.last_line = page_line

    def brk(self, n: int) -> None:
        self.pending = max(self.pending, n)

    def newline(self, page_line: int) -> None:
        self._flush_breaks()
        if not self.part_line:
            self.part_line = page_line
        self._end_line()

    def done(self) -> PageText:
        if self.parts:
            self._end_line()
        while self.lines and not self.lines[-1].strip():
            self.lines.pop()
            self.line_of.pop()
        return PageText("\n".join(self.lines), tuple(self.line_of))


def _hidden(tag: Tag) -> bool:
    if tag.name in _SKIP or tag.has_attr("hidden"):
        return True
    if tag.get("type") == "hidden":
        return True
    style = tag.get("style")
    return isinstance(style, str) and _HIDDEN_STYLE.search(style) is not None


def visible_text(markup: str) -> PageText:
    """The visible text of an HTML page, laid out as a browser copies it; never raises."""
    from bs4 import BeautifulSoup, NavigableString, Tag  # only when a page is read

    soup = BeautifulSoup(markup, "html.parser")
    out = _Layout()
    line = 1
    pre = 0
    # Iterative walk (a hostile page may nest deeper than Python's recursion limit):
    # (node, closing) pairs, a closing marker ends a block or a preformatted element.
    stack: list[tuple[object, bool]] = [(soup, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            assert isinstance(node, Tag)
            if node.name in _PRE:
                pre -= 1
            if node.name in _CELLS:
                out.text(" ", line, False)
            out.brk(_BREAKS.get(node.name, 0))
            continue
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:  # not a comment, doctype or script text
                out.text(str(node), line, pre > 0)
            continue
        if not isinstance(node, Tag):
            continue
        if node.sourceline:
            line = node.sourceline
        if node is not soup and _hidden(node):
            continue
        if node.name == "br":
            out.newline(line)
            continue
        out.brk(_BREAKS.get(node.name, 0))
        if node.name in _PRE:
            pre += 1
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    return out.done()
