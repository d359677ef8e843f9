"""Figures and frames -> bytes in each download format, with meaningful file names.

Static images come from Kaleido v1 driving Debian's chromium (found on PATH or via
``BROWSER_PATH``); nothing here needs the internet. PNG/SVG/PDF of the same
figure the screen shows, so what staff see is what communications download.
"""

from __future__ import annotations

import html
import io
import json
import re
import struct
import threading
import zlib
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from intl_metrics.i18n import N_, NP_, Translator, translator
from intl_metrics.query import Filters
from intl_metrics.schema import fold
from intl_metrics.spreadsheet import safe_cell

__all__ = [
    "EXPORT_HEIGHT",
    "EXPORT_SCALE",
    "EXPORT_WIDTH",
    "MIME_TYPES",
    "credit_line",
    "deck_html",
    "deck_png",
    "events_export_frame",
    "export_filename",
    "figure_bytes",
    "frame_csv",
    "frame_xlsx",
    "plotly_config",
    "script_json",
    "start_export_server",
    "stop_export_server",
]

EXPORT_WIDTH = 1200
EXPORT_HEIGHT = 700
EXPORT_SCALE = 3  # 3600 x 2100 px: sharp in print at A4 width

MIME_TYPES: dict[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit minus the header row

_kaleido_lock = threading.Lock()


# ------------------------------------------------------------------ static images


def start_export_server() -> None:
    """Start Kaleido's persistent chromium once so each static export takes ~0.2 s, not ~2 s.

    Safe to call many times. MathJax is off: it would be fetched from a CDN and no
    chart here uses LaTeX.
    """
    import kaleido

    with _kaleido_lock:
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)


def stop_export_server() -> None:
    """Stop the persistent chromium (tests, shutdown)."""
    import kaleido

    with _kaleido_lock:
        kaleido.stop_sync_server(silence_warnings=True)


# Said on every exported chart and map, so a picture taken out of the dashboard still
# tells where its numbers and places come from.
SOURCE_CREDIT = N_("Source: City of Torino, International Affairs agenda (intl-metrics)")
SYNTHETIC_CREDIT = N_("SYNTHETIC test data (intl-metrics synth), not the City of Torino's agenda")
PLACES_CREDIT = N_("Places: GeoNames (CC BY 4.0) · map outline: Natural Earth")
PRINT_DPI = 300


def credit_line(
    *, synthetic: bool = False, places: bool = False, t: Translator | None = None
) -> str:
    """The source line under an export: the agenda (or synthetic data), and for maps the
    place and outline credits (GeoNames asks for attribution under CC BY 4.0)."""
    _ = (t or translator()).gettext
    parts = [_(SYNTHETIC_CREDIT) if synthetic else _(SOURCE_CREDIT)]
    if places:
        parts.append(_(PLACES_CREDIT))
    return " · ".join(parts)


def with_credit(fig: go.Figure, credit: str) -> go.Figure:
    """A copy of ``fig`` with ``credit`` in small type under the plot (exports only)."""
    if not credit:
        return fig
    out = go.Figure(fig)
    bottom = out.layout.margin.b if out.layout.margin.b is not None else 80
    out.update_layout(margin={"b": bottom + 26})
    out.add_annotation(
        text=html.escape(credit, quote=False),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-bottom - 4,  # below the x axis and its title, in the added margin
        showarrow=False,
        align="left",
        font={"size": 12, "color": "#52606d"},
    )
    return out


def _plain_title(fig: go.Figure) -> str:
    """The figure's title as one line of text: 'Events by theme, 1 Sep – 15 Oct 2021'."""
    text = fig.layout.title.text or ""
    lines = [html.unescape(re.sub(r"<[^>]+>", "", part)).strip() for part in text.split("<br>")]
    return ", ".join(line for line in lines if line)


