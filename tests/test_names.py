"""Organisations (curated names with aliases) and projects (general patterns)."""

from __future__ import annotations

import re

import pytest

from intl_metrics.enrich._cues import read_table
from intl_metrics.enrich.names import mentions, organisation_kind, organisations, projects

QUOTE = re.compile(r"(?<![\w])'(.+?)'(?=[,;:.)]|\s|$)")

# --- organisations ------------------------------------------------------------------------


def test_unesco_creative_cities_of_design_is_the_creative_cities_network() -> None:
    text = (
        "The City of Torino attended the meeting of the UNESCO Creative Cities of Design hosted "
        "virtually by Geelong."
    )
    assert organisations("Meeting of the UNESCO Creative Cities of Design", text) == (
        "UNESCO Creative Cities Network",
    )


def test_names_come_in_order_of_first_mention() -> None:
    text = (
        "More than 20 cities in Europe and North America met for the seventh session of the "
        "CDIA network, organized by the GMF."
    )
    assert organisations("Meeting of the CDIA network", text) == ("CDIA", "GMF")


def test_french_and_italian_names_give_the_canonical_name() -> None:
    fr = "a participé à la réunion annuelle du réseau des Cités interculturelles du Conseil de "
    fr += "l'Europe, organisée à Lisbonne."
    assert organisations("Réseau des Cités interculturelles", fr) == (
        "Intercultural Cities",
        "Council of Europe",
    )
    it = "ha partecipato alla cerimonia annuale del Patto dei Sindaci per il clima e l'energia."
    assert organisations("Cerimonia", it) == ("Covenant of Mayors",)


def test_a_short_acronym_counts_only_in_capitals() -> None:
    assert organisations("Meeting", "the seventh session, organized by the GMF.") == ("GMF",)
    assert organisations("Meeting", "un incontro con gmf e un sindaco") == ()


def test_kinds_say_which_names_are_networks() -> None:
    assert organisation_kind("EUROCITIES") == "network"
    assert organisation_kind("URBACT") == "programme"
    assert organisation_kind("UNESCO") == "organisation"


def _alias_rows() -> list[pytest.param]:
    return [
        pytest.param(row, id=f"row{n + 1}:{row['alias']}")
        for n, row in enumerate(read_table("organisations"))
    ]


@pytest.mark.parametrize("row", _alias_rows())
def test_every_alias_row_finds_its_organisation(row: dict[str, str]) -> None:
    """Each alias of organisations.csv, written in a sentence, gives its canonical name."""
    sentence = f"The City of Torino took part in the meeting of the {row['alias']} in Brussels."
    assert row["canonical"] in organisations("Meeting", sentence)
    if row["case"] == "exact" and row["alias"].lower() != row["alias"]:
        lower = f"the meeting of the {row['alias'].lower()} took place."
        assert row["canonical"] not in organisations("Meeting", lower)


def test_organisation_table_is_well_formed() -> None:
    for row in read_table("organisations"):
        assert row["kind"] in ("network", "organisation", "programme", "city_title"), row
        assert row["case"] in ("", "exact"), row


def test_a_city_title_names_the_network_but_is_no_network_mention() -> None:
    """'the French UNESCO Creative City of Design' is a city: reported, theme design."""
    text = "The Mayor opened the biennale of Saint-Étienne, UNESCO Creative City of Design."
    found = mentions("Biennale", text)
    assert [(m.canonical, m.kind, m.themes) for m in found] == [
        ("UNESCO Creative Cities Network", "city_title", ("design",))
    ]
    assert organisation_kind("UNESCO Creative Cities Network") == "network"


def test_an_unlisted_coalition_of_cities_is_a_network() -> None:
    text = (
        "Torino joined the annual assembly of the Global Alliance of Cities for Clean Air in "
        "Warsaw."
    )
    found = mentions("Clean air assembly", text)
    assert [(m.canonical, m.kind) for m in found] == [
        ("Global Alliance of Cities for Clean Air", "network")
    ]


def test_a_known_network_wins_over_the_general_pattern() -> None:
    text = "Torino attended the ceremony of the Covenant of Mayors for Climate and Energy."
    assert organisations("Ceremony", text) == ("Covenant of Mayors",)


def test_an_organisation_inside_a_network_name_stays_named() -> None:
    text = "The meeting of the OECD Champion Mayors for Fair Housing took place in Paris."
    assert organisations("Meeting", text) == ("OECD", "OECD Champion Mayors for Fair Housing")


def test_a_group_of_mayors_named_without_a_network_word_is_not_a_network() -> None:
    text = "The Mayors of Haifa and Nazareth were welcomed at Palazzo Civico."
    assert organisations("Visit", text) == ()


def _network_rows() -> list[pytest.param]:
    params = []
    for n, row in enumerate(read_table("network_names")):
        for m in QUOTE.finditer(row["notes"]):
            positive = not row["notes"][: m.start()].rstrip().endswith(("not", "not e.g."))
            params.append(pytest.param(row, m.group(1), positive, id=f"row{n + 1}:{m.group(1)}"))
    return params


def test_every_network_name_row_has_an_example() -> None:
    assert all(QUOTE.search(row["notes"]) for row in read_table("network_names"))


