"""Format labelling: in-person, virtual or hybrid, by the rules of events.md and format.csv."""

from __future__ import annotations

import re

import pytest

from intl_metrics.enrich._cues import fold_same_length, plain_same_length, read_table
from intl_metrics.enrich.format import event_format

# Examples quoted in the notes of a rule table: 'like this'. A quote after "not" shows
# what the rule must leave alone; "e.g." marks an example that is not in the corpus.
QUOTE = re.compile(r"(?<![\w])'(.+?)'(?=[,;:.)]|\s|$)")


def quoted(notes: str) -> list[tuple[str, bool]]:
    """(example, positive) pairs quoted in a notes cell."""
    out = []
    for m in QUOTE.finditer(notes):
        before = notes[: m.start()].rstrip()
        out.append((m.group(1), not before.endswith(("not", "not e.g."))))
    return out


LABEL = {"mixed": "hybrid", "broadcast": "hybrid", "remote": "virtual"}


@pytest.mark.parametrize(
    ("title", "description", "language", "expected"),
    [
        # The worked examples of events.md (seed file agenda-2021-09-10.txt).
        (
            "TIEF",
            "The fifth edition of the Turin Islamic Economic Forum, titled “Resolve and "
            "Resilience”, was broadcast live from OGR Torino. The event, organized by the City "
            "of Torino, the Torino Chamber of Commerce, the University of Torino and ASSAIF with "
            "the support of Turismo Torino e Provincia, gathered high-level experts in the field.",
            "en",
            "hybrid",
        ),
        (
            "Meeting of the UNESCO Creative Cities of Design",
            "The City of Torino attended the meeting of the UNESCO Creative Cities of Design "
            "hosted virtually by Geelong. The convening was the occasion to learn about the "
            "cities’ projects taking place across the network on the theme “reimagine, renew, "
            "regenerate”.",
            "en",
            "virtual",
        ),
        (
            "CONNECTION workshop",
            "The City of Torino hosted the second workshop of its community of practice in the "
            "frame of CONNECTION, the EU project funded by the Asylum, Migration and Integration "
            "Fund.",
            "en",
            "in-person",
        ),
        (
            "NUR project at Cinemambiente Festival",
            "During the Cinemambiente Festival 2021 some videos on energy saving were projected "
            "in the framework of the Italian-Palestinian project NUR. The event was attended "
            "live also from Bethlehem.",
            "en",
            "hybrid",
        ),
        (
            "Meeting of the CDIA network",
            "More than 20 cities in Europe and North America met for the seventh session of the "
            "CDIA network, organized by the GMF. The virtual meeting was attended by the Mayor's "
            "Cabinet International Affairs Department of the City of Torino.",
            "en",
            "virtual",
        ),
        # Dev corpus.
        (
            "EUROCITIES Social Affairs Forum",
            "The City of Torino hosted the spring session of the EUROCITIES Social Affairs Forum "
            "in the former Lingotto factory. The sessions were also streamed online for the "
            "members who could not travel to Torino.",
            "en",
            "hybrid",
        ),
        (
            "SOLARIS final conference",
            "The final conference of SOLARIS, the Horizon 2020 project on solar energy "
            "communities, took place at the Energy Center of the Politecnico di Torino and was "
            "broadcast online to the partners in Lyon, Tartu and Oradea.",
            "en",
            "hybrid",
        ),
        (
            "International Women's Day online talk",
            "On International Women's Day the International Affairs department organised an "
            "online talk with the mayors of Freetown, Montevideo and Bordeaux on gender equality "
            "in local government.",
            "en",
            "virtual",
        ),
        (
            "Réseau des Cités interculturelles",
            "L'adjointe au Maire chargée de l'Intégration a participé à la réunion annuelle du "
            "réseau des Cités interculturelles du Conseil de l'Europe, organisée à Lisbonne en "
            "présence et en ligne.",
            "fr",
            "hybrid",
        ),
        (
            "Webinaire des Villes apprenantes de l'UNESCO",
            "Le Service des relations internationales a suivi en ligne le webinaire du Réseau "
            "mondial des villes apprenantes de l'UNESCO consacré à l'éducation des adultes.",
            "fr",
            "virtual",
        ),
        (
            "Conferenza finale del progetto HERITAGE-NEXT",
            "La conferenza finale di HERITAGE-NEXT, il progetto europeo dedicato al patrimonio "
            "industriale, si è svolta alle Officine Grandi Riparazioni ed è stata trasmessa in "
            "streaming per i partner di Bilbao, Lione e Katowice.",
            "it",
            "hybrid",
        ),
        (
            "Protocollo d'intesa con Santiago - Cile",
            "Il Sindaco di Torino e la Sindaca di Santiago hanno firmato in videoconferenza un "
            "protocollo d'intesa sulle politiche per gli anziani e sulla salute di comunità.",
            "it",
            "virtual",
        ),
        (
            "Mission to Cordoba - Argentina",
            "A delegation of the City of Torino led by the Deputy Mayor in charge of "
            "International Relations travelled to Cordoba.",
            "en",
            "in-person",
        ),
    ],
)
def test_real_entries(title: str, description: str, language: str, expected: str) -> None:
    assert event_format(title, description, language) == expected


