"""Events: the filtered events as a searchable, sortable table; one chosen shows in full."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import ui
from evidence import show_evidence

from intl_metrics import export, query
from intl_metrics.enrich.places import country_name
from intl_metrics.schema import fold

ctx = ui.context()
ui.page_header(ctx, "Events")

# Rows sent to the browser at most: the table stays quick with a large archive; the
# downloads always hold every filtered event.
MAX_ROWS = 5000


def _joined(values: object) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, list | tuple) else ""


def _joined_column(values: pd.Series) -> list[str]:
    """_joined over a column; the shown rows are joined in one pass (Series.map is slower)."""
    items = values.tolist()
    try:
        # the lists of the events frame hold text: join them as they are
        return [", ".join(v) if isinstance(v, tuple) else _joined(v) for v in items]
    except TypeError:  # some item is not text
        return [_joined(v) for v in items]


def table_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Every field of the events as display columns (lists joined, source as file:line)."""
    return pd.DataFrame(
        {
            "start": events["start_date"].dt.date,
            "end": events["end_date"].dt.date,
            "days": events["days"],
            "title": events["title"],
            "format": events["format"],
            "activity": events["activity"],
            "themes": _joined_column(events["themes"]),
            "partners": _joined_column(events["partners"]),
            "countries": _joined_column(events["countries"]),
            "organisations": _joined_column(events["organisations"]),
            "projects": _joined_column(events["projects"]),
            "language": events["language"],
            "description": events["description"],
            "source_file": events["source_file"],
            "source_line": events["source_line"],
            "id": events["id"],
        }
    )


def _rows(data: ui.Dataset, search: str) -> tuple[pd.DataFrame, int, pd.DataFrame]:
    """The events shown (newest first, at most MAX_ROWS), how many match, their table."""
    if not search.strip():
        # only the rows shown are taken from the data, not every filtered event
        shown = query.latest_events(data, MAX_ROWS)
        return shown, query.event_count(data), table_frame(shown)
    view = data.events.iloc[::-1]  # newest first
    words = fold(search).split()
    hay = (
        view["title"].fillna("")
        + " "
        + view["description"].fillna("")
        + " "
        + view["partners"].map(_joined)
        + " "
        + view["countries"].map(_joined)
        + " "
        + view["organisations"].map(_joined)
        + " "
        + view["projects"].map(_joined)
        + " "
        + view["themes"].map(_joined)
        + " "
        + view["activity"].astype(str)
        + " "
        + view["format"].astype(str)
    ).map(fold)
    mask = pd.Series(True, index=view.index)
    for w in words:
        mask &= hay.str.contains(w, regex=False)
    view = view[mask]
    shown = view.head(MAX_ROWS)
    return shown, len(view), table_frame(shown)


if not ui.empty_state(ctx):
    data = ctx.data
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        search = st.text_input(
            "Search these events",
            key="ev_search",
            placeholder="Words in any field",
            max_chars=200,
        )
        with ui.guarded("download control"):
            ui.download_menu(
                "the filtered events",
                [
                    (
                        "CSV",
                        # the whole filtered frame is built on click only
                        lambda: export.frame_csv(export.events_export_frame(data.events)),
                        ctx.filename("events", "csv"),
                        export.MIME_TYPES["csv"],
                    ),
                    (
                        "Excel (XLSX)",
                        lambda: export.frame_xlsx(export.events_export_frame(data.events)),
                        ctx.filename("events", "xlsx"),
                        export.MIME_TYPES["xlsx"],
                    ),
                ],
                key="events",
            )
    with ui.guarded("events table"):
        total = query.event_count(data)
        # a rerun with the same view (a row chosen, a page switch) reuses rows and table
        shown, matching, table = ui.memo(
            data, f"events table {search.strip()}", lambda: _rows(data, search)
        )
        if matching == 0:
            st.info(
                f"No event among the {total:,} filtered ones contains "
                f"“{ui.md_escape(search.strip())}”.",
                icon=":material/search_off:",
            )
        else:
            note = (
                f"{matching:,} events"
                if matching <= MAX_ROWS
                else f"The {MAX_ROWS:,} most recent of {matching:,} events (downloads hold all)"
            )
            st.caption(f"{note}. Click a column header to sort; choose a row to read it in full.")
            event = st.dataframe(
                table,
                hide_index=True,
                on_select="rerun",
                selection_mode="single-row",
                key=f"ev_table-{ctx.key}-{fold(search)[:40]}",
                height=420,
                column_config={
                    "start": st.column_config.DateColumn("Start", format="D MMM YYYY"),
                    "end": st.column_config.DateColumn("End", format="D MMM YYYY"),
                    "days": st.column_config.NumberColumn("Days", format="%d"),
                    "title": st.column_config.TextColumn("Title", width="large"),
                    "format": st.column_config.TextColumn("Format"),
                    "activity": st.column_config.TextColumn("Activity"),
                    "themes": st.column_config.TextColumn("Themes"),
                    "partners": st.column_config.TextColumn("Partners"),
                    "countries": st.column_config.TextColumn("Countries"),
                    "organisations": st.column_config.TextColumn("Organisations"),
                    "projects": st.column_config.TextColumn("Projects"),
                    "language": st.column_config.TextColumn("Language"),
                    "description": st.column_config.TextColumn("Description", width="large"),
                    "source_file": st.column_config.TextColumn("Source file"),
                    "source_line": st.column_config.NumberColumn("Line", format="%d"),
                    "id": st.column_config.TextColumn("Id"),
                },
                width="stretch",
            )
            rows = event.selection.rows if event is not None else []
            if rows:
                r = shown.iloc[rows[0]]
                with st.container(border=True):
                    start, end = r["start_date"].date(), r["end_date"].date()
                    when = f"{start:%-d %B %Y}" + (f" – {end:%-d %B %Y}" if end != start else "")
                    st.subheader(ui.md_escape(str(r["title"])))
                    st.caption(
                        ui.md_escape(
                            f"{when} · {r['format']} · {r['activity']} · "
                            f"themes: {_joined(r['themes'])}"
                        )
                    )
                    st.markdown(ui.md_escape(str(r["description"])))
                    facts = {
                        "Partners": _joined(r["partners"]),
                        "Countries": ", ".join(
                            f"{country_name(c)} ({c})" for c in r["countries"] or ()
                        ),
                        "Organisations": _joined(r["organisations"]),
                        "Projects": _joined(r["projects"]),
                    }
                    st.markdown(
                        "  \n".join(f"**{k}:** {ui.md_escape(v)}" for k, v in facts.items() if v)
                        or "_No partners, countries, organisations or projects named._"
                    )
                    with ui.guarded("evidence of the labels"):
                        show_evidence(r)
                    # a file name can hold anything, a backtick included: no code span
                    st.caption(
                        ui.md_escape(
                            f"Source: {r['source_file']}, line {r['source_line']} · "
                            f"language {r['language']} · id {r['id']}"
                        )
                    )
            else:
                st.caption("Choose a row (the box at its left) to read the full text here.")
