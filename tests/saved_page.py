"""Agenda text -> the HTML page a browser would show it from, as the City's site saves it.

Paragraphs (text between blank lines) become ``<p>`` with ``<br>`` between their lines; an
entry's date and title become ``<strong>`` glued to its description (which is how copying
such a page gives the glued listing); a word of each description becomes a link; the
page has a head, a style, a script holding entry-like text and a hidden menu, none of
which is visible text. Leading spaces are no-break spaces, as pages indent them.
"""

from __future__ import annotations

import html

from intl_metrics.parse import parse_text

HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>October 1st 2021 Not an entryThe title of the page</title>
<style>p { margin: 0 0 1em; } .x::before { content: "May 5th 2020 Fake"; }</style>
<script>var banner = "October 2nd 2021 Scripted entryThe City of Torino met nobody.";</script>
</head>
<body>
<div hidden>September 9th 2021 Hidden menuThe City of Torino hid this.</div>
<div style="display: none">September 8th 2021 Hidden tooThe City hid this too.</div>
<!-- October 3rd 2021 A commentThe City commented. -->
"""
TAIL = """<noscript>August 1st 2021 No script entryThe City.</noscript>
</body>
</html>
"""


def _line_html(line: str, title_end: int | None) -> str:
    stripped = line.lstrip(" ")
    indent = "&nbsp;" * (len(line) - len(stripped))
    line = stripped
    if title_end is not None:
        title_end -= len(indent) // 6
    if title_end is None or title_end <= 0 or title_end >= len(line):
        return indent + html.escape(line, quote=False)
    head, rest = line[:title_end], line[title_end:]
    words = rest.split(" ")
    if len(words) > 3:  # one word of the description as a link, as pages have them
        words[2] = f'<a href="https://example.org/x?a=1&amp;b=2">{html.escape(words[2])}</a>'
        body = " ".join(w if w.startswith("<a ") else html.escape(w, quote=False) for w in words)
    else:
        body = html.escape(rest, quote=False)
    return f"{indent}<strong>{html.escape(head, quote=False)}</strong>{body}"


def page_html(text: str, name: str = "page.txt") -> str:
    """The saved HTML page whose visible text is ``text``'s agenda."""
    lines = text.replace("\r\n", "\n").split("\n")
    title_ends: dict[int, int] = {}
    for e in parse_text(text, name).entries:
        line = lines[e.source.line - 1]
        at = line.find(e.title)
        if at >= 0:
            title_ends[e.source.line - 1] = at + len(e.title)
    out = [HEAD]
    para: list[str] = []
    for i, line in enumerate(lines):
        if not line.strip():
            if para:
                out.append("<p>" + "<br>\n".join(para) + "</p>\n")
                para = []
            continue
        para.append(_line_html(line, title_ends.get(i)))
    if para:
        out.append("<p>" + "<br>\n".join(para) + "</p>\n")
    out.append(TAIL)
    return "".join(out)
