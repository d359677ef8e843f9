"""The cabinet's briefing: what it says (in Italian and English), the PDF's pages and the DOCX."""

from __future__ import annotations

import io
import random
import re
import shutil
from datetime import date, timedelta

import docx
import pytest
from fpdf import FPDF
from pdf_pages import ink_near_edges, needs_poppler, page_images
from pypdf import PdfReader
from seed_dataset import SEED, seed_dataset, seed_events

from intl_metrics import export
from intl_metrics.briefing import (
    LIST_LIMIT,
    REPORT_SECTIONS,
    build_briefing,
    make_briefing,
    render,
)
from intl_metrics.briefing.model import Bullets, Image, Paragraph, Table
from intl_metrics.i18n import translator
from intl_metrics.load import Dataset, events_frame
from intl_metrics.query import Filters
from intl_metrics.schema import ACTIVITIES, THEMES, Event, Place, Source, event_id

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="chart images need Debian's chromium (apt-get install chromium) for Kaleido",
)
SEPT_OCT = Filters(start=date(2021, 9, 1), end=date(2021, 10, 31))
OCTOBER = Filters(start=date(2021, 10, 1), end=date(2021, 10, 31))
TODAY = date(2026, 12, 7)
SEED_TITLES = [row[2] for row in SEED]

IT_SECTIONS = [
    "Dati principali",
    "Fatti salienti",
    "Accordi firmati",
    "Missioni all'estero",
    "Delegazioni estere",
    "Incontri diplomatici",
    "Reti e progetti",
    "Eventi",
    "Mappa dei partner",
    "Temi e formati",
    "Nota sul rapporto",
]
EN_SECTIONS = [
    "Headline figures",
    "Highlights",
    "Agreements signed",
    "Missions abroad",
    "Foreign delegations",
    "Diplomatic meetings",
    "Networks and projects",
    "Events",
    "Partner map",
    "Themes and formats",
    "About this briefing",
]


def flat(text: str) -> str:
    """Text with every run of white space as one space (lines wrap anywhere in a PDF)."""
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    return flat(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def rows(table: Table) -> dict[str, tuple[str, ...]]:
    return {row[0]: row[1:] for row in table.rows}


def blocks(briefing, key: str) -> tuple:
    return next(s for s in briefing.sections if s.key == key).blocks


# Titles and names a page must wrap, not run off: one unbreakable word of 140 letters,
# a long title, forty partners, and names in other scripts.
HOSTILE_TITLES = (
    "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3 + " workshop",
    "A very long title " * 14,
    "Visita della delegazione di Москва e Αθήνα a Torino",
)


def hostile_events() -> list[Event]:
    places = tuple(
        Place(f"Partnerstadt Nummer {i}", "city", "DE", 50.0 + i / 10, 8.0) for i in range(40)
    )
    out = []
    for i, title in enumerate(HOSTILE_TITLES):
        start = date(2021, 10, 20 + i)
        out.append(
            Event(
                id=event_id(start, title),
                start_date=start,
                end_date=start,
                title=title,
                description=title,
                language="en",
                format="in-person",
                activity=("delegation", "mission", "event")[i],
                themes=("culture",),
                partners=places if i == 1 else (Place("Gdańsk", "city", "PL", 54.35, 18.65),),
                countries=("DE",) if i == 1 else ("PL",),
                source=Source("hostile.txt", i + 1),
            )
        )
    return out


def dataset_of(events: list[Event]) -> Dataset:
    return Dataset(*events_frame(events), files=(), load_seconds=0.0)


def many_events(n: int, seed: int = 5) -> list[Event]:
    """``n`` events spread over 2020-2021, every activity, theme and format, 60 places."""
    rng = random.Random(seed)
    places = [
        Place(f"City {i}", "city", rng.choice(["FR", "DE", "ES", "US", "CN", "BR"]), 40.0, 5.0)
        for i in range(60)
    ]
    out = []
    for i in range(n):
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(730))
        title = f"Meeting {i} on {rng.choice(THEMES)}"
        partners = tuple(rng.sample(places, rng.randrange(0, 3)))
        out.append(
            Event(
                id=event_id(start, title),
                start_date=start,
                end_date=start + timedelta(days=rng.choice((0, 0, 1, 2))),
                title=title,
                description="",
                language="en",
                format=rng.choice(("in-person", "in-person", "virtual", "hybrid")),
                activity=rng.choice(ACTIVITIES),
                themes=(rng.choice(THEMES),),
                partners=partners,
                countries=tuple(sorted({p.country for p in partners})),
                source=Source("many.txt", i + 1),
            )
        )
    return out


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return seed_dataset()


