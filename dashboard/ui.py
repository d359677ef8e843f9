"""What every page shares: the context, guarded sections, charts with downloads, empty states."""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import lang
import plotly.graph_objects as go
import state
import streamlit as st
from streamlit.logger import get_logger

from intl_metrics import export
from intl_metrics.i18n import N_, Translator, translator
from intl_metrics.load import Dataset
from intl_metrics.query import Filters, event_count, filter_dataset

# Streamlit's logger set-up: timestamped lines in the server log, at its configured level.
log = get_logger("intl_metrics.dashboard")

_CTX_KEY = "_page_context"

FORMAT_LABELS: dict[str, str] = {
    "png": N_("PNG (print)"),
    "svg": "SVG",
    "pdf": "PDF",
    "html": N_("HTML (interactive)"),
}


@dataclass(frozen=True)
class PageContext:
    """What the sidebar decided this run: the data, the filters and the period they cover."""

    full: Dataset  # every loaded event
    data: Dataset  # the events the filters keep
    filters: Filters
    period: tuple[date, date] | None  # the dates shown: the filter's, or the data's span
    today: date
    span: tuple[date, date]  # first and last date of all loaded events
    key: str  # short fingerprint of the filters, for widget keys that must reset with them
    t: Translator = field(default_factory=translator)  # the interface's language

    @property
    def period_text(self) -> str:
        """'1 Sept – 15 Oct 2021' for titles, '' when there is no data."""
        return self.t.period(*self.period) if self.period else ""

    @property
    def note(self) -> str:
        """The active filters in words: a chart's subtitle, so an export carries them."""
        return self.filters.describe(self.t)

    @property
    def empty(self) -> bool:
        """True when the filters keep no event."""
        return event_count(self.data) == 0

    def filename(self, chart: str, ext: str, *, search: str = "") -> str:
        """A download's file name in the interface's language: the chart (a msgid of the
        'file name' context), the period, the active filters (and search)."""
        return export.export_filename(
            chart, self.filters, self.period, ext, search=search, t=self.t
        )

    def credit(self, *, places: bool = False) -> str:
        """The source line printed under exported charts and maps."""
        return export.credit_line(synthetic=self.full.synthetic, places=places, t=self.t)


def set_context(ctx: PageContext) -> None:
    """Hand this run's context from app.py to the page script (per session, never global)."""
    st.session_state[_CTX_KEY] = ctx


def context() -> PageContext:
    """This run's context, as set by app.py."""
    return st.session_state[_CTX_KEY]


def filters_key(f: Filters) -> str:
    """A short stable fingerprint of the filters."""
    return hashlib.sha1(repr(f).encode()).hexdigest()[:10]


# Results computed from a dataset, which never changes once loaded (a changed file gives
# a new Dataset object): a rerun with unchanged filters (a page switch, a download, a
# click in a table) reuses them. Entries hold the dataset weakly, so a cache never keeps
# an old or large dataset alive; at most a few filtered datasets are kept. A filtered
# dataset holds a mask and the few columns pages read, not a copy of every column.
_lock = threading.Lock()
_filtered: dict[tuple[int, Filters], tuple[weakref.ref[Dataset], Dataset]] = {}
_FILTERED_SIZE = 4
_memo: dict[tuple[int, str], tuple[weakref.ref[Dataset], Any]] = {}
_MEMO_SIZE = 64


def _cached(cache: dict, size: int, ds: Dataset, name: Any, make: Callable[[], Any]) -> Any:
    key = (id(ds), name)
    with _lock:
        hit = cache.get(key)
        if hit is not None and hit[0]() is ds:  # id() alone can be reused after GC
            cache[key] = cache.pop(key)  # most recently used goes last
            return hit[1]
    value = make()
    with _lock:
        for k in [k for k, (ref, _) in cache.items() if ref() is None]:
            del cache[k]
        while len(cache) >= size:
            cache.pop(next(iter(cache)))
        cache[key] = (weakref.ref(ds), value)
    return value


def filtered(ds: Dataset, f: Filters, *, like: Dataset | None = None) -> Dataset:
    """filter_dataset(ds, f), remembered for the last few filter states.

    ``like``: the same filters over another period, already filtered (see filter_dataset).
    """
    if f == Filters():
        return ds
    with _lock:
        # A filtered dataset holds the full one it came from, so its entry would keep a
        # replaced dataset (after a reload) alive: keep only the current one's states.
        for k in [k for k, (ref, _) in _filtered.items() if ref() is not ds]:
            del _filtered[k]
    return _cached(_filtered, _FILTERED_SIZE, ds, f, lambda: filter_dataset(ds, f, like=like))