def _png_dpi(png: bytes, dpi: int = PRINT_DPI) -> bytes:
    """The PNG with its resolution recorded (a pHYs chunk), so print layouts place it at
    ``dpi`` rather than 72 or 96. Kaleido writes none; the pixels are not touched."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n") or b"pHYs" in png[:4096]:
        return png
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    ihdr_end = 8 + 8 + 13 + 4  # signature, IHDR length/type, its 13 bytes, its CRC
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def figure_bytes(
    fig: go.Figure,
    fmt: str = "png",
    *,
    scale: float = EXPORT_SCALE,
    width: int = EXPORT_WIDTH,
    height: int = EXPORT_HEIGHT,
    credit: str = "",
) -> bytes:
    """The figure as PNG/SVG/PDF (Kaleido + chromium) or standalone HTML (plotly.js inlined).

    Every static export has one page size, ``width`` x ``height`` (1200 x 700), so a
    PNG is always ``width*scale`` x ``height*scale`` pixels (3600 x 2100), marked 300
    DPI; SVG and PDF are vector (scale 1). HTML works offline (~4.8 MB: plotly.js is
    inside) and is titled like the chart. ``credit`` (see credit_line) is printed
    under the plot.
    """
    fmt = fmt.lower()
    fig = with_credit(fig, credit)
    if fmt == "html":
        page = fig.to_html(
            include_plotlyjs=True,
            full_html=True,
            config={"displaylogo": False, "responsive": True},
            default_width="100%",
        )
        title = html.escape(_plain_title(fig) or "Chart", quote=False)
        page = page.replace("<head>", f'<head><meta charset="utf-8" /><title>{title}</title>', 1)
        return page.encode("utf-8")
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"unknown figure format {fmt!r}; expected png, svg, pdf or html")
    import kaleido

    start_export_server()
    spec = fig.to_dict()
    spec.setdefault("layout", {}).pop("height", None)  # the page size wins over screen height
    opts = {"format": fmt, "width": width, "height": height, "scale": scale if fmt == "png" else 1}
    # one chromium serves every session: Kaleido's sync server takes one job at a time
    with _kaleido_lock:
        data = kaleido.calc_fig_sync(spec, opts=opts)
    return _png_dpi(data) if fmt == "png" else data


def plotly_config() -> dict[str, Any]:
    """``config`` for st.plotly_chart: zoom and pan, no camera button.

    Every picture of a chart goes through the Download menu (figure_bytes): the same
    size, a 300 DPI mark and the source line under the plot. The toolbar's camera
    saved the bare on-screen chart, with no source, from the browser.
    """
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"],
    }


# ---------------------------------------------------------------------------- map

# Resources pydeck's HTML template links from CDNs; the map needs none of them with
# map_provider=None, and offline each one is a failed request (and a console error).
_CDN_TAGS = re.compile(
    r"""<script src=["']https?://[^"']+["']></script>\s*|<link rel=["']stylesheet["'] """
    r"""href=["']?https?://[^"'\s>]+["']? ?/?>\s*"""
)


# JSON that goes inside a <script> element: a title holding "</script><img ...>" must not
# end the script and add an element. These escapes are plain JSON, read back the same.
_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe to paste into an HTML ``<script>`` block."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).translate(_SCRIPT_SAFE)


def deck_html(deck: pdk.Deck, *, title: str = "", note: str = "", credit: str = "") -> bytes:
    """The map as one standalone HTML page: deck.gl inlined, no basemap, no CDN request.

    ``title``/``note`` are drawn as a heading over the map (a deck has no title), and
    ``credit`` (see credit_line) at its foot. An outline given as a URL (the dashboard's
    static file) is inlined, so the saved page still draws the world when opened from
    disk.
    """
    from pydeck.io.html import deck_to_html

    from intl_metrics.charts import world_geojson

    spec = json.loads(deck.to_json())
    for layer in spec.get("layers", []):
        if layer.get("id") == "world" and isinstance(layer.get("data"), str):
            layer["data"] = world_geojson()
    page = deck_to_html(
        script_json(spec),
        tooltip=script_json(deck._tooltip),  # pydeck keeps the tooltip outside the JSON spec
        offline=True,
        as_string=True,
        notebook_display=False,
    )
    page = _CDN_TAGS.sub("", page)
    if title:
        heading = (
            '<div style="position:fixed;top:12px;left:16px;z-index:10;'
            "font:600 20px 'Source Sans Pro',Arial,sans-serif;color:#1f2933;"
            'background:rgba(255,255,255,.85);padding:6px 10px;border-radius:4px">'
            f"{html.escape(title)}"
            + (
                f'<div style="font-weight:400;font-size:14px;color:#52606d">'
                f"{html.escape(note)}</div>"
                if note
                else ""
            )
            + "</div>"
        )
        page = page.replace("<title>pydeck</title>", f"<title>{html.escape(title)}</title>")
        page = page.replace("<body>", "<body>" + heading, 1)
    if credit:
        footer = (
            '<div style="position:fixed;bottom:8px;left:16px;z-index:10;'
            "font:400 12px 'Source Sans Pro',Arial,sans-serif;color:#52606d;"
            f'background:rgba(255,255,255,.85);padding:3px 8px;border-radius:4px">'
            f"{html.escape(credit)}</div>"
        )
        page = page.replace("<body>", "<body>" + footer, 1)
    return page.encode("utf-8")


