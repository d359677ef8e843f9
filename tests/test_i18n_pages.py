"""The dashboard in Italian under AppTest: every page, no English left, the switch and the URL."""

from __future__ import annotations

import json
import re
import sys

import pytest
from babel.messages.pofile import read_po
from checkout import APP

sys.path.insert(0, str(APP.parent))  # the dashboard's own modules

import lang
import state

from intl_metrics import i18n

pytestmark = pytest.mark.usefixtures("bundled_data")

PAGES = [
    "overview", "timeline", "map", "breakdown", "events", "briefing", "add_agenda", "review",
    "changes", "about",
]  # fmt: skip
SEPT_OCT = {"from": "2021-09-01", "to": "2021-10-31"}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def run(page: str | None = None, *, context: dict | None = None, **params):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=90)
    if context:
        at.context = context
    at.query_params.update(params)
    at.run()
    if page and page != "overview":
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.body for e in at.error]
    return at


def english_phrases() -> list[str]:
    """The English of every catalogue string whose Italian differs, cut at its
    placeholders: the phrases an Italian page must not show."""
    po = i18n.LOCALE_DIR / "it" / "LC_MESSAGES" / "intl_metrics.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="it")
    phrases: set[str] = set()
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for english in ids:
            if english in strings:
                continue  # 'Design', 'Sport', 'Partner', 'PDF' read the same in Italian
            for piece in PLACEHOLDER.split(english):
                piece = piece.strip(" .,:;·()“”*_-")
                # a piece that still says something: two words, or one long word
                if " " in piece or len(piece) >= 5:
                    phrases.add(piece)
    return sorted(phrases, key=len, reverse=True)


def ui_texts(at) -> list[tuple[str, str]]:
    """(where, text) of every piece of interface text on the page, not the data: headings,
    paragraphs, captions, messages, widget labels/options/help, metric cards, table
    headers, chart titles/axes/legends/hover templates."""
    out: list[tuple[str, str]] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "success"):  # fmt: skip
        out += [(kind, el.proto.body) for el in at.get(kind)]
    for m in at.get("metric"):
        out += [("metric", m.proto.label), ("metric help", m.proto.help)]
        out += [("metric delta", m.proto.delta)] if m.proto.delta else []
    for kind in ("selectbox", "multiselect", "text_input", "date_input", "number_input",
                 "button", "download_button", "button_group"):  # fmt: skip
        for el in at.get(kind):
            p = el.proto
            out.append((kind, p.label))
            for field in ("help", "placeholder"):
                if getattr(p, field, ""):
                    out.append((f"{kind} {field}", getattr(p, field)))
            out += [(f"{kind} option", str(o)) for o in getattr(el, "options", []) or []]
    for el in at.get("dataframe"):
        columns = json.loads(el.proto.columns or "{}")
        out += [("table header", c.get("label", "")) for c in columns.values()]
    for el in at.get("plotly_chart"):
        fig = json.loads(el.proto.spec)
        layout = fig["layout"]
        title = layout.get("title", {})
        out += [
            ("chart title", title.get("text", "")),
            ("chart note", title.get("subtitle", {}).get("text", "")),
        ]
        for axis in ("xaxis", "yaxis"):
            ax = layout.get(axis, {})
            out.append(("axis title", (ax.get("title") or {}).get("text", "")))
            if axis == "xaxis":  # dates and formats; the y ticks of the Gantt are event titles
                out += [("axis tick", str(x)) for x in ax.get("ticktext", [])]
        out += [("chart note", a.get("text", "")) for a in layout.get("annotations", [])]
        for trace in fig["data"]:
            out += [("legend", trace.get("name", "")), ("hover", trace.get("hovertemplate", ""))]
            if trace.get("type") == "bar" and trace.get("orientation") == "h":
                out += [("bar label", str(y)) for y in trace.get("y", [])]
    return [(where, text) for where, text in out if text]


def no_english(at, data: tuple[str, ...] = ()) -> None:
    """No English interface text on the page; ``data``: texts of the data shown (a title,
    a description), whatever language they are in."""
    texts = [(w, x) for w, x in ui_texts(at) if not any(d and d in x for d in data)]
    assert len(texts) > 8, texts  # the page was read
    left = []
    for phrase in english_phrases():
        pattern = re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])")
        left += [(phrase, where, text) for where, text in texts if pattern.search(text)]
    assert not left, left[:10]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_italian_shows_no_english_interface_text(page):
    no_english(run(page, lang="it", **SEPT_OCT))


