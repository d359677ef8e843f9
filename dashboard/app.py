"""The intl-metrics dashboard: `streamlit run dashboard/app.py`.

Loads the agenda (every file in data/raw, or INTL_METRICS_DATA), draws the shared
sidebar filters, and runs the chosen page. No page ever shows a traceback: errors
become a short message on the page and a full traceback in the server log.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.logger import get_logger

# `streamlit run` puts this folder on sys.path; AppTest and other runners may not.
_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

import lang  # noqa: E402  (needs the folder on sys.path)

# The language first: the page's title and every label below are in it.
t = lang.translator()
_ = t.gettext

st.set_page_config(
    page_title=_("Torino international agenda"),
    page_icon=str(_HERE / "favicon.png"),  # a local file: no icon CDN offline
    layout="wide",
    initial_sidebar_state="expanded",
)

log = get_logger("intl_metrics.dashboard")

# A browser print shows the page, not the app around it: no sidebar, toolbar or download
# buttons, charts kept whole (a style-only st.html takes no room on the page), the page
# shrunk to the paper's width when the screen drew it wider (a script of ours, in the
# sidebar, which print hides).
st.html(_HERE / "print.css")
st.sidebar.html(
    "<script>" + (_HERE / "print.js").read_text(encoding="utf-8") + "</script>",
    unsafe_allow_javascript=True,
)

try:
    # The data layer comes in with these: if it cannot even be imported, say so calmly.
    import state
    import ui
except Exception:
    log.exception("the dashboard could not import its modules")
    st.error(
        _(
            "The dashboard could not start: the intl-metrics package failed to load. "
            "The details are in the server log."
        ),
        icon=":material/error:",
    )
    st.stop()

# The pages, their names in the language; the url paths stay the same in every language.
PAGES = [
    st.Page(
        "app_pages/overview.py",
        title=_("Overview"),
        icon=":material/dashboard:",
        url_path="home",  # served at the root; the name is only reserved
        default=True,
    ),
    st.Page(
        "app_pages/timeline.py",
        title=_("Timeline"),
        icon=":material/timeline:",
        url_path="timeline",
    ),
    st.Page("app_pages/map.py", title=_("Map"), icon=":material/public:", url_path="map"),
    st.Page(
        "app_pages/breakdown.py",
        title=_("Breakdown"),
        icon=":material/bar_chart:",
        url_path="breakdown",
    ),
    st.Page(
        "app_pages/events.py", title=_("Events"), icon=":material/table_rows:", url_path="events"
    ),
    st.Page(
        "app_pages/briefing.py",
        title=_("Briefing"),
        icon=":material/summarize:",
        url_path="briefing",
    ),
    st.Page(
        "app_pages/add_agenda.py",
        title=_("Add agenda"),
        icon=":material/upload_file:",
        url_path="add_agenda",
    ),
    st.Page(
        "app_pages/about.py", title=_("About the data"), icon=":material/info:", url_path="about"
    ),
]


def _to_overview() -> None:
    st.switch_page(PAGES[0], query_params={k: st.query_params.get_all(k) for k in st.query_params})


# The Overview is the root page; a link to /overview (its name in the sidebar) opens it
# too instead of "Page not found".
OVERVIEW_ALIAS = st.Page(
    _to_overview, title=_("Overview"), url_path="overview", visibility="hidden"
)


def load() -> ui.Dataset | None:
    """The dataset, with a progress bar when files have to be parsed (cached otherwise)."""
    from intl_metrics import load_events

    holder = st.empty()
    bar = None

    def progress(fraction: float, message: str) -> None:
        nonlocal bar
        # Only a cache miss reports progress, so a warm rerun draws nothing here.
        if bar is None:
            bar = holder.progress(0.0, text=_("Loading the agenda…"))
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    try:
        return load_events(progress=progress)
    except Exception:
        log.exception("loading the agenda failed")
        st.error(
            _(
                "The agenda data could not be loaded. Check the store (`INTL_METRICS_DB`) and "
                "the files in `data/raw/` (or `INTL_METRICS_DATA`); the details are in the "
                "server log."
            ),
            icon=":material/error:",
        )
        return None
    finally:
        holder.empty()


def main() -> None:
    """Build the sidebar and the page context, then run the chosen page."""
    nav = st.navigation([*PAGES, OVERVIEW_ALIAS], position="sidebar")
    ui.page_style()
    lang.switch()
    ds = load()
    if ds is None:
        st.stop()

    from intl_metrics.enrich.places import country_name
    from intl_metrics.query import Filters, data_range

    today = date.today()
    span = data_range(ds) or (today, today)
    try:
        filters = state.sidebar(
            today,
            *span,
            countries=ui.country_options(ds, t),
            cities=ui.partner_options(ds),
            country_name=country_name,
            page=nav.url_path,
            t=t,
        )
    except Exception:
        log.exception("drawing the filters failed")
        st.sidebar.error(_("The filters could not be drawn; showing every event."))
        filters = Filters()
    data = ui.filtered(ds, filters)
    period = (filters.start or span[0], filters.end or span[1]) if len(ds.events) else None
    ui.set_context(
        ui.PageContext(
            full=ds,
            data=data,
            filters=filters,
            period=period,
            today=today,
            span=span,
            key=ui.filters_key(filters),
            t=t,
        )
    )
    ui.warm_exports()
    if ds.synthetic:
        # On every page, and in every export's source line: nobody should take these
        # numbers for the City's.
        st.warning(
            _(
                "**Synthetic test data**: these events were made up by `intl-metrics synth` "
                "for scale tests. They are not the City of Torino's agenda."
            ),
            icon=":material/science:",
        )
    with ui.guarded(_("{page} page").format(page=nav.title)):
        nav.run()


try:
    main()
except Exception:  # the last net: st.rerun/st.stop derive from BaseException and pass
    log.exception("the dashboard failed")
    st.error(
        _(
            "Sorry, something went wrong while drawing the dashboard. Try **Reset filters** "
            "in the sidebar or reload the page; the details are in the server log."
        ),
        icon=":material/error:",
    )
