"""The cabinet's briefing: the period and filters of the dashboard as an A4 PDF or a DOCX.

``make_briefing(ds, filters, "pdf", lang="it")`` gives the bytes of the file; the
content (content.py) is built once from the same query and chart builders as the
dashboard's pages, and laid out by pdf.py (fpdf2, print-ready A4) or docx.py
(python-docx, editable). Importing this package is light (the command line's parser
reads its constants); pandas, plotly and the writers load when a briefing is made.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from intl_metrics.i18n import N_

if TYPE_CHECKING:
    from intl_metrics.briefing.content import build_briefing, file_stem
    from intl_metrics.briefing.model import Briefing
    from intl_metrics.load import Dataset
    from intl_metrics.query import Filters

__all__ = [
    "FORMATS",
    "LIST_LIMIT",
    "MIME_TYPES",
    "REPORT_SECTIONS",
    "Briefing",
    "build_briefing",
    "file_stem",
    "make_briefing",
    "render",
]

FORMATS: tuple[str, ...] = ("pdf", "docx")
MIME_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Events listed per section at most; past it a section lists the most recent and
# summarises the rest (how many, their partners and themes), so 5,000 events still
# make a report of a few dozen pages rather than a few hundred.
LIST_LIMIT = 60

# The sections of the City's annual report of international activity, in its order:
# (key, title, the activities it gathers).
REPORT_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("agreements", N_("Agreements signed"), ("agreement",)),
    ("missions", N_("Missions abroad"), ("mission",)),
    ("delegations", N_("Foreign delegations"), ("delegation",)),
    ("diplomatic", N_("Diplomatic meetings"), ("diplomatic",)),
    ("networks", N_("Networks and projects"), ("network", "project")),
    ("events", N_("Events"), ("event",)),
)


def __getattr__(name: str) -> Any:
    if name in ("build_briefing", "file_stem"):
        from intl_metrics.briefing import content

        return getattr(content, name)
    if name == "Briefing":
        from intl_metrics.briefing.model import Briefing

        return Briefing
    raise AttributeError(name)


def _format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"unknown briefing format {fmt!r}; expected pdf or docx")
    return fmt


def render(briefing: Briefing, fmt: str) -> bytes:
    """A built briefing as PDF or DOCX bytes."""
    if _format(fmt) == "pdf":
        from intl_metrics.briefing.pdf import briefing_pdf

        return briefing_pdf(briefing)
    from intl_metrics.briefing.docx import briefing_docx

    return briefing_docx(briefing)


def make_briefing(
    ds: Dataset,
    filters: Filters,
    fmt: str = "pdf",
    *,
    lang: str = "en",
    today: date | None = None,
    corrected_labels: int = 0,
    list_limit: int = LIST_LIMIT,
    images: bool = True,
    link: str = "",
) -> bytes:
    """The briefing of the events ``filters`` keep, as PDF or DOCX bytes, in ``lang``.

    ``corrected_labels`` is how many labels staff corrected (0 until the store's
    corrections are passed in; the closing note says the number).
    """
    from intl_metrics.briefing.content import build_briefing

    fmt = _format(fmt)
    briefing = build_briefing(
        ds,
        filters,
        lang=lang,
        today=today,
        corrected_labels=corrected_labels,
        list_limit=list_limit,
        images=images,
        link=link,
    )
    return render(briefing, fmt)
