"""Entry -> Event: every labelling step, each in its own module, applied in order."""

from __future__ import annotations

from intl_metrics.enrich.activity import event_activity
from intl_metrics.enrich.format import event_format
from intl_metrics.enrich.names import organisations, projects
from intl_metrics.enrich.places import Gazetteer
from intl_metrics.enrich.themes import event_themes
from intl_metrics.schema import Entry, Event, event_id

__all__ = ["enrich", "enrich_all"]


def enrich(entry: Entry, gazetteer: Gazetteer | None = None) -> Event:
    """Label one parsed entry: format, activity, themes, partners, countries, names."""
    gaz = gazetteer or Gazetteer.default()
    title, text, lang = entry.title, entry.description, entry.language
    partners, countries = gaz.find_partners(title, text, lang)
    orgs = organisations(title, text)
    projs = projects(title, text)
    return Event(
        id=event_id(entry.start_date, title),
        start_date=entry.start_date,
        end_date=entry.end_date,
        title=title,
        description=text,
        language=lang,
        format=event_format(title, text, lang),
        activity=event_activity(
            title,
            text,
            lang,
            partners=partners,
            countries=countries,
            organisations=orgs,
            projects=projs,
        ),
        themes=event_themes(title, text, lang),
        partners=tuple(partners),
        countries=tuple(countries),
        organisations=orgs,
        projects=projs,
        source=entry.source,
    )


def enrich_all(entries: list[Entry], gazetteer: Gazetteer | None = None) -> list[Event]:
    """Label many entries with one gazetteer."""
    gaz = gazetteer or Gazetteer.default()
    return [enrich(e, gaz) for e in entries]