def test_streamed_online_is_hybrid_not_virtual() -> None:
    """'streamed online' speaks of the audience: the event had a venue."""
    text = "The forum took place at Palazzo Civico and was streamed online for the partners."
    assert event_format("Forum", text, "en") == "hybrid"


def test_a_webinar_broadcast_live_stays_virtual() -> None:
    assert event_format("Webinar on mobility", "The webinar was broadcast live.", "en") == (
        "virtual"
    )


def test_an_online_platform_does_not_make_a_meeting_virtual() -> None:
    text = "The Deputy Mayor presented the new online platform for migrants at the Town Hall."
    assert event_format("Launch", text, "en") == "in-person"


def test_italian_a_distanza_di_is_not_remote() -> None:
    text = "A distanza di dieci anni il Sindaco ha ricevuto a Palazzo Civico la delegazione."
    assert event_format("Delegazione", text, "it") == "in-person"


def test_hostile_input_finishes() -> None:
    assert event_format("x" * 1_000_000, "online " * 200_000, "en") in ("virtual", "in-person")


def _format_rows() -> list[pytest.param]:
    params = []
    for n, row in enumerate(read_table("format")):
        for example, positive in quoted(row["notes"]):
            params.append(pytest.param(row, example, positive, id=f"row{n + 1}:{example[:30]}"))
    return params


def test_every_rule_row_has_an_example() -> None:
    assert all(quoted(row["notes"]) for row in read_table("format"))


@pytest.mark.parametrize(("row", "example", "positive"), _format_rows())
def test_rule_row_matches_its_example(row: dict[str, str], example: str, positive: bool) -> None:
    """Each row of format.csv finds its own example (and leaves its counter-example alone)."""
    # Venue rows read the capitals (the place's name); the others the lower-cased text.
    text = plain_same_length(example) if row["rule"] == "venue" else fold_same_length(example)
    found = re.search(row["cue"], text) is not None
    assert found is positive
    if positive and row["rule"] in LABEL:
        language = row["language"] if row["language"] != "all" else "en"
        assert event_format("", example, language) == LABEL[row["rule"]]


def test_a_meeting_others_followed_by_video_is_hybrid() -> None:
    """A venue (the partners met in Lille) and other cities following remotely: hybrid."""
    text = (
        "The partners met in Lille to review the pilot actions; the City of Graz and the City "
        "of Kortrijk followed the meeting by video conference."
    )
    assert event_format("Steering committee", text, "en") == "hybrid"


def test_torino_following_a_meeting_by_video_stays_virtual() -> None:
    text = (
        "The partners met in Lille to review the pilot actions; the City of Torino followed the "
        "meeting by video conference."
    )
    assert event_format("Steering committee", text, "en") == "virtual"


def test_a_french_meeting_with_partners_in_visio_is_hybrid() -> None:
    text = (
        "Les partenaires se sont réunis à Grenoble pour le comité technique ; la Ville de "
        "Genève a suivi la réunion en visioconférence."
    )
    assert event_format("Comité technique", text, "fr") == "hybrid"


def test_meeting_on_an_online_platform_is_virtual() -> None:
    text = "The partner cities met on the online platform of the programme to compare their plans."
    assert event_format("Transnational meeting", text, "en") == "virtual"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The forum was held in presence at the Lingotto and online.", "en"),
        ("La rencontre s'est tenue en présence à Lille et en ligne.", "fr"),
        ("L'assemblea si è svolta in presenza a Lione e online.", "it"),
    ],
)
def test_in_presence_somewhere_and_online_is_hybrid(text: str, lang: str) -> None:
    # own examples: a venue named between "in presence" and "online"
    assert event_format("Assembly", text, lang) == "hybrid"


def test_an_online_kick_off_meeting_is_virtual() -> None:
    text = "The online kick-off meeting of the project gathered six partners."
    assert event_format("Kick-off", text, "en") == "virtual"
