"""Map: Torino as the hub, arcs to partner places; top partner cities and countries beside it."""

from __future__ import annotations

import state
import streamlit as st
import ui

from intl_metrics import charts, export, query
from intl_metrics.i18n import NP_

ctx = ui.context()
t = ctx.t
_ = t.gettext
ui.page_header(ctx, _("Partner map"))
MAP_FILE = NP_("file name", "partner-map")


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
            _(
                "None of the selected events names a partner place abroad, so there is "
                "nothing to draw. Widen the filters to see the map."
            ),
            icon=":material/travel_explore:",
        )
    else:
        # The map takes the page's width and the rankings sit under it, side by side: beside
        # a map, at 1280 px, their Events column was cut off.
        map_col = st.container()
        # what the map leaves out at scale ("arcs to the 40 most frequent partners"): said
        # under the heading and in the saved HTML, so nobody reads the arcs as every partner
        left_out = charts.map_note(len(places), t=t)
        note = " · ".join(x for x in (ctx.note, left_out) if x)
        heading = _("Partner places, {period}").format(period=ctx.period_text)
        with map_col, ui.guarded(_("map")):
            world = ui.world_layer_data()
            deck = ui.memo(
                ctx.data,
                f"deck {t.lang} {ctx.period_text} {world}",
                lambda: charts.partner_map(places, period=ctx.period_text, world=world, t=t),
            )
            with st.container(horizontal=True, gap="small", vertical_alignment="center"):
                st.markdown(f"**{ui.md_escape(heading)}**", width="stretch")
                with ui.guarded(_("download control")):
                    ui.download_menu(
                        _("the map"),
                        [
                            (
                                _("HTML (interactive)"),
                                lambda: export.deck_html(
                                    deck,
                                    title=heading,
                                    note=note,
                                    credit=ctx.credit(places=True),
                                ),
                                ctx.filename(MAP_FILE, "html"),
                                export.MIME_TYPES["html"],
                            ),
                            (
                                _("PNG (static)"),
                                lambda: export.deck_png(
                                    places,
                                    period=ctx.period_text,
                                    note=ctx.note,
                                    credit=ctx.credit(places=True),
                                    t=t,
                                ),
                                ctx.filename(MAP_FILE, "png"),
                                export.MIME_TYPES["png"],
                            ),
                        ],
                        key="partner-map",
                    )
            if left_out:
                # the map's subtitle: what it leaves out at scale
                st.markdown(f":gray[{ui.md_escape(left_out[:1].upper() + left_out[1:])}]")
            ui.theme_legend(places["leading_theme"].astype(str).unique(), t)
            st.caption(
                _(
                    "Each place is coloured by the theme most of its events have. Arcs join "
                    "Torino to partner places; arc width and dot size grow with the number of "
                    "events. Filled dots are cities, rings are regions or countries. Click a "
                    "place to filter to it; hover one to read its events (top right of the "
                    "map)."
                )
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
        with cities_col, ui.guarded(_("top partner cities")):
            st.markdown("**" + _("Top partner cities") + "**")
            # from the places the map has counted already
            cities = query.top_partner_cities(ctx.data, 10, places=places).assign(
                country_name=lambda d: [
                    t.country(c, n) for c, n in zip(d["country"], d["country_name"], strict=True)
                ],
                events=lambda d: [t.number(n) for n in d["events"].tolist()],
            )
            st.dataframe(
                cities,
                hide_index=True,
                column_order=["name", "country_name", "events"],
                column_config={
                    "name": st.column_config.TextColumn(_("City")),
                    "country_name": st.column_config.TextColumn(_("Country")),
                    # numbers written in the language ('1.234'), right-aligned as numbers
                    "events": st.column_config.TextColumn(_("Events"), alignment="right"),
                },
                width="stretch",
            )
        with countries_col, ui.guarded(_("top partner countries")):
            st.markdown("**" + _("Top partner countries") + "**")
            countries = query.top_countries(ctx.data, 10).assign(
                name=lambda d: [
                    t.country(c, n) for c, n in zip(d["country"], d["name"], strict=True)
                ],
                region=lambda d: [t.region(r) for r in d["region"]],
                events=lambda d: [t.number(n) for n in d["events"].tolist()],
            )
            st.dataframe(
                countries,
                hide_index=True,
                column_order=["name", "region", "events"],
                column_config={
                    "name": st.column_config.TextColumn(_("Country")),
                    "region": st.column_config.TextColumn(_("Region")),
                    "events": st.column_config.TextColumn(_("Events"), alignment="right"),
                },
                width="stretch",
            )