@pytest.fixture(scope="module")
def briefings(ds, export_server):
    """The September-October 2021 briefing in both languages, charts drawn."""
    return {lang: build_briefing(ds, SEPT_OCT, lang=lang, today=TODAY) for lang in ("it", "en")}


# ---------------------------------------------------------------- what it says


def test_sections_follow_the_annual_report_in_the_chosen_language(ds):
    for lang, expected in (("it", IT_SECTIONS), ("en", EN_SECTIONS)):
        b = build_briefing(ds, SEPT_OCT, lang=lang, today=TODAY, images=False)
        assert [s.title for s in b.sections] == expected
    keys = [s.key for s in b.sections]
    assert keys[2:8] == [key for key, _, _ in REPORT_SECTIONS]


def test_the_cover_says_what_when_and_the_date_made_in_the_language(ds):
    b = build_briefing(ds, SEPT_OCT, lang="it", today=TODAY, images=False)
    assert b.title == "Rapporto sull'attività internazionale"
    assert b.period == "1 set – 31 ott 2021"
    assert b.made == "Prodotto il 7 dicembre 2026"
    assert b.facts[0] == "11 eventi"
    en = build_briefing(ds, SEPT_OCT, lang="en", today=TODAY, images=False)
    assert (en.period, en.made, en.facts[0]) == (
        "1 Sept – 31 Oct 2021",
        "Made on 7 December 2026",
        "11 events",
    )


def test_headline_figures_compare_with_the_previous_period_in_numbers_and_percent(ds):
    # October against September: six events each, Geelong/Tampere/Bethlehem against
    # the twelve cities of September's project seminars
    b = build_briefing(ds, OCTOBER, lang="en", today=TODAY, images=False)
    table = next(x for x in blocks(b, "headline") if isinstance(x, Table))
    assert [c.title for c in table.columns] == [
        "Figure",
        "This period",
        "Previous period",
        "Change",
        "Change %",
    ]
    figures = rows(table)
    assert figures["Events"] == ("6", "6", "±0", "±0%")
    assert figures["Partner cities"] == ("3", "12", "-9", "-75%")
    assert figures["Virtual or hybrid"][0] == "67%"
    assert figures["Leading theme"][:2] == ("Energy", "Urban development")
    note = next(x for x in blocks(b, "headline") if isinstance(x, Paragraph)).text
    assert note.startswith("1–31 Oct 2021 against 1–30 Sept 2021")


def test_all_dates_has_no_previous_period_and_says_so(ds):
    b = build_briefing(ds, Filters(), lang="it", today=TODAY, images=False)
    table = next(x for x in blocks(b, "headline") if isinstance(x, Table))
    assert [c.title for c in table.columns] == ["Dato", "Valore"]
    assert rows(table)["Eventi"] == ("11",)
    assert "non c'è un periodo precedente" in blocks(b, "headline")[0].text


def test_highlights_name_new_partners_busy_countries_and_delegations(ds):
    b = build_briefing(ds, OCTOBER, lang="en", today=TODAY, images=False)
    lists = {x.title: x.items for x in blocks(b, "highlights") if isinstance(x, Bullets)}
    new = next(items for title, items in lists.items() if title.startswith("New partners"))
    # Geelong and Tampere were partners in September already; Bethlehem and Wallonia are new
    assert any("Bethlehem (Palestinian Territories)" in item for item in new)
    assert any(item.startswith("Wallonia") for item in new)
    assert not any("Geelong" in item or "Tampere" in item for item in new)
    assert "2 of 4 partner places" in next(t for t in lists if t.startswith("New partners"))
    assert len(lists["Most active countries"]) == 4
    delegations = next(items for title, items in lists.items() if "delegations" in title)
    assert delegations == ("6 Oct 2021 · Delegation from Wallonia · Wallonia",)


def test_each_activity_section_lists_its_events_with_date_title_partners(ds):
    b = build_briefing(ds, SEPT_OCT, lang="it", today=TODAY, images=False)
    listed = {}
    for key, _, _ in REPORT_SECTIONS:
        tables = [x for x in blocks(b, key) if isinstance(x, Table)]
        listed[key] = [row for t in tables for row in t.rows]
    assert [r[1] for r in listed["agreements"]] == ["Cooperation Pact between Torino and Wenzhou"]
    assert listed["agreements"][0] == ("9 set 2021", SEED_TITLES[-1], "Wenzhou")
    # a diplomatic meeting with no partner place shows its country, in Italian
    assert ("22 set 2021", "Consul General of the Republic of Korea", "Corea del Sud") in listed[
        "diplomatic"
    ]
    # every event of the period is listed once, in date order within its section
    titles = [r[1] for rows_ in listed.values() for r in rows_]
    assert sorted(titles) == sorted(ds.events["title"].tolist())
    assert [r[0] for r in listed["networks"]][:2] == ["16–17 set 2021", "16–17 set 2021"]
    assert blocks(b, "missions")[0].text == "Nessun evento in questo periodo."


