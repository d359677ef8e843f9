"""Events: every filtered event, searched, sorted and paged on the server; one chosen in full."""

from __future__ import annotations

import state
import streamlit as st
import ui
from evidence import show_evidence

from intl_metrics import event_table, export
from intl_metrics.enrich.places import country_name

ctx = ui.context()
ui.page_header(ctx, "Events")

K_SEARCH, K_SORT, K_SIZE = "ev_search", "ev_sort", "ev_page_size"


def _joined(values: object) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, list | tuple) else ""


def detail(r) -> None:
    """One event in full. Every piece of data text is escaped: it is shown as written."""
    with st.container(border=True):
        start, end = r["start_date"].date(), r["end_date"].date()
        when = f"{start:%-d %B %Y}" + (f" – {end:%-d %B %Y}" if end != start else "")
        st.subheader(ui.md_escape(str(r["title"])))
        st.caption(
            ui.md_escape(
                f"{when} · {r['format']} · {r['activity']} · themes: {_joined(r['themes'])}"
            )
        )
        st.markdown(ui.md_escape(str(r["description"])))
        facts = {
            "Partners": _joined(r["partners"]),
            "Countries": ", ".join(f"{country_name(c)} ({c})" for c in r["countries"] or ()),
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


if not ui.empty_state(ctx):
    data = ctx.data
    # the search and the order live in the URL, like the sidebar's filters
    state.page_param("search", K_SEARCH, "")
    state.page_param("sort", K_SORT, event_table.DEFAULT_SORT, list(event_table.SORTS))
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        search = st.text_input(
            "Search these events",
            key=K_SEARCH,
            placeholder="Words in any field",
            max_chars=200,
        ).strip()
        sort = st.selectbox(
            "Sort by",
            list(event_table.SORTS),
            key=K_SORT,
            format_func=event_table.SORTS.get,
            help="Orders every matching event, not only this page.",
        )
    state.write_page_params({"search": search, "sort": sort}, {"sort": event_table.DEFAULT_SORT})
    with ui.guarded("events table"):
        # a rerun with the same view (a row chosen, a page turned) reuses the order
        order = ui.memo(
            data,
            f"events order {sort} {search}",
            lambda: event_table.sorted_events(
                data, event_table.matching_events(data, search), sort
            ),
        )
        matching = len(order)
        with ui.guarded("download control"):
            # every matching event, in this order: what the table shows, not only its page
            ui.download_menu(
                "the events shown",
                [
                    (
                        "CSV",
                        lambda: export.frame_csv(
                            export.events_export_frame(event_table.events_at(data, order))
                        ),
                        ctx.filename("events", "csv", search=search),
                        export.MIME_TYPES["csv"],
                    ),
                    (
                        "Excel (XLSX)",
                        lambda: export.frame_xlsx(
                            export.events_export_frame(event_table.events_at(data, order))
                        ),
                        ctx.filename("events", "xlsx", search=search),
                        export.MIME_TYPES["xlsx"],
                    ),
                ],
                key="events",
            )
        if matching == 0:
            st.info(
                "No event among the filtered ones contains "
                f"“{ui.md_escape(search)}”. Try fewer or other words.",
                icon=":material/search_off:",
            )
        else:
            size = st.session_state.get(K_SIZE, event_table.PAGE_SIZES[1])
            pages = event_table.page_count(matching, size)
            # a new search, order, page size or filter starts again at page 1
            page_key = f"ev_page-{ctx.key}-{sort}-{size}-{hash(search)}"
            with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
                page = st.number_input(
                    f"Page (of {pages:,})",
                    min_value=1,
                    max_value=pages,
                    value=1,
                    step=1,
                    key=page_key,
                    width=160,
                )
                st.selectbox(
                    "Rows per page",
                    event_table.PAGE_SIZES,
                    index=event_table.PAGE_SIZES.index(size),
                    key=K_SIZE,
                    width=140,
                )
            first = (int(page) - 1) * size
            shown_positions = order[first : first + size]
            shown = event_table.events_at(data, shown_positions)
            st.caption(
                f"Events {first + 1:,}–{first + len(shown):,} of {matching:,}, "
                f"{event_table.SORTS[sort].lower()}. Sort by orders every event; a click on "
                "a column header orders this page only. Choose a row to read it in full."
            )
            event = st.dataframe(
                event_table.table_frame(shown),
                hide_index=True,
                on_select="rerun",
                selection_mode="single-row",
                key=f"ev_table-{page_key}-{int(page)}",
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
                detail(shown.iloc[rows[0]])
            else:
                st.caption("Choose a row (the box at its left) to read the full text here.")
