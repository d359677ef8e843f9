"""Entry -> Event: every labelling step, each in its own module, applied in order."""

from __future__ import annotations

from intl_metrics.enrich._cues import Doc
from intl_metrics.enrich.activity import doc_activity
from intl_metrics.enrich.format import doc_format
from intl_metrics.enrich.gazetteer import Gazetteer
from intl_metrics.enrich.names import doc_organisations, doc_projects
from intl_metrics.enrich.places import PlaceReader
from intl_metrics.enrich.themes import doc_themes
from intl_metrics.schema import Entry, Event, event_id

__all__ = ["enrich", "enrich_all"]


def enrich(entry: Entry, gazetteer: Gazetteer | None = None) -> Event:
    """Label one parsed entry: format, activity, themes, partners, countries, names."""
    gaz = gazetteer or Gazetteer.default()
    title, text, lang = entry.title, entry.description, entry.language
    partners, countries = PlaceReader.of(gaz).find_partners(title, text, lang)
    doc = Doc(title, text)  # read once, by every labeller
    orgs = doc_organisations(doc)
    projs = doc_projects(doc)
    return Event(
        id=event_id(entry.start_date, title),
        start_date=entry.start_date,
        end_date=entry.end_date,
        title=title,
        description=text,
        language=lang,
        format=doc_format(doc, lang),
        activity=doc_activity(
            doc,
            lang,
            partners=partners,
            countries=countries,
            organisations=orgs,
            projects=projs,
        ),
        themes=doc_themes(doc, lang),
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
