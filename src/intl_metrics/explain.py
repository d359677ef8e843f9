"""Why an event got its labels: each label beside its rule and the words it read.

``intl-metrics explain FILE:LINE`` prints one entry with its title and description,
the words each rule read marked in them, and a table of labels, rules and spans;
the place names that were read and set aside (a consulate's seat, a comparison city,
a person's name) are listed with the rule that set them aside. The dashboard's event
detail shows the same rows (``evidence_rows``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from intl_metrics.schema import Event, Evidence

__all__ = ["evidence_rows", "explain_event", "mark_spans", "printable"]

_FIELD_NAMES = {
    "format": "format",
    "activity": "activity",
    "theme": "theme",
    "partner": "partner",
    "country": "country",
    "drop": "not a place",
    "seat": "a seat",
}

# On a terminal the words read are shown bold and underlined, their number dimmed.
_ON, _OFF, _DIM = "\x1b[1;4m", "\x1b[0m", "\x1b[2m"


def printable(text: str) -> str:
    """The text with control characters (a terminal's escape sequences among them) made
    visible as \\x.. escapes, so text from a file can never drive the terminal."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or ch in "\n\t" else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def _width(text: str) -> int:
    """Columns a text takes (wide CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def evidence_rows(evidence: Sequence[Evidence]) -> list[dict[str, str]]:
    """One row per piece of evidence, as plain strings: what was given, by which rule,
    from which words (``where`` says title or description)."""
    rows = []
    for n, ev in enumerate(evidence, 1):
        rows.append(
            {
                "n": str(n),
                "field": _FIELD_NAMES.get(ev.field, ev.field),
                "label": ev.label,
                "rule": ev.rule,
                "where": ev.where,
                "words": ev.text,
            }
        )
    return rows


def mark_spans(text: str, spans: Sequence[tuple[int, int, int]], *, color: bool = False) -> str:
    """The text with each span (start, end, number) marked: ``[words]n`` (on a
    terminal, the words bold and underlined instead of the brackets)."""
    # (position, closing before opening, order among them, is an opening)
    marks: list[tuple[int, int, int, int]] = []
    for start, end, number in spans:
        if 0 <= start < end <= len(text):
            # At one position the closing marks come first, the inner span's first; then
            # the opening ones, the longer span's first: nested spans nest.
            marks.append((end, 0, -start, number))
            marks.append((start, 1, -end, -1))
    marks.sort()
    out: list[str] = []
    last = depth = 0
    for pos, _, _, number in marks:
        out.append(printable(text[last:pos]))
        last = pos
        if number < 0:
            depth += 1
            out.append(_ON if color else "[")
        else:
            depth -= 1
            out.append(
                f"{_OFF}{_DIM}{number}{_OFF}" + (_ON if depth else "") if color else f"]{number}"
            )
    out.append(printable(text[last:]))
    return "".join(out)


def explain_event(event: Event, aside: Sequence[Evidence] = (), *, color: bool = False) -> str:
    """An event as text: where it was read, its title and description with the words of
    each rule marked, and the table of labels, rules and words."""
    rows = evidence_rows([*event.evidence, *aside])
    spans: dict[str, list[tuple[int, int, int]]] = {"title": [], "description": []}
    for n, ev in enumerate([*event.evidence, *aside], 1):
        if ev.where in spans and ev.start is not None and ev.end is not None:
            spans[ev.where].append((ev.start, ev.end, n))
    dates = event.start_date.isoformat()
    if event.end_date != event.start_date:
        dates += f" - {event.end_date.isoformat()}"
    lines = [
        f"{printable(str(event.source))}  {dates}  {event.language}  id {event.id}",
        f"title:       {mark_spans(event.title, spans['title'], color=color)}",
        f"description: {mark_spans(event.description, spans['description'], color=color)}",
        "",
    ]
    head = {"n": "#", "field": "field", "label": "label", "rule": "rule", "words": "words read"}
    widths = {
        k: max(_width(printable(r[k])) for r in [head, *rows])
        for k in ("n", "field", "label", "rule")
    }
    for r in [head, *rows]:
        words = r["words"]
        if r is not head:
            words = f'"{printable(words)}" ({r["where"]})' if words else "-"
        cells = [_pad(printable(r[k]), widths[k]) for k in ("n", "field", "label", "rule")]
        lines.append("  ".join([*cells, words]).rstrip())
    lines.append("")
    reasons = []
    if any(e.is_default for e in event.evidence):
        defaults = sorted({e.field for e in event.evidence if e.is_default})
        reasons.append("a default label (" + ", ".join(defaults) + ")")
    review = "yes" if event.needs_review else "no"
    if event.needs_review and not reasons:
        reasons.append("rules disagreed or a place name was a close call")
    lines.append(f"needs review: {review}" + (f": {'; '.join(reasons)}" if reasons else ""))
    return "\n".join(lines)