def test_an_activity_filter_leaves_out_the_other_activity_sections(ds):
    f = Filters(start=date(2021, 9, 1), end=date(2021, 10, 31), activities=("agreement",))
    b = build_briefing(ds, f, lang="en", today=TODAY, images=False)
    assert [s.key for s in b.sections] == [
        "headline",
        "highlights",
        "agreements",
        "map",
        "breakdown",
        "about",
    ]
    assert b.filters == "Activities: Agreement"


def test_theme_and_format_tables_use_the_translated_names(ds):
    b = build_briefing(ds, SEPT_OCT, lang="it", today=TODAY, images=False)
    tables = [x for x in blocks(b, "breakdown") if isinstance(x, Table)]
    themes, formats = (rows(t) for t in tables)
    assert themes["Migrazioni"] == ("2", "18%")  # CONNECTION, the Wenzhou pact
    assert set(formats) == {"In presenza", "Online", "Ibrido"}


def test_the_closing_note_names_sources_rules_corrections_and_credits(ds):
    b = build_briefing(ds, SEPT_OCT, lang="en", today=TODAY, images=False, link="?q=x")
    text = flat(
        " ".join(
            " ".join((x.title, *x.items)) if isinstance(x, Bullets) else getattr(x, "text", "")
            for x in blocks(b, "about")
        )
    )
    assert "GeoNames" in text and "CC BY 4.0" in text and "Natural Earth" in text
    assert "Labels corrected by staff: 0." in text
    assert "How the events are labelled" in text and "institutional" in text
    assert "The same view in the dashboard: ?q=x" in text
    corrected = build_briefing(ds, SEPT_OCT, lang="it", today=TODAY, images=False,
                               corrected_labels=1234)  # fmt: skip
    paragraphs = [x.text for x in blocks(corrected, "about") if isinstance(x, Paragraph)]
    assert "Il personale ha corretto a mano 1.234 etichette" in " ".join(paragraphs)


def test_a_period_without_events_still_makes_both_files(ds):
    empty = Filters(start=date(2019, 1, 1), end=date(2019, 12, 31))
    b = build_briefing(ds, empty, lang="it", today=TODAY)
    assert b.facts[0] == "0 eventi"
    assert not any(isinstance(x, Image) for s in b.sections for x in s.blocks)
    assert "Nessun evento in questo periodo." in pdf_text(render(b, "pdf"))
    docx.Document(io.BytesIO(render(b, "docx")))


def test_without_chromium_the_briefing_says_so_and_keeps_its_tables(ds, monkeypatch):
    def no_browser(*args, **kwargs):
        raise RuntimeError("ChromeNotFoundError: no chromium here")

    monkeypatch.setattr(export, "figure_bytes", no_browser)
    b = build_briefing(ds, SEPT_OCT, lang="en", today=TODAY)
    breakdown = blocks(b, "breakdown")
    assert "chart images could not be drawn" in breakdown[0].text
    assert not any(isinstance(x, Image) for s in b.sections for x in s.blocks)
    assert sum(isinstance(x, Table) for x in breakdown) == 2


# ---------------------------------------------------------------- the PDF


@needs_chromium
def test_the_pdf_holds_the_sections_and_the_events_of_the_period(briefings):
    for lang, sections in (("it", IT_SECTIONS), ("en", EN_SECTIONS)):
        pdf = render(briefings[lang], "pdf")
        assert pdf.startswith(b"%PDF-")
        text = pdf_text(pdf)
        at = [text.find(f"{i}. {title}") for i, title in enumerate(sections, start=1)]
        assert all(i >= 0 for i in at) and at == sorted(at), list(zip(sections, at, strict=True))
        for title in SEED_TITLES:
            assert flat(title) in text, title
        other = EN_SECTIONS if lang == "it" else IT_SECTIONS
        assert not any(f". {t}" in text for t in other[:7])  # no heading in the other language
    reader = PdfReader(io.BytesIO(render(briefings["it"], "pdf")))
    assert len(reader.pages) >= 5
    assert all(abs(float(p.mediabox.width) - 595.28) < 1 for p in reader.pages)  # A4, portrait
    assert [o.title for o in reader.outline][:2] == ["1. Dati principali", "2. Fatti salienti"]
    assert reader.metadata.title.startswith("Rapporto sull'attività internazionale")


