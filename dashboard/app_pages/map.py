"""Map: Torino as the hub, arcs to partner places; top partner cities and countries beside it."""

from __future__ import annotations

import state
import streamlit as st
import ui

from intl_metrics import charts, export, query

ctx = ui.context()
ui.page_header(ctx, "Partner map")


def _place_clicked(key: str) -> None:
    """A clicked place becomes a filter (before the sidebar is drawn, so it shows there)."""
    event = st.session_state.get(key)
    selection = getattr(event, "selection", None) or {}
    choice = ui.place_filter(selection.get("objects") or {})
    if choice is not None:
        state.set_filter(*choice)


if not ui.empty_state(ctx):
    places = ui.memo(ctx.data, "places", lambda: query.partner_place_counts(ctx.data))
    if places.empty:
        st.info(
            "None of the selected events names a partner place abroad, so there is nothing "
            "to draw. Widen the filters to see the map.",
            icon=":material/travel_explore:",
        )
    else:
        # The map takes the page's width and the rankings sit under it, side by side: beside
        # a map, at 1280 px, their Events column was cut off.
        map_col = st.container()
        # what the map leaves out at scale ("arcs to the 40 most frequent partners"): said
        # under the heading and in the saved HTML, so nobody reads the arcs as every partner
        left_out = charts.map_note(len(places))
        note = " · ".join(x for x in (ctx.note, left_out) if x)
        with map_col, ui.guarded("map"):
            world = ui.world_layer_data()
            deck = ui.memo(
                ctx.data,
                f"deck {ctx.period_text} {world}",
                lambda: charts.partner_map(places, period=ctx.period_text, world=world),
            )
            with st.container(horizontal=True, gap="small", vertical_alignment="center"):
                st.markdown(f"**Partner places, {ctx.period_text}**", width="stretch")
                with ui.guarded("download control"):
                    ui.download_menu(
                        "the map",
                        [
                            (
                                "HTML (interactive)",
                                lambda: export.deck_html(
                                    deck,
                                    title=f"Partner places, {ctx.period_text}",
                                    note=note,
                                    credit=ctx.credit(places=True),
                                ),
                                ctx.filename("partner-map", "html"),
                                export.MIME_TYPES["html"],
                            ),
                            (
                                "PNG (static)",
                                lambda: export.deck_png(
                                    places,
                                    period=ctx.period_text,
                                    note=ctx.note,
                                    credit=ctx.credit(places=True),
                                ),
                                ctx.filename("partner-map", "png"),
                                export.MIME_TYPES["png"],
                            ),
                        ],
                        key="partner-map",
                    )
            if left_out:
                # the map's subtitle: what it leaves out at scale
                st.markdown(f":gray[{ui.md_escape(left_out.capitalize())}]")
            ui.theme_legend(places["leading_theme"].astype(str).unique())
            st.caption(
                "Each place is coloured by the theme most of its events have. Arcs join "
                "Torino to partner places; arc width and dot size grow with the number of "
                "events. Filled dots are cities, rings are regions or countries. Click a place "
                "to filter to it; hover one to read its events (top right of the map)."
            )
            key = f"map-{ctx.key}"
            st.pydeck_chart(
                deck,
                on_select=lambda: _place_clicked(key),
                selection_mode="single-object",
                key=key,
                height=560,
            )
        cities_col, countries_col = st.columns(2, gap="large")
        with cities_col, ui.guarded("top partner cities"):
            st.markdown("**Top partner cities**")
            # from the places the map has counted already
            cities = query.top_partner_cities(ctx.data, 10, places=places)
            st.dataframe(
                cities,
                hide_index=True,
                column_order=["name", "country_name", "events"],
                column_config={
                    "name": st.column_config.TextColumn("City"),
                    "country_name": st.column_config.TextColumn("Country"),
                    "events": st.column_config.NumberColumn("Events", format="localized"),
                },
                width="stretch",
            )
        with countries_col, ui.guarded("top partner countries"):
            st.markdown("**Top partner countries**")
            countries = query.top_countries(ctx.data, 10)
            st.dataframe(
                countries,
                hide_index=True,
                column_order=["name", "region", "events"],
                column_config={
                    "name": st.column_config.TextColumn("Country"),
                    "region": st.column_config.TextColumn("Region"),
                    "events": st.column_config.NumberColumn("Events", format="localized"),
                },
                width="stretch",
            )
