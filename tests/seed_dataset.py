"""The seed agenda (data/raw/agenda-2021-09-10.txt) labelled as in events.md, as a Dataset.

Hand-labelled so the query/chart/export tests pin behaviour on real entries without
depending on how well the parser and labellers do on them.
"""

from __future__ import annotations

from datetime import date

from intl_metrics.load import Dataset, events_frame
from intl_metrics.schema import Event, Place, Source, event_id

GEELONG = Place("Geelong", "city", "AU", -38.147, 144.361)

# (start, end, title, format, activity, themes, partners, countries, description)
SEED = [
    (
        (2021, 10, 13),
        (2021, 10, 15),
        "TIEF",
        "hybrid",
        "event",
        ("economy",),
        (),
        (),
        "The fifth edition of the Turin Islamic Economic Forum was broadcast live from OGR Torino.",
    ),
    (
        (2021, 10, 12),
        (2021, 10, 14),
        "Meeting of the UNESCO Creative Cities of Design",
        "virtual",
        "network",
        ("design",),
        (GEELONG,),
        ("AU",),
        "The City of Torino attended the meeting hosted virtually by Geelong.",
    ),
    (
        (2021, 10, 11),
        (2021, 10, 13),
        "CONNECTION workshop",
        "in-person",
        "project",
        ("migration",),
        (),
        (),
        "The City of Torino hosted the second workshop of its community of practice.",
    ),
    (
        (2021, 10, 6),
        (2021, 10, 6),
        "NUR project at Cinemambiente Festival",
        "hybrid",
        "project",
        ("energy", "culture"),
        (Place("Bethlehem", "city", "PS", 31.705, 35.204),),
        ("PS",),
        "Videos on energy saving were projected. The event was attended live also from Bethlehem.",
    ),
    (
        (2021, 10, 6),
        (2021, 10, 6),
        "Delegation from Wallonia",
        "in-person",
        "delegation",
        ("energy",),
        (Place("Wallonia", "region", "BE", 50.4, 4.7),),
        ("BE",),
        "The City of Torino welcomed a delegation of CENEO for an exchange on energy transition.",
    ),
    (
        (2021, 9, 30),
        (2021, 10, 1),
        "EUROCITIES Culture Forum",
        "virtual",
        "network",
        ("culture",),
        (Place("Tampere", "city", "FI", 61.499, 23.787),),
        ("FI",),
        "The City of Torino virtually attended the Culture Forum organized by the City of Tampere.",
    ),
    (
        (2021, 9, 23),
        (2021, 9, 23),
        "MOLOC final conference",
        "in-person",
        "project",
        ("energy", "urban"),
        (Place("Lille", "city", "FR", 50.634, 3.055),),
        ("FR",),
        "The partners of MOLOC gathered for the final meeting in Lille, lead partner.",
    ),
    (
        (2021, 9, 22),
        (2021, 9, 22),
        "Consul General of the Republic of Korea",
        "in-person",
        "diplomatic",
        ("institutional",),
        (),
        ("KR",),
        "The Deputy Mayor met the Consul General of the Republic of Korea in Milan.",
    ),
    (
        (2021, 9, 16),
        (2021, 9, 17),
        "Automotive Project seminar",
        "in-person",
        "project",
        ("design", "urban"),
        (
            Place("Saint-Étienne", "city", "FR", 45.434, 4.39),
            Place("Graz", "city", "AT", 47.067, 15.442),
            Place("Kortrijk", "city", "BE", 50.828, 3.265),
            Place("Detroit", "city", "US", 42.331, -83.046),
            GEELONG,
            Place("Puebla", "city", "MX", 19.048, -98.207),
        ),
        ("AT", "AU", "BE", "FR", "MX", "US"),
        "A seminar on the Automotive Project coordinated by the City of Saint Étienne.",
    ),
    (
        (2021, 9, 16),
        (2021, 9, 17),
        "CO4CITIES transnational seminar",
        "in-person",
        "project",
        ("urban",),
        (
            Place("Gdańsk", "city", "PL", 54.352, 18.649),
            Place("Cluj-Napoca", "city", "RO", 46.767, 23.6),
            Place("Budapest", "city", "HU", 47.498, 19.04),
        ),
        ("HU", "PL", "RO"),
        "The second transnational meeting of the CO4CITIES project hosted by the City of Gdańsk.",
    ),
    (
        (2021, 9, 9),
        (2021, 9, 9),
        "Cooperation Pact between Torino and Wenzhou",
        "in-person",
        "agreement",
        ("migration",),
        (Place("Wenzhou", "city", "CN", 27.999, 120.667),),
        ("CN",),
        "The City of Torino and the City of Wenzhou signed a Cooperation Pact.",
    ),
]


def seed_events() -> list[Event]:
    """The eleven worked examples of the seed page as Event records."""
    out = []
    for i, (s, e, title, fmt, act, themes, partners, countries, text) in enumerate(SEED):
        start, end = date(*s), date(*e)
        out.append(
            Event(
                id=event_id(start, title),
                start_date=start,
                end_date=end,
                title=title,
                description=text,
                language="en",
                format=fmt,
                activity=act,
                themes=themes,
                partners=partners,
                countries=countries,
                source=Source("agenda-2021-09-10.txt", i + 1),
            )
        )
    return out


def seed_dataset() -> Dataset:
    """The seed events as the dashboard's Dataset."""
    return Dataset(*events_frame(seed_events()), files=(), load_seconds=0.0)
