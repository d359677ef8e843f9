"""Events: every filtered event, searched, sorted and paged on the server; one chosen in full."""

from __future__ import annotations

import state
import streamlit as st
import ui
from evidence import show_evidence

from intl_metrics import event_table, export
from intl_metrics.enrich.places import country_name
from intl_metrics.i18n import NP_

ctx = ui.context()
t = ctx.t
_ = t.gettext
ui.page_header(ctx, _("Events"))
EVENTS_FILE = NP_("file name", "events")

K_SEARCH, K_SORT, K_SIZE = "ev_search", "ev_sort", "ev_page_size"


def _joined(values: object) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, list | tuple) else ""


def detail(r) -> None:
    """One event in full. Every piece of data text is escaped: it is shown as written."""
    with st.container(border=True):
        start, end = r["start_date"].date(), r["end_date"].date()
        when = t.long_date(start) + (f" – {t.long_date(end)}" if end != start else "")
        themes = ", ".join(t.theme(str(x)) for x in r["themes"] or ())
        st.subheader(ui.md_escape(str(r["title"])))
        st.caption(
            ui.md_escape(
                f"{when} · {t.format(str(r['format']))} · {t.activity(str(r['activity']))} · "
                + _("themes: {themes}").format(themes=themes)
            )
        )
        st.markdown(ui.md_escape(str(r["description"])))
        facts = {
            _("Partners"): _joined(r["partners"]),
            _("Countries"): ", ".join(
                f"{t.country(c, country_name(c))} ({c})" for c in r["countries"] or ()
            ),
            _("Organisations"): _joined(r["organisations"]),
            _("Projects"): _joined(r["projects"]),
        }
        st.markdown(
            "  \n".join(f"**{k}:** {ui.md_escape(v)}" for k, v in facts.items() if v)
            or "_" + _("No partners, countries, organisations or projects named.") + "_"
        )
        with ui.guarded(_("evidence of the labels")):
            show_evidence(r, t)
        # a file name can hold anything, a backtick included: no code span
        st.caption(
            ui.md_escape(
                _("Source: {file}, line {line} · language {language} · id {id}").format(
                    file=r["source_file"],
                    line=r["source_line"],
                    language=r["language"],
                    id=r["id"],
                )
            )
        )


if not ui.empty_state(ctx):
    data = ctx.data
    # the search and the order live in the URL, like the sidebar's filters
    state.page_param("search", K_SEARCH, "")
    state.page_param("sort", K_SORT, event_table.DEFAULT_SORT, list(event_table.SORTS))
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        search = st.text_input(
            _("Search these events"),
            key=K_SEARCH,
            placeholder=_("Words in any field"),
            max_chars=200,
        ).strip()
        sort = st.selectbox(
            _("Sort by"),
            list(event_table.SORTS),
            key=K_SORT,
            format_func=lambda key: t.pgettext("sort", event_table.SORTS[key]),
            help=_("Orders every matching event, not only this page."),
        )
    state.write_page_params({"search": search, "sort": sort}, {"sort": event_table.DEFAULT_SORT})
    with ui.guarded(_("events table")):
        # a rerun with the same view (a row chosen, a page turned) reuses the order
        order = ui.memo(
            data,
            f"events order {sort} {search}",
            lambda: event_table.sorted_events(
                data, event_table.matching_events(data, search), sort
            ),
        )
        matching = len(order)
        with ui.guarded(_("download control")):
            # every matching event, in this order: what the table shows, not only its page
            ui.download_menu(
                _("the events shown"),
                [
                    (
                        "CSV",
                        lambda: export.frame_csv(
                            export.events_export_frame(event_table.events_at(data, order), t)
                        ),
                        ctx.filename(EVENTS_FILE, "csv", search=search),
                        export.MIME_TYPES["csv"],
                    ),
                    (
                        _("Excel (XLSX)"),
                        lambda: export.frame_xlsx(
                            export.events_export_frame(event_table.events_at(data, order), t),
                            sheet=t.pgettext("file name", EVENTS_FILE),
                        ),
                        ctx.filename(EVENTS_FILE, "xlsx", search=search),
                        export.MIME_TYPES["xlsx"],
                    ),
                ],
                key="events",
            )
        if matching == 0:
            st.info(
                _(
                    "No event among the filtered ones contains “{search}”. Try fewer or other "
                    "words."
                ).format(search=ui.md_escape(search)),
                icon=":material/search_off:",
            )
        else:
            size = st.session_state.get(K_SIZE, event_table.PAGE_SIZES[1])
            pages = event_table.page_count(matching, size)
            # a new search, order, page size or filter starts again at page 1
            page_key = f"ev_page-{ctx.key}-{sort}-{size}-{hash(search)}"
            with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
                page = st.number_input(
                    _("Page (of {pages})").format(pages=t.number(pages)),
                    min_value=1,
                    max_value=pages,
                    value=1,
                    step=1,
                    key=page_key,
                    width=160,
                )
                st.selectbox(
                    _("Rows per page"),
                    event_table.PAGE_SIZES,
                    index=event_table.PAGE_SIZES.index(size),
                    key=K_SIZE,
                    width=140,
                )
            first = (int(page) - 1) * size
            shown_positions = order[first : first + size]
            shown = event_table.events_at(data, shown_positions)
            st.caption(
                _(
                    "Events {first}–{last} of {total}, {order}. Sort by orders every event; a "
                    "click on a column header orders this page only. Choose a row to read it "
                    "in full."
                ).format(
                    first=t.number(first + 1),
                    last=t.number(first + len(shown)),
                    total=t.number(matching),
                    order=t.pgettext("sort", event_table.SORTS[sort]).lower(),
                )
            )
            event = st.dataframe(
                event_table.table_frame(shown, t),
                hide_index=True,
                on_select="rerun",
                selection_mode="single-row",
                key=f"ev_table-{page_key}-{int(page)}",
                height=420,
                column_config={
                    # ISO dates (2021-09-16) read the same in both languages and sort as
                    # dates; the grid's own month names would follow the browser
                    "start": st.column_config.DateColumn(_("Start"), format="YYYY-MM-DD"),
                    "end": st.column_config.DateColumn(_("End"), format="YYYY-MM-DD"),
                    "days": st.column_config.NumberColumn(_("Days"), format="%d"),
                    "title": st.column_config.TextColumn(_("Title"), width="large"),
                    "format": st.column_config.TextColumn(_("Format")),
                    "activity": st.column_config.TextColumn(_("Activity")),
                    "themes": st.column_config.TextColumn(_("Themes")),
                    "partners": st.column_config.TextColumn(_("Partners")),
                    "countries": st.column_config.TextColumn(_("Countries")),
                    "organisations": st.column_config.TextColumn(_("Organisations")),
                    "projects": st.column_config.TextColumn(_("Projects")),
                    "language": st.column_config.TextColumn(_("Language")),
                    "description": st.column_config.TextColumn(_("Description"), width="large"),
                    "source_file": st.column_config.TextColumn(_("Source file")),
                    "source_line": st.column_config.NumberColumn(_("Line"), format="%d"),
                    "id": st.column_config.TextColumn(_("Id")),
                },
                width="stretch",
            )
            rows = event.selection.rows if event is not None else []
            if rows:
                detail(shown.iloc[rows[0]])
            else:
                st.caption(_("Choose a row (the box at its left) to read the full text here."))