def deck_png(
    places: pd.DataFrame,
    *,
    period: str = "",
    note: str = "",
    scale: float = 2,
    width: int = EXPORT_WIDTH,
    height: int = EXPORT_HEIGHT,
    credit: str = "",
    t: Translator | None = None,
) -> bytes:
    """A static PNG of the partner map (query.partner_place_counts) drawn from the outline.

    Drawn by charts.static_map_figure and Kaleido: no tiles, no network. ``credit``
    (see credit_line) is printed under the map; ``t`` is the language of its words.
    """
    from intl_metrics.charts import static_map_figure

    fig = static_map_figure(places, period=period, note=note, t=t)
    return figure_bytes(fig, "png", scale=scale, width=width, height=height, credit=credit)


# ------------------------------------------------------------------------- frames


def _is_sequence_column(series: pd.Series) -> bool:
    if series.dtype != object or series.empty:
        return False
    first = series.iloc[0]
    return isinstance(first, (tuple, list))


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Tuple/list cells joined by '; ', timestamps at midnight as plain dates."""
    out = df.copy()
    for name in out.columns:
        col = out[name]
        if _is_sequence_column(col):
            out[name] = ["; ".join(map(str, v)) if isinstance(v, (tuple, list)) else v for v in col]
        elif (
            pd.api.types.is_datetime64_any_dtype(col)
            and (col.dropna().dt.normalize() == col.dropna()).all()
        ):
            out[name] = col.dt.date
    return out


# The spreadsheet's column headers (the cells keep the record's own labels: 'in-person',
# 'energy' read the same in any language and sort and filter as the data says).
_EXPORT_HEADERS: dict[str, str] = {
    "id": NP_("column", "id"),
    "start_date": NP_("column", "start date"),
    "end_date": NP_("column", "end date"),
    "days": NP_("column", "days"),
    "title": NP_("column", "title"),
    "description": NP_("column", "description"),
    "language": NP_("column", "language"),
    "format": NP_("column", "format"),
    "activity": NP_("column", "activity"),
    "themes": NP_("column", "themes"),
    "primary_theme": NP_("column", "primary theme"),
    "partners": NP_("column", "partners"),
    "countries": NP_("column", "countries"),
    "organisations": NP_("column", "organisations"),
    "projects": NP_("column", "projects"),
    "source_file": NP_("column", "source file"),
    "source_line": NP_("column", "source line"),
}


def events_export_frame(events: pd.DataFrame, t: Translator | None = None) -> pd.DataFrame:
    """The events frame ready for a spreadsheet: readable headers (in ``t``'s language),
    dates, lists joined by '; '."""
    t = t or translator()
    present = [c for c in _EXPORT_HEADERS if c in events.columns]
    out = _flat(events[present])
    for name in ("language", "format", "activity", "primary_theme", "source_file"):
        if name in out.columns:
            out[name] = out[name].astype(str).replace("nan", "")
    return out.rename(columns={c: t.pgettext("column", _EXPORT_HEADERS[c]) for c in present})


def frame_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads the accents); tuple/list cells joined by '; '.

    Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab or
    CR first) is written as a value with a leading ``'`` (spreadsheet.safe_cell); so
    are the column names.
    """
    flat = _flat(df)
    for name in flat.columns:
        col = flat[name]
        if not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col)):
            flat[name] = [safe_cell(v) for v in col.astype(object)]
    flat.columns = [safe_cell(str(c)) for c in flat.columns]
    # CRLF, as RFC 4180 and Excel expect; it also makes the csv module quote a cell with
    # a lone CR in it, which it leaves bare with "\n" line ends (and the row then breaks)
    return flat.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def frame_xlsx(df: pd.DataFrame, sheet: str = "events") -> bytes:
    """An .xlsx workbook (xlsxwriter) of the frame: bold frozen header, filters, sized columns.

    Tuple/list cells are joined by '; '. Text is written as text, never as a formula
    or link, whatever it starts with.
    """
    if len(df) > XLSX_MAX_ROWS:
        raise ValueError(
            f"{len(df):,} rows do not fit in one Excel sheet ({XLSX_MAX_ROWS:,} max); "
            "narrow the filters or download CSV"
        )
    flat = _flat(df)
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        flat.to_excel(writer, sheet_name=sheet[:31], index=False)
        book, ws = writer.book, writer.sheets[sheet[:31]]
        header = book.add_format({"bold": True, "bg_color": "#E4E7EB", "border": 0})
        for i, name in enumerate(flat.columns):
            ws.write(0, i, str(name), header)
            ws.set_column(i, i, _column_width(flat[name], str(name)))
        ws.freeze_panes(1, 0)
        if len(flat.columns):
            ws.autofilter(0, 0, len(flat), len(flat.columns) - 1)
    return buffer.getvalue()