def memo(ds: Dataset, name: str, make: Callable[[], Any]) -> Any:
    """``make()``, remembered for this dataset object under ``name``."""
    return _cached(_memo, _MEMO_SIZE, ds, name, make)


def figure(ctx: PageContext, name: str, build: Callable[[], go.Figure]) -> go.Figure:
    """``build()``, remembered for this view (data, period, filters): a rerun that changes
    nothing it shows (a page switch, a download, a click elsewhere) does not rebuild it.

    ``name`` must say everything else the figure depends on (e.g. the timeline's options).
    Figures are not changed once built: Streamlit and the downloads copy them.
    """
    return memo(ctx.data, f"figure {name} | {ctx.t.lang} | {ctx.period_text} | {ctx.note}", build)


@contextmanager
def guarded(what: str) -> Iterator[None]:
    """Run a section; an unexpected error becomes a short message, the traceback goes to the log.

    Streamlit's own control flow (st.rerun, st.stop) derives from BaseException and passes.
    """
    try:
        yield
    except Exception:
        log.exception("dashboard section failed: %s", what)
        st.error(
            lang.translator()
            .gettext(
                "Sorry, the {what} could not be drawn. The rest of the dashboard still works; "
                "the details are in the server log."
            )
            .format(what=what),
            icon=":material/error:",
        )


_STYLE = Path(__file__).resolve().parent / "style.css"


def page_style() -> None:
    """The dashboard's own CSS (dashboard/style.css): sent as a style-only element, which
    takes no room on the page."""
    st.html(_STYLE)


def page_header(ctx: PageContext, title: str) -> None:
    """The page title and, under it, the period and active filters it shows.

    The filters hold text from the URL (a shared link) and the text box: shown as text.
    """
    st.title(title)
    what = ctx.note
    st.caption(
        md_escape(" · ".join(x for x in (ctx.period_text, what) if x))
        or ctx.t.gettext("All loaded events")
    )


def empty_state(ctx: PageContext) -> bool:
    """Show a clear 'nothing matches' message when the filters keep no event; True if so."""
    if not ctx.empty:
        return False
    t = ctx.t
    _ = t.gettext
    if len(ctx.full.events) == 0:
        st.info(
            _(
                "No events are loaded yet. Add agenda text files to `data/raw/` and reload; "
                "**About the data** lists the files read and any problems found."
            ),
            icon=":material/info:",
        )
        return True
    what = ctx.note if not ctx.filters.is_default() else ""
    when = ctx.period_text
    detail = " · ".join(x for x in (when, what) if x)
    first, last = ctx.span
    outside = ""
    if ctx.period and (ctx.period[0] > last or ctx.period[1] < first):
        # presets count from today: say where the agenda's dates are
        message = (
            _("This period is after the agenda's events, which run from {first} to {last}.")
            if ctx.period[0] > last
            else _("This period is before the agenda's events, which run from {first} to {last}.")
        )
        outside = " " + message.format(first=t.date(first), last=t.date(last))
    st.info(
        _("**No events match these filters** ({detail}).").format(detail=md_escape(detail))
        + outside
        + " "
        + _("Widen the period, remove a filter in the sidebar, or reset all filters."),
        icon=":material/filter_alt_off:",
    )
    st.button(
        _("Reset all filters"),
        key="reset-empty",
        on_click=state.reset,
        args=(ctx.today, *ctx.span),
        icon=":material/restart_alt:",
    )
    return True


# ---------------------------------------------------------------- downloads


_warm_started = False


def warm_exports() -> None:
    """Start Kaleido's browser in the background once per server, so the first PNG/SVG/PDF
    download does not wait seconds for it. Only under a real server (not in AppTest)."""
    global _warm_started
    from streamlit import runtime

    with _lock:
        if _warm_started or not runtime.exists():
            return
        _warm_started = True

    def start() -> None:
        try:
            export.start_export_server()
        except Exception:  # no chromium: downloads will say so when used
            log.warning("static export is not available", exc_info=True)

    threading.Thread(target=start, name="kaleido-warm-up", daemon=True).start()


def _figure_maker(fig: go.Figure, fmt: str, credit: str) -> Callable[[], bytes]:
    # Built on click (deferred): a rerun does not pay for Kaleido.
    def make() -> bytes:
        return export.figure_bytes(fig, fmt, credit=credit)

    return make