@needs_chromium
def test_the_pdf_carries_the_map_and_the_charts_as_images(briefings):
    images = [x for s in briefings["it"].sections for x in s.blocks if isinstance(x, Image)]
    assert len(images) == 3  # the partner map, themes, formats
    reader = PdfReader(io.BytesIO(render(briefings["it"], "pdf")))
    assert sum(len(page.images) for page in reader.pages) == 3


@needs_poppler
def test_the_margin_check_sees_text_that_runs_off_the_page():
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(200, 100, "runs off the right edge")
    page = page_images(bytes(pdf.output()))[0]
    assert ink_near_edges(page, 50, band_mm=8) == ["right"]


@needs_poppler
@needs_chromium
def test_no_text_runs_off_any_page_even_with_unbreakable_words_and_long_lists(export_server):
    ds = dataset_of(seed_events() + hostile_events())
    for lang, images in (("it", True), ("en", False)):  # with and without the charts
        pdf = make_briefing(ds, SEPT_OCT, "pdf", lang=lang, today=TODAY, images=images)
        text = pdf_text(pdf)
        assert "Москва" in text and "Αθήνα" in text and "Gdańsk" in text
        assert "Pneumonoultramicroscopic" in text
        for number, page in enumerate(page_images(pdf, dpi=50), start=1):
            # the header sits 9 mm from the top, the page number 12 mm from the bottom,
            # text 18 mm from the sides: nothing may come within 8 mm of an edge
            assert ink_near_edges(page, 50, band_mm=8) == [], f"{lang} page {number}"


# ---------------------------------------------------------------- the DOCX


@needs_chromium
def test_the_docx_opens_and_holds_the_same_sections_and_events(briefings):
    for lang, sections in (("it", IT_SECTIONS), ("en", EN_SECTIONS)):
        document = docx.Document(io.BytesIO(render(briefings[lang], "docx")))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert headings == [f"{i}. {t}" for i, t in enumerate(sections, start=1)]
        cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
        assert set(SEED_TITLES) <= cells
        assert len(document.inline_shapes) == 3
        section = document.sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    it = docx.Document(io.BytesIO(render(briefings["it"], "docx")))
    assert it.core_properties.language == "it"
    assert "Rapporto sull'attività internazionale" in [p.text for p in it.paragraphs]


# ---------------------------------------------------------------- scale


def test_five_thousand_events_make_a_readable_report_with_summarised_sections():
    ds = dataset_of(many_events(5000))
    f = Filters(start=date(2020, 1, 1), end=date(2021, 12, 31))
    b = build_briefing(ds, f, lang="it", today=TODAY, images=False)
    t = translator("it")
    for key, _, _ in REPORT_SECTIONS:
        part = blocks(b, key)
        note = part[0].text
        count = int(re.match(r"([\d.]+) eventi", note).group(1).replace(".", ""))
        assert count > LIST_LIMIT
        assert note.startswith(f"{t.number(count)} eventi: troppi per elencarli tutti.")
        assert any(isinstance(x, Bullets) and x.title.startswith("Partner") for x in part)
        listed = next(x for x in part if isinstance(x, Table)).rows
        assert len(listed) == LIST_LIMIT
        # the most recent are listed: ~700 events a section over two years, so the last
        # sixty start in the autumn of 2021
        assert all(re.search(r"(set|ott|nov|dic) 2021", r[0]) for r in listed), listed[0]
    pdf = render(b, "pdf")
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages <= 40, pages
    assert "5.000 eventi" in pdf_text(pdf)
    document = docx.Document(io.BytesIO(render(b, "docx")))
    assert sum(len(t.rows) - 1 for t in document.tables) < 600


def test_without_dejavu_the_pdf_falls_back_to_a_core_font(monkeypatch):
    from intl_metrics.briefing import pdf as writer

    monkeypatch.setattr(writer, "find_fonts", lambda: None)
    b = build_briefing(
        dataset_of(seed_events() + hostile_events()), SEPT_OCT, lang="it", images=False
    )
    text = pdf_text(render(b, "pdf"))
    # Latin-1 letters print as they are, others lose their accents rather than the PDF failing
    assert "Rapporto sull'attività internazionale" in text and "Gdansk" in text