def test_the_staff_pages_in_italian_show_no_english_interface_text():
    # logged in as an editor: the login box, the correction form, History, Review, Changes
    import sqlalchemy as sa
    from staff import add_account, log_in

    from intl_metrics.store import open_store

    add_account("ann")
    at = run("events", lang="it")
    with open_store().read() as conn:
        eid, title, text = conn.execute(
            sa.text(
                "SELECT event_id, title, description FROM entries WHERE current "
                "ORDER BY event_id LIMIT 1"
            )
        ).one()
    at.query_params["event"] = eid
    log_in(at)
    form = next(k for k in (m.key for m in at.multiselect) if k and k.endswith("-themes"))
    at.multiselect(key=form).set_value(["culture"]).run()
    at.button(key=form.replace("-themes", "-save")).click().run()
    assert not at.exception and not at.error
    import ui

    no_english(at, (ui.md_escape(title), ui.md_escape(text)))
    for page in ("review", "changes", "add_agenda"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception and not at.error
        no_english(at, ("admin-cli",))  # the account that made ann's, a name


def test_the_overview_in_italian_counts_and_compares_in_italian():
    at = run("overview", lang="it", **SEPT_OCT)
    assert at.title[0].value == "Panoramica"
    cards = {m.label: m for m in at.metric}
    assert cards["Eventi"].value == "15"
    assert cards["Tema principale"].value == "Migrazioni"
    assert "1 set – 31 ott 2021" in at.caption[0].value
    figs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    assert all(f["layout"]["separators"] == ",." for f in figs)  # 1.234,5
    ticks = figs[0]["layout"]["xaxis"]["ticktext"]
    assert any("set" in tick for tick in ticks), ticks  # weeks of September, from Monday
    themes = figs[1]["data"][0]
    assert "Migrazioni" in themes["y"] and themes["customdata"][0][0] in i18n.THEME_NAMES


def test_the_sidebar_speaks_italian_and_keeps_english_values():
    at = run("overview", lang="it", theme="energy")
    themes = at.multiselect(key=state.K_THEMES)
    assert themes.value == ["energy"] and themes.label == "Temi"
    assert "Energia" in themes.options
    period = at.selectbox(key=state.K_PERIOD)
    assert period.label == "Periodo" and "Scegli un mese" in period.options
    period.set_value(state.MONTH).run()
    months = at.selectbox(key=state.K_MONTH)
    assert months.label == "Mese" and "ottobre 2021" in months.options
    assert at.query_params.get("period") == "month"  # the URL's words stay the same


def test_downloads_are_named_in_italian():
    at = run("breakdown", lang="it", theme="energy", **SEPT_OCT)
    helps = [b.proto.help for b in at.get("download_button")]
    assert any("eventi-per-tema_2021-09-01_2021-10-31_tema-energia.png" in h for h in helps)
    assert any(b.proto.label == "PNG (stampa)" for b in at.get("download_button"))
    at = run("events", lang="it", **SEPT_OCT)
    helps = [b.proto.help for b in at.get("download_button")]
    assert any(h.endswith("eventi_2021-09-01_2021-10-31.csv") for h in helps), helps


def test_the_events_table_names_labels_in_italian_and_keeps_titles_as_written():
    at = run("events", lang="it", **SEPT_OCT)
    table = at.dataframe[0].value
    assert set(table["format"]) <= {"In presenza", "Online", "Ibrido"}
    assert "Delegation from Wallonia" in set(table["title"])  # data text as written
    headers = {c.get("label") for c in json.loads(at.dataframe[0].proto.columns).values()}
    assert {"Inizio", "Titolo", "Formato", "Attività", "Temi"} <= headers


def test_without_a_parameter_the_browser_language_decides():
    at = run("overview", context={"locale": "it-IT"})
    assert at.title[0].value == "Panoramica"
    assert at.query_params.get(lang.PARAM) is None  # what the browser would pick: not said
    at = run("overview", context={"locale": "de-DE"})
    assert at.title[0].value == "Overview"  # neither language offered: English


def test_the_switch_changes_the_language_and_the_url():
    at = run("timeline", **SEPT_OCT)
    assert at.title[0].value == "Timeline"
    switch = at.button_group(key=lang.K_LANG)
    assert switch.options == ["English", "Italiano"] and switch.label == "Language"
    switch.set_value("it").run()
    assert at.title[0].value == "Cronologia"
    assert at.query_params.get(lang.PARAM) == "it"
    title = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    assert title.startswith("Eventi al mese per tema principale")
    assert at.query_params.get("from") == "2021-09-01"  # the filters stay in the URL
    at.button_group(key=lang.K_LANG).set_value("en").run()
    assert at.title[0].value == "Timeline"
    assert at.query_params.get(lang.PARAM) is None


def test_a_link_in_italian_opens_in_italian_even_in_an_english_browser():
    at = run("map", context={"locale": "en-GB"}, lang="it", **SEPT_OCT)
    assert at.title[0].value == "Mappa dei partner"
    assert at.button_group(key=lang.K_LANG).value == "it"
    assert at.query_params.get(lang.PARAM) == "it"


def test_the_language_holds_when_the_switch_comes_back_without_a_value():
    """Under load a run can start with the switch drawn but holding no language; asking
    the language then must not write the switch's key (Streamlit raises once a widget is
    drawn) and keeps the session's last language."""
    from streamlit.testing.v1 import AppTest

    def script(dashboard: str) -> None:
        import sys

        import streamlit as st

        sys.path.insert(0, dashboard)
        import lang

        first = lang.current()  # the session's language, from the URL
        # the switch's key drawn with no language in it
        st.segmented_control("x", ["none"], key=lang.K_LANG, default=None)
        st.text(f"{first} {lang.current()} {lang.translator().gettext('Timeline')}")

    at = AppTest.from_function(script, args=(str(APP.parent),), default_timeout=30)
    at.query_params[lang.PARAM] = "it"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.text[0].value == "it it Cronologia"