def download_menu(
    name: str,
    items: list[tuple[str, Callable[[], bytes], str, str]],
    *,
    key: str,
) -> None:
    """A compact 'Download' popover of buttons: (label, bytes maker, file name, mime).

    ``name`` (what is saved, 'the map') and the labels come translated.
    """
    _ = lang.translator().gettext
    with st.popover(_("Download"), icon=":material/download:"):
        for label, maker, file_name, mime in items:
            st.download_button(
                label,
                data=maker,
                file_name=file_name,
                mime=mime,
                # the key says the format, not the words: it survives a change of language
                key=f"dl-{key}-{file_name.rsplit('.', 1)[-1]}",
                on_click="ignore",
                width="stretch",
                help=_("Save {name} as {file}").format(name=name, file=file_name),
            )


def figure_downloads(ctx: PageContext, fig: go.Figure, chart: str) -> None:
    """The download control of one chart: PNG (print resolution), SVG, PDF, HTML."""
    items = [
        (
            ctx.t.gettext(FORMAT_LABELS[fmt]),
            _figure_maker(fig, fmt, ctx.credit()),
            ctx.filename(chart, fmt),
            export.MIME_TYPES[fmt],
        )
        for fmt in ("png", "svg", "pdf", "html")
    ]
    what = ctx.t.gettext("the chart “{title}”").format(
        title=ctx.t.pgettext("file name", chart).replace("-", " ")
    )
    download_menu(what, items, key=chart)


def plot_config() -> dict[str, Any]:
    """Plotly toolbar settings: zoom and pan; pictures come from the Download menu."""
    return export.plotly_config()


def click_values(points: list[dict[str, Any]]) -> list[str]:
    """Category keys of clicked bars: charts put each bar's key in ``customdata``."""
    out: list[str] = []
    for p in points:
        cd = p.get("customdata")
        if isinstance(cd, list | tuple):
            cd = cd[0] if cd else None
        if cd is None:
            # Fall back to the category axis value.
            cd = p.get("y") if isinstance(p.get("y"), str) else p.get("x")
        if isinstance(cd, str) and cd and cd not in out:
            out.append(cd)
    return out


def chart(
    ctx: PageContext,
    fig: go.Figure,
    chart_name: str,
    *,
    on_click: Callable[[list[str]], None] | None = None,
    height: int | None = None,
) -> None:
    """A plotly chart with its download control above its top-right corner.

    With ``on_click``, clicking a bar calls it with the clicked category keys (in a
    callback, before the sidebar is drawn, so filters can change).
    """
    with st.container(horizontal=True, horizontal_alignment="right", gap="small"):
        if on_click is not None:
            st.caption(ctx.t.gettext("Click a bar to filter to it."))
        with guarded(ctx.t.gettext("download control")):
            figure_downloads(ctx, fig, chart_name)
    kwargs: dict[str, Any] = {
        "config": plot_config(),
        "width": "stretch",
        # The figure's own look, not Streamlit's template: the screen matches the downloads.
        "theme": None,
    }
    if height is not None:
        kwargs["height"] = height
    if on_click is None:
        st.plotly_chart(fig, key=f"fig-{chart_name}", **kwargs)
        return
    # The key carries the filters: after the click has filtered, a fresh chart with no
    # stale selection is drawn.
    key = f"fig-{chart_name}-{ctx.key}"

    def clicked() -> None:
        event = st.session_state.get(key)
        points = list(getattr(getattr(event, "selection", None), "points", None) or [])
        values = click_values(points)
        if values:
            on_click(values)

    st.plotly_chart(fig, key=key, on_select=clicked, selection_mode="points", **kwargs)


# ---------------------------------------------------------------- per-dataset lists


def country_options(ds: Dataset, t: Translator | None = None) -> list[str]:
    """ISO codes of the countries in the data, by their names in ``t``'s language."""
    from intl_metrics.enrich.places import country_name

    t = t or translator()

    def make() -> list[str]:
        codes = {str(c) for c in ds.countries["country"].dropna().unique()}
        return sorted(codes, key=lambda c: t.country(c, country_name(c)).casefold())

    return memo(ds, f"country options {t.lang}", make)


# The sidebar lists at most this many partner places (the most frequent), so a large
# archive does not send tens of thousands of names to the browser on every rerun; the
# free-text filter reaches the rest.
MAX_PARTNER_OPTIONS = 3000