@pytest.mark.parametrize(("row", "example", "positive"), _network_rows())
def test_network_name_row_finds_its_example(
    row: dict[str, str], example: str, positive: bool
) -> None:
    """Each pattern of network_names.csv finds its example as a network (not the counter-one)."""
    assert (re.search(row["cue"], example) is not None) is positive
    kinds = {m.kind for m in mentions("", example)}
    assert ("network" in kinds) is positive


# --- projects -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "description", "expected"),
    [
        (
            "CONNECTION workshop",
            "The City of Torino hosted the second workshop of its community of practice in the "
            "frame of CONNECTION, the EU project funded by the Asylum, Migration and Integration "
            "Fund.",
            ("CONNECTION",),
        ),
        (
            "NUR project at Cinemambiente Festival",
            "During the Cinemambiente Festival 2021 some videos on energy saving were projected "
            "in the framework of the Italian-Palestinian project NUR.",
            ("NUR",),
        ),
        (
            "MOLOC final conference",
            "The partners of MOLOC gathered for the final meeting in Lille, lead partner of the "
            "project. MOLOC allowed Torino to use a low-carbon approach to the Master Plan.",
            ("MOLOC",),
        ),
        (
            "CO4CITIES transnational seminar",
            "The City of Torino joined the second transnational meeting of the CO4CITIES project "
            "hosted by the City of Gdańsk. The project aims to transfer to the 3 partner cities "
            "the good practices carried out in Torino thanks to the UIA Co-City project.",
            ("CO4CITIES", "Co-City"),
        ),
        (
            "Automotive Project seminar",
            "The City of Torino organized a seminar on the Automotive Project, the international "
            "initiative coordinated by the City of Saint Étienne.",
            ("Automotive Project",),
        ),
        (
            "Kick-off meeting of the SUNRISE project",
            "Torino hosted the kick-off meeting of SUNRISE, the Intelligent Energy Europe project "
            "on solar installations on public buildings.",
            ("SUNRISE",),
        ),
        (
            "Réunion du projet WARMHOMES à Tallinn",
            "Les partenaires du projet WARMHOMES se sont retrouvés à Tallinn. Ce projet du "
            "programme URBACT accompagne Tallinn, Cork, Varsovie et Turin.",
            ("WARMHOMES",),
        ),
        (
            "Conferenza finale del progetto HERITAGE-NEXT",
            "La conferenza finale di HERITAGE-NEXT, il progetto europeo dedicato al patrimonio "
            "industriale, si è svolta alle Officine Grandi Riparazioni.",
            ("HERITAGE-NEXT",),
        ),
        (
            "MENTOR-UP partners' video conference",
            "The partners of MENTOR-UP, the AMIF project on mentoring for unaccompanied foreign "
            "minors, met by video conference.",
            ("MENTOR-UP",),
        ),
    ],
)
def test_real_projects(title: str, description: str, expected: tuple[str, ...]) -> None:
    assert projects(title, description) == expected


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("EUROCITIES Culture Forum", "The Culture Forum organized by the EUROCITIES network."),
        ("Meeting of the CDIA network", "The seventh session of the CDIA network, by the GMF."),
        ("WARMHOMES", "Ce projet du programme URBACT accompagne Tallinn."),
        ("TIEF", "The fifth edition of the Turin Islamic Economic Forum."),
        ("Olympic Truce ceremony", "Before the XX Olympic Winter Games, a ceremony."),
        ("Local Climate Action Summit at COP28", "The summit of local leaders held during COP28."),
    ],
)
def test_networks_programmes_and_plain_acronyms_are_not_projects(
    title: str, description: str
) -> None:
    assert projects(title, description) == ()


def test_an_unseen_project_is_found_by_the_general_patterns() -> None:
    text = (
        "The partners of GREENLINK, a Horizon Europe project on nature-based solutions, held "
        "their steering committee online."
    )
    assert projects("GREENLINK steering committee", text) == ("GREENLINK",)


def test_a_quoted_project_name() -> None:
    text = 'The City presented the project "Torino Social Impact" to the delegation.'
    assert projects("Visit", text) == ("Torino Social Impact",)


def _word_rows() -> list[pytest.param]:
    return [
        pytest.param(row, id=f"row{n + 1}:{row['kind']}:{row['word']}")
        for n, row in enumerate(read_table("projects"))
        if row["kind"] in ("project_word", "meeting_word", "owner_word", "not_project")
    ]


@pytest.mark.parametrize("row", _word_rows())
def test_every_pattern_word_row_works(row: dict[str, str]) -> None:
    """project/meeting/owner words find a new name (ZEPHYR); not_project words are no name."""
    word, kind = row["word"], row["kind"]
    if kind == "project_word":
        assert projects("", f"the ZEPHYR {word} and the {word} ZEPHYR") == ("ZEPHYR",)
    elif kind == "meeting_word":
        assert projects("", f"The ZEPHYR {word} met in Lyon.") == ("ZEPHYR",)
    elif kind == "owner_word":
        of = {"en": "of", "fr": "de", "it": "di"}[row["language"]]
        assert projects("", f"The {word} {of} ZEPHYR met in Lyon.") == ("ZEPHYR",)
    else:
        assert projects("", f"the {word} project and the project {word}") == ()


def test_hostile_input_finishes() -> None:
    assert isinstance(projects("A" * 100_000, "CONNECTION, the " + "EU " * 200_000), tuple)