def _column_width(col: pd.Series, name: str) -> float:
    sample = col.head(200).astype(str)
    longest = max([len(name), *sample.str.len().tolist()]) if len(sample) else len(name)
    return float(min(max(longest + 2, 8), 60))


# ---------------------------------------------------------------------- file names


def _slug(text: str, limit: int = 40) -> str:
    """Lower-case ASCII letters, digits and single hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:limit].rstrip("-")


def _part(label: str, values: Sequence[str]) -> str:
    return f"{_slug(label, 20)}-" + "-".join(_slug(v, 24) for v in values if _slug(v, 24))


def export_filename(
    chart: str,
    filters: Filters | None,
    period: tuple[date, date] | None,
    ext: str,
    *,
    search: str = "",
    t: Translator | None = None,
) -> str:
    """'events-by-theme_2021-09-01_2021-10-15_theme-energy.png': safe characters only.

    Parts joined by '_': the chart, the period (or 'all-dates'), then each active
    filter as 'field-value-value', then a table's ``search`` as 'search-words'. At
    most ~150 characters before the extension; ``ext`` '' gives the bare stem. With
    ``t``, the words are in its language ('eventi-per-tema_..._tema-energia.png'):
    ``chart`` is translated in the 'file name' context, field names and theme, format
    and activity names too.
    """
    t = t or translator()

    def word(text: str) -> str:
        return t.pgettext("file name", text)

    parts = [_slug(word(chart), 60) or "chart"]
    if period is not None:
        parts.append(f"{period[0].isoformat()}_{period[1].isoformat()}")
    else:
        parts.append(_slug(word(NP_("file name", "all-dates"))))
    if filters is not None:
        for label, values in (
            (NP_("file name", "theme"), [t.theme(v) for v in filters.themes]),
            (NP_("file name", "format"), [t.format(v) for v in filters.formats]),
            (NP_("file name", "activity"), [t.activity(v) for v in filters.activities]),
            (NP_("file name", "country"), list(filters.countries)),
            (NP_("file name", "partner"), list(filters.cities)),
        ):
            if values:
                parts.append(_part(word(label), values))
        if filters.text.strip():
            parts.append(_slug(word(NP_("file name", "text")), 12) + "-" + _slug(filters.text, 30))
    if _slug(search, 30):
        parts.append(_slug(word(NP_("file name", "search")), 12) + "-" + _slug(search, 30))
    stem = "_".join(p for p in parts if p)
    if len(stem) > 150:
        stem = stem[:150].rstrip("-_") + "-etc"
    ext = _slug(ext.lstrip("."), 10)
    return f"{stem}.{ext}" if ext else stem