def partner_options(ds: Dataset) -> list[str]:
    """The most frequent partner place names in the data, alphabetical, for the sidebar."""

    def make() -> list[str]:
        counts = ds.partners["name"].dropna().astype(str).value_counts()
        return sorted(counts.index[:MAX_PARTNER_OPTIONS], key=str.casefold)

    return memo(ds, "partner options", make)


def data_counts(ds: Dataset) -> dict[str, int]:
    """Distinct partner places and countries in the whole data (About page)."""

    def make() -> dict[str, int]:
        return {
            "places": int(ds.partners["name"].nunique()),
            "countries": int(ds.countries["country"].nunique()),
        }

    return memo(ds, "counts", make)


# ---------------------------------------------------------------- small helpers

_STATIC_WORLD = Path(__file__).resolve().parent / "static" / "world-110m.geojson"


def _sync_static_world() -> bool:
    """Keep dashboard/static's copy of the outline equal to data/geo's (the one source).

    The copy is a generated file (git-ignored there); False when it cannot be written.
    """
    from intl_metrics.charts import WORLD_GEOJSON_PATH

    with _lock:
        try:
            src = WORLD_GEOJSON_PATH.stat()
            try:
                dst = _STATIC_WORLD.stat()
                if dst.st_size == src.st_size and dst.st_mtime_ns >= src.st_mtime_ns:
                    return True
            except FileNotFoundError:
                pass
            _STATIC_WORLD.parent.mkdir(exist_ok=True)
            tmp = _STATIC_WORLD.with_suffix(".tmp")
            shutil.copyfile(WORLD_GEOJSON_PATH, tmp)
            tmp.replace(_STATIC_WORLD)
            return True
        except OSError:
            log.warning("cannot copy the map outline to %s; sending it inline", _STATIC_WORLD)
            return False


def world_layer_data() -> str | None:
    """Where the browser gets the map's country outline.

    With static serving on, a URL the browser fetches once and caches; otherwise None,
    and the outline travels inside the map's JSON on every rerun.
    """
    try:
        serving = bool(st.get_option("server.enableStaticServing"))
    except Exception:
        serving = False
    if serving and _sync_static_world():
        return "app/static/world-110m.geojson"
    return None


# Every ASCII punctuation character: CommonMark lets a backslash escape any of them, and
# escaping them all leaves no markdown, HTML, link, maths ($), Streamlit directive
# (":red[...]", ":material/...:") or emoji code to read in the text.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit's markdown (remark-gfm) turns "www.x", "https://x" and "a@b.c" into links
# after escapes are read, from the plain text: an invisible word joiner (U+2060) after
# "www", "http(s)" and "@" breaks those shapes and changes nothing on screen.
_AUTOLINK = re.compile(r"(?i)(?:www(?=\.)|https?(?=:)|ftp(?=:)|mailto(?=:)|@)")
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Text from data, a file name, a URL or a user, to place inside markdown: shown exactly
    as written, on one line (line breaks would start headings, lists or code blocks), and
    never as a link."""
    one_line = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(lambda m: m.group() + WORD_JOINER, one_line))


def theme_legend(themes: Iterable[str], t: Translator | None = None) -> None:
    """A row of colour swatches naming the themes the map's dots are coloured by."""
    from intl_metrics.schema import THEME_COLOURS, THEMES

    t = t or translator()
    present = set(themes)
    swatches = "".join(
        f'<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
        f'<span style="width:12px;height:12px;border-radius:50%;background:{THEME_COLOURS[k]};'
        f'display:inline-block;margin-right:5px"></span>{html.escape(t.theme(k))}</span>'
        for k in THEMES
        if k in present
    )
    label = html.escape(t.gettext("Map colours: themes"), quote=True)
    st.html(f'<div role="list" aria-label="{label}" style="font-size:14px">{swatches}</div>')


def place_filter(objects: dict[str, list[dict[str, Any]]]) -> tuple[str, list[str]] | None:
    """The filter a clicked map object means: a city or region filters to that partner
    place, a partner known only as a country to its country; other layers mean nothing."""
    for objs in objects.values():
        for obj in objs:
            kind, name, country = obj.get("kind"), obj.get("name"), obj.get("country")
            if kind == "country" and country:
                return "countries", [str(country)]
            if kind in ("city", "region") and name:
                return "cities", [str(name)]
    return None
