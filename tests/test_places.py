"""Partners and countries: the offline gazetteer and the rules of events.md.

Sentences come from the seed page (data/raw/agenda-2021-09-10.txt) and the dev corpus
(shared/data/dev); a few marked "own example" test a rule the corpus has no sentence for.
"""

from __future__ import annotations

import csv
import io
import random
import time

import pytest

from intl_metrics.enrich.gazetteer import (
    GAZETTEER_DIR,
    Gazetteer,
    country_centroid,
    country_name,
    world_region,
)
from intl_metrics.enrich.places import PlaceReader, find_partners


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def partners(gaz: Gazetteer, title: str, text: str = "", lang: str = "en") -> list[tuple]:
    places, _ = find_partners(title, text, lang, gaz)
    return [(p.name, p.kind, p.country) for p in places]


def countries(gaz: Gazetteer, title: str, text: str = "", lang: str = "en") -> list[str]:
    return find_partners(title, text, lang, gaz)[1]


# --- the worked examples of events.md (seed page) ---------------------------------------------


def test_a_virtual_network_meeting_hosted_by_geelong_gives_geelong_au(gaz: Gazetteer) -> None:
    title = "Meeting of the UNESCO Creative Cities of Design"
    text = (
        "The City of Torino attended the meeting of the UNESCO Creative Cities of Design "
        "hosted virtually by Geelong."
    )
    assert partners(gaz, title, text) == [("Geelong", "city", "AU")]
    assert countries(gaz, title, text) == ["AU"]


def test_a_delegation_from_wallonia_gives_region_wallonia_in_be(gaz: Gazetteer) -> None:
    title = "Delegation from Wallonia"
    text = (
        "The City of Torino welcomed a delegation of CENEO, the association gathering the "
        "municipalities from Wallonia, for an exchange on energy transition."
    )
    assert partners(gaz, title, text) == [("Wallonia", "region", "BE")]
    assert countries(gaz, title, text) == ["BE"]


def test_the_korean_consul_in_milan_gives_no_partner_and_country_kr(gaz: Gazetteer) -> None:
    title = "Consul General of the Republic of Korea"
    text = (
        "The Deputy Mayor in charge of Public Budget of the City of Torino Sergio Rolando met "
        "the Consul General of the Republic of Korea in Milan Kang Hyung Shik."
    )
    assert partners(gaz, title, text) == []
    assert countries(gaz, title, text) == ["KR"]


def test_the_automotive_project_lists_six_partner_cities_in_order(gaz: Gazetteer) -> None:
    text = (
        "The City of Torino, in the frame of Torino Design of the City and of the European "
        "Mobility Week organized a seminar on the Automotive Project, the international "
        "initiative coordinated by the City of Saint Étienne and involving Torino, Graz, "
        "Kortrijk, Detroit, Geelong and Puebla."
    )
    assert partners(gaz, "Automotive Project seminar", text) == [
        ("Saint-Étienne", "city", "FR"),
        ("Graz", "city", "AT"),
        ("Kortrijk", "city", "BE"),
        ("Detroit", "city", "US"),
        ("Geelong", "city", "AU"),
        ("Puebla", "city", "MX"),
    ]
    assert countries(gaz, "Automotive Project seminar", text) == [
        "AT", "AU", "BE", "FR", "MX", "US",
    ]  # fmt: skip


def test_the_wenzhou_pact_gives_wenzhou_and_zhejiang_only_locates_it(gaz: Gazetteer) -> None:
    title = "Cooperation Pact between Torino and Wenzhou"
    text = (
        "The City of Torino and the City of Wenzhou signed a Cooperation Pact. The Chinese "
        "municipality, located in the Zhejiang province, is the native area of around 90% of "
        "the Chinese migrants living in Torino."
    )
    assert partners(gaz, title, text) == [("Wenzhou", "city", "CN")]
    assert countries(gaz, title, text) == ["CN"]


def test_the_us_consul_in_milan_is_no_partner_and_his_name_is_no_city(gaz: Gazetteer) -> None:
    text = (
        "The Mayor of the City of Torino Chiara Appendino and the Deputy Mayor in charge of "
        "Commerce, Labour and Tourism Alberto Sacco met the US Consul General in Milan "
        "Robert Needham."
    )
    assert partners(gaz, "Consul General of the United States", text) == []
    assert countries(gaz, "Consul General of the United States", text) == ["US"]


def test_an_italian_palestinian_project_followed_from_bethlehem_gives_ps(gaz: Gazetteer) -> None:
    text = (
        "During the Cinemambiente Festival 2021 some videos on energy saving were projected in "
        "the framework of the Italian-Palestinian project NUR. The event was attended live "
        "also from Bethlehem."
    )
    assert partners(gaz, "NUR project at Cinemambiente Festival", text) == [
        ("Bethlehem", "city", "PS")
    ]
    assert countries(gaz, "NUR project at Cinemambiente Festival", text) == ["PS"]


def test_continents_are_not_countries(gaz: Gazetteer) -> None:
    text = "More than 20 cities in Europe and North America met for the seventh session."
    assert find_partners("Meeting of the CDIA network", text, "en", gaz) == ([], [])


# --- exonyms, accents and other languages (dev03, dev04, dev09) -------------------------------


@pytest.mark.parametrize(
    ("title", "text", "lang", "expected"),
    [
        (
            "Conferenza finale del progetto HERITAGE-NEXT",
            "La conferenza è stata trasmessa in streaming per i partner di Bilbao, Lione e "
            "Katowice.",
            "it",
            [("Bilbao", "city", "ES"), ("Lyon", "city", "FR"), ("Katowice", "city", "PL")],
        ),
        (
            "Delegazione da Monaco di Baviera",
            "Il Vicesindaco ha ricevuto una delegazione del Comune di Monaco di Baviera.",
            "it",
            [("Munich", "city", "DE")],
        ),
        (
            "Mission à Pékin - Chine",
            "La Ville de Turin a participé à Pékin au Forum des villes sino-italiennes.",
            "fr",
            [("Beijing", "city", "CN")],
        ),
        (
            "Missione a Cracovia - Polonia",
            "Una delegazione della Città di Torino si è recata a Cracovia.",
            "it",
            [("Kraków", "city", "PL")],
        ),
        (
            "Réunion du projet WARMHOMES à Tallinn",
            "Ce projet accompagne Tallinn, Cork, Varsovie et Turin dans la rénovation.",
            "fr",
            [("Tallinn", "city", "EE"), ("Cork", "city", "IE"), ("Warsaw", "city", "PL")],
        ),
    ],
)
def test_exonyms_resolve_to_the_gazetteer_city(
    gaz: Gazetteer, title: str, text: str, lang: str, expected: list[tuple]
) -> None:
    assert partners(gaz, title, text, lang) == expected


def test_lookup_understands_exonyms_and_accents(gaz: Gazetteer) -> None:
    assert gaz.lookup("Lione").name == "Lyon"
    assert gaz.lookup("Monaco di Baviera").name == "Munich"
    assert gaz.lookup("Pékin").name == "Beijing"
    assert gaz.lookup("Torino") == gaz.lookup("Turin")
    assert gaz.lookup("Saint Etienne", "FR").name == "Saint-Étienne"
    assert gaz.lookup("Wallonia").kind == "region"
    assert gaz.lookup("Bethlehem", "PS").country == "PS"
    assert gaz.lookup("Nowhereville Xyz") is None


def test_same_city_ignores_spelling_but_not_the_country(gaz: Gazetteer) -> None:
    assert gaz.same_city("Lione", "FR", "Lyon", "FR")
    assert gaz.same_city("Bruxelles", "BE", "Brussels", "BE")
    assert gaz.same_city("Monaco di Baviera", "DE", "Munich", "DE")
    assert gaz.same_city("Timișoara", "RO", "Timisoara", "RO")
    assert not gaz.same_city("Valencia", "ES", "Valencia", "VE")
    assert not gaz.same_city("Lyon", "FR", "Lille", "FR")


# --- ambiguous names: the country written next to them, then the context ----------------------


@pytest.mark.parametrize(
    ("title", "text", "lang", "expected"),
    [
        ("Mission to Cordoba - Argentina", "A delegation travelled to Cordoba.", "en", "AR"),
        (
            "Covenant of Mayors webinar on energy poverty",
            "The City of Torino presented its experience together with Valencia (Spain).",
            "en",
            "ES",
        ),
        (
            "Delegation from Valencia - Venezuela",
            "A delegation of the Municipality of Valencia, capital of the state of Carabobo.",
            "en",
            "VE",
        ),
        (
            "Delegation from Alexandria, Virginia - USA",
            "A delegation of the City of Alexandria was welcomed.",
            "en",
            "US",
        ),
        (
            "Memorandum of understanding with Alexandria - Egypt",
            "The City of Torino and the City of Alexandria signed a memorandum.",
            "en",
            "EG",
        ),
        (
            "Délégation de Tripoli",
            "La Ville de Turin a reçu une délégation de la Municipalité de Tripoli, au nord du "
            "Liban.",
            "fr",
            "LB",
        ),
        ("Delegation from Tripoli - Libya", "A delegation of Tripoli visited.", "en", "LY"),
        (
            "Friendship agreement with Victoria - Canada",
            "The Mayor of Torino and the Mayor of Victoria, British Columbia, signed.",
            "en",
            "CA",
        ),
        (
            "Delegation from Bethlehem",
            "The Deputy Mayor welcomed a delegation of the Municipality of Bethlehem to review "
            "the decentralised cooperation programme between the two cities.",
            "en",
            "PS",
        ),
        ("Protocollo d'intesa con Santiago - Cile", "La Sindaca di Santiago.", "it", "CL"),
    ],
)
def test_ambiguous_names_follow_the_country_the_text_gives(
    gaz: Gazetteer, title: str, text: str, lang: str, expected: str
) -> None:
    found = partners(gaz, title, text, lang)
    assert [p[2] for p in found if p[1] == "city"] == [expected]
    assert countries(gaz, title, text, lang) == [expected]


# --- places that are not partners -------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "text", "lang", "country"),
    [
        (
            "Consul général de Suisse",
            "Le Maire de Turin a reçu en visite de courtoisie le Consul général de Suisse à Milan.",
            "fr",
            "CH",
        ),
        (
            "Console Generale del Brasile",
            "L'Assessora ha incontrato il Console Generale del Brasile a Milano. Al centro del "
            "colloquio la comunità brasiliana residente a Torino.",
            "it",
            "BR",
        ),
        (
            "Ambassador of India",
            "The Deputy Mayor met the Ambassador of India to Italy, accompanied by "
            "representatives of the Indian Chamber of Commerce in Milan.",
            "en",
            "IN",
        ),
        (
            "Consul General of Morocco",
            "The Deputy Mayor met by video call the Consul General of the Kingdom of Morocco in "
            "Milan, to discuss the needs of the Moroccan community living in Torino.",
            "en",
            "MA",
        ),
    ],
)
def test_the_seat_of_a_consulate_or_chamber_is_no_partner(
    gaz: Gazetteer, title: str, text: str, lang: str, country: str
) -> None:
    assert find_partners(title, text, lang, gaz) == ([], [country])


def test_a_city_compared_in_passing_counts_for_nothing(gaz: Gazetteer) -> None:
    text = (
        "The City of Torino joined the online edition of the annual summit of the World Union "
        "of Olympic Cities and presented the reuse of its 2006 Olympic venues, a model often "
        "compared with that of Calgary after 1988."
    )
    assert find_partners("World Union of Olympic Cities online summit", text, "en", gaz) == (
        [],
        [],
    )
    text = (
        "The Deputy Mayor in charge of Sport visited Melbourne, a field in which the "
        "Australian city is often compared with Sydney."
    )
    assert partners(gaz, "Mission to Melbourne - Australia", text) == [("Melbourne", "city", "AU")]


def test_the_milano_cortina_games_are_no_partner(gaz: Gazetteer) -> None:
    text = (
        "Lo staff ha partecipato a Lillehammer al summit annuale dell'Unione Mondiale delle "
        "Città Olimpiche, in vista dei Giochi di Milano Cortina 2026."
    )
    title = "Summit dell'Unione Mondiale delle Città Olimpiche"
    assert find_partners(title, text, "it", gaz) == (
        [gaz.lookup("Lillehammer", "NO")],
        ["NO"],
    )


def test_torino_its_districts_and_things_named_after_it_are_never_partners(
    gaz: Gazetteer,
) -> None:
    text = (
        "The City of Torino hosted the forum in the former Lingotto factory; the Politecnico di "
        "Torino and the Torino Film Festival took part, in Piazza Castello and Porta Palazzo."
    )
    assert find_partners("EUROCITIES Social Affairs Forum", text, "en", gaz) == ([], [])


def test_an_italian_partner_city_is_a_partner_but_italy_no_country(gaz: Gazetteer) -> None:
    text = (
        "The partners of NEWROOTS met online for the kick-off meeting hosted by the City of "
        "Thessaloniki. Besides Torino, the partnership includes Malmö, Utrecht, Tampere and Bari."
    )
    found = partners(gaz, "NEWROOTS project kick-off meeting", text)
    assert found[-1] == ("Bari", "city", "IT")
    assert [p[0] for p in found] == ["Thessaloníki", "Malmö", "Utrecht", "Tampere", "Bari"]
    assert countries(gaz, "NEWROOTS project kick-off meeting", text) == ["FI", "GR", "NL", "SE"]


def test_an_instrument_named_after_a_city_is_no_partner(gaz: Gazetteer) -> None:
    # own example
    text = "Torino presented its climate plan at the Paris Agreement conference held in Bonn."
    assert partners(gaz, "Climate conference", text) == [("Bonn", "city", "DE")]
    assert countries(gaz, "Climate conference", text) == ["DE"]


def test_capital_of_culture_is_a_title_not_a_place(gaz: Gazetteer) -> None:
    text = (
        "Three light installations of Torino's Luci d'Artista were shown in the old town of "
        "Plovdiv, European Capital of Culture 2019."
    )
    assert partners(gaz, "Luci d'Artista in Plovdiv", text) == [("Plovdiv", "city", "BG")]


# --- regions ------------------------------------------------------------------------------------


def test_a_region_with_no_city_named_is_the_partner(gaz: Gazetteer) -> None:
    text = (
        "A delegation of the Gyeonggi Provincial Government visited the Environment Park and "
        "the Politecnico di Torino."
    )
    assert partners(gaz, "Delegation from Gyeonggi Province - Korea", text) == [
        ("Gyeonggi", "region", "KR")
    ]


@pytest.mark.parametrize(
    ("title", "text", "city", "country"),
    [
        (
            "Mission to Belo Horizonte - Brazil",
            "A delegation visited Belo Horizonte, capital of the State of Minas Gerais.",
            "Belo Horizonte",
            "BR",
        ),
        (
            "Friendship agreement with Rosario - Argentina",
            "The Mayor of Torino and the Mayor of Rosario signed a friendship agreement that "
            "recognises the bonds created by Piedmontese emigration to the province of Santa Fe.",
            "Rosario",
            "AR",
        ),
        (
            "Delegation from Valencia - Venezuela",
            "A delegation of the Municipality of Valencia, capital of the state of Carabobo.",
            "Valencia",
            "VE",
        ),
    ],
)
def test_a_region_that_locates_a_named_city_only_gives_the_country(
    gaz: Gazetteer, title: str, text: str, city: str, country: str
) -> None:
    assert partners(gaz, title, text) == [(city, "city", country)]
    assert countries(gaz, title, text) == [country]


def test_a_name_read_as_a_region_once_is_the_region_throughout(gaz: Gazetteer) -> None:
    # own example
    text = "A delegation of the Province of Santa Fe, Argentina, met the Piedmontese associations."
    assert partners(gaz, "Delegation from Santa Fe", text) == [
        ("Santa Fe (province)", "region", "AR")
    ]


# --- countries from names, demonyms and adjectives ----------------------------------------------


@pytest.mark.parametrize(
    ("title", "text", "lang", "expected"),
    [
        ("Ambassador of Japan", "The Mayor received the Ambassador of Japan to Italy.", "en", "JP"),
        (
            "Video conference with the Ambassador of Canada",
            "Research partnerships between the universities of Torino and Canadian universities.",
            "en",
            "CA",
        ),
        (
            "Integration policies",
            "The talks concerned the Senegalese community living in Torino.",
            "en",
            "SN",
        ),
        (
            "Semaine du cinéma",
            "Une délégation a rencontré les professionnels du cinéma sénégalais.",
            "fr",
            "SN",
        ),
        (
            "Missione",
            "Presentare agli operatori turistici polacchi l'offerta culturale di Torino.",
            "it",
            "PL",
        ),
        ("Forum", "Le Forum des villes sino-italiennes.", "fr", "CN"),
        ("Visit", "The Mayor met Argentinean entrepreneurs.", "en", "AR"),
    ],
)
def test_a_country_named_or_implied_without_a_city_is_in_countries(
    gaz: Gazetteer, title: str, text: str, lang: str, expected: str
) -> None:
    assert find_partners(title, text, lang, gaz) == ([], [expected])


def test_italy_is_never_a_country(gaz: Gazetteer) -> None:
    text = (
        "Torino, first capital of the Kingdom of Italy, celebrated the 150th anniversary of "
        "national unification; the Italian Pavilion, the visit to Italy."
    )
    assert find_partners("150th Anniversary of the Unification of Italy", text, "en", gaz) == (
        [],
        [],
    )


def test_a_delegation_from_a_country_with_no_city_has_the_country_as_partner(
    gaz: Gazetteer,
) -> None:
    found, codes = find_partners("Delegation from Rumania", "", "en", gaz)
    assert [(p.name, p.kind, p.country) for p in found] == [("Romania", "country", "RO")]
    assert (found[0].lat, found[0].lon) == country_centroid("RO")
    assert codes == ["RO"]


# --- ordinary words that are also city names ----------------------------------------------------


def test_ordinary_words_are_not_cities(gaz: Gazetteer) -> None:
    assert countries(gaz, "Olympic Truce ceremony", "The City hosted a ceremony.") == []
    assert countries(gaz, "Réunion du projet WARMHOMES", "Les partenaires.", "fr") == []
    text = "During Europe Day the City of Torino opened the Town Hall to citizens."
    assert find_partners("Europe Day", text, "en", gaz) == ([], [])
    # "More" is an alternate name of Mori, Japan: not at the start of a sentence.
    text = "More than 40 cities of the subnetwork gathered in Asahikawa, Japan."
    assert partners(gaz, "UNESCO Creative Cities of Design annual meeting", text) == [
        ("Asahikawa", "city", "JP")
    ]


def test_an_ordinary_word_is_a_city_after_a_place_cue(gaz: Gazetteer) -> None:
    # own examples: Nice and Split are English words, Mobile is a US city
    text = "The Mayor welcomed a delegation from the City of Nice."
    assert partners(gaz, "Delegation", text) == [("Nice", "city", "FR")]
    text = "The City of Torino took part in the EUROCITIES Annual General Meeting in Split."
    assert partners(gaz, "EUROCITIES AGM", text) == [("Split", "city", "HR")]
    text = "Torino joined the Mobile Learning Week with Cork and Limerick."
    assert partners(gaz, "Mobile Learning Week", text) == [
        ("Cork", "city", "IE"),
        ("Limerick", "city", "IE"),
    ]


def test_given_names_months_and_initials_are_not_cities(gaz: Gazetteer) -> None:
    # own examples
    text = "Sofia Rossi, in charge of the programme since March 2021, spoke with D. E. Shaw."
    assert find_partners("Conference", text, "en", gaz) == ([], [])
    text = "The cities of Freiburg, Murcia and Sofia discussed the work plan."  # dev06
    assert [p[0] for p in partners(gaz, "SUNRISE", text)] == ["Freiburg", "Murcia", "Sofia"]


def test_a_capital_at_the_start_of_a_sentence_is_not_a_name(gaz: Gazetteer) -> None:
    # own example
    text = "The Lyon delegation met the U.S.A. Consul General."
    assert partners(gaz, "Visit", text) == [("Lyon", "city", "FR")]
    assert countries(gaz, "Visit", text) == ["FR", "US"]


def test_torino_institutions_named_after_places_are_not_partners(gaz: Gazetteer) -> None:
    # own example: Torino's foundation and railway station
    text = "The project is funded by the Compagnia di San Paolo; the guests arrived at Porta Susa."
    assert find_partners("Visit", text, "en", gaz) == ([], [])


# --- country helpers ------------------------------------------------------------------------------


def test_country_names_are_short_common_names() -> None:
    assert country_name("KR") == "South Korea"
    assert country_name("US") == "United States"
    assert country_name("PS") == "Palestine"
    assert country_name("GB") == "United Kingdom"
    assert country_name("FR") == "France"


def test_world_regions_are_continents() -> None:
    assert world_region("FR") == "Europe"
    assert world_region("KR") == "Asia"
    assert world_region("SN") == "Africa"
    assert world_region("MX") == "North America"
    assert world_region("AR") == "South America"
    assert world_region("AU") == "Oceania"
    assert world_region("ZZ") == "Other"


def test_country_centroid_is_a_point_of_the_country() -> None:
    lat, lon = country_centroid("JP")
    assert 30 < lat < 46 and 129 < lon < 146
    lat, lon = country_centroid("AR")
    assert -56 < lat < -21 and -74 < lon < -53


# --- the data files and robustness --------------------------------------------------------------


def test_every_curated_table_parses_and_has_a_notes_column() -> None:
    for path in sorted(GAZETTEER_DIR.glob("*.csv")):
        lines = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
        assert rows, path.name
        assert "notes" in rows[0], path.name
        for row in rows:
            assert None not in row and None not in row.values(), (path.name, row)


def test_regions_have_a_country_a_reading_and_coordinates() -> None:
    lines = (GAZETTEER_DIR / "regions.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    for row in rows:
        assert len(row["country"]) == 2 and row["country"].isupper(), row
        assert row["prefer"] in ("region", "city"), row
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row


def test_hostile_input_finishes_quickly(gaz: Gazetteer) -> None:
    rng = random.Random(7)
    junk = rng.randbytes(1_000_000).decode("latin-1")
    line = "Paris, Lyon and Nice of the Mayor of Torino " * 25_000
    start = time.perf_counter()
    find_partners(junk[:200], junk, "en", gaz)
    found, codes = find_partners("x", line, "en", gaz)
    assert time.perf_counter() - start < 5
    assert codes == ["FR"]
    assert [p.name for p in found] == ["Paris", "Lyon", "Nice"]


# --- names of organisations, festivals and routes (held-out check; own sentences) -------------


def test_a_city_inside_a_university_name_is_its_seat_and_university_is_no_city(
    gaz: Gazetteer,
) -> None:
    # own example in the spirit of "the City of Detroit and of Wayne State University"
    text = (
        "The Deputy Mayor welcomed representatives of the City of Akron and of Kent State "
        "University."
    )
    assert partners(gaz, "Delegation from Akron", text) == [("Akron", "city", "US")]
    assert countries(gaz, "Delegation from Akron", text) == ["US"]
    # "University of X": the seat of the university counts as a country, not as a partner
    text = "The Rector of the University of Lyon met the Politecnico di Torino."
    assert find_partners("Visit of the University of Lyon", text, "en", gaz) == ([], ["FR"])


def test_a_city_in_a_festival_name_is_a_passing_mention_unless_torino_was_there(
    gaz: Gazetteer,
) -> None:
    # own example in the spirit of "a documentary awarded at the Locarno Film Festival"
    text = (
        "The evening opened with a short film that won a prize at the Berlin Film Festival, "
        "followed by a concert of a choir from Tbilisi."
    )
    assert partners(gaz, "Evening of Georgian culture", text) == [("Tbilisi", "city", "GE")]
    assert countries(gaz, "Evening of Georgian culture", text) == ["GE"]
    # Torino at the festival: a presence cue in the text, or the festival named in the title
    text = "The Torino Film Commission took part in the Cannes Film Festival with six productions."
    assert partners(gaz, "Cinema", text) == [("Cannes", "city", "FR")]
    title = "Torino Film Commission at the Berlin Film Festival"
    assert partners(gaz, title, "The Film Commission met producers.") == [("Berlin", "city", "DE")]


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        (
            "Legacy of the Games",  # own example in the spirit of "as the 1992 Games had ..."
            "The new riverside park changed the face of the district, just as the 2004 Forum "
            "had transformed that of Barcelona.",
            "en",
        ),
        (
            "Urban regeneration",
            "Torino wants to reopen its canals like Utrecht and to turn its port into a museum "
            "quarter as Bilbao did.",
            "en",
        ),
        (
            "Rigenerazione urbana",
            "Torino vuole un lungofiume come Lione, sul modello di Bilbao.",
            "it",
        ),
        (
            "Régénération urbaine",
            "La Ville veut transformer ses berges sur le modèle de Bordeaux.",
            "fr",
        ),
    ],
)
def test_a_city_named_in_a_comparison_counts_for_nothing(
    gaz: Gazetteer, title: str, text: str, lang: str
) -> None:
    assert find_partners(title, text, lang, gaz) == ([], [])


def test_lists_of_examples_are_not_comparisons(gaz: Gazetteer) -> None:
    # own examples: "cities like", "as well as", and a comparison that ends at a comma
    text = "Cities like Lyon and Grenoble joined the network, as well as Nantes."
    assert [p[0] for p in partners(gaz, "Network meeting", text)] == ["Lyon", "Grenoble", "Nantes"]
    text = "The plan follows the example of Medellín, with partners such as Lyon."
    assert partners(gaz, "Urban forum", text) == [("Lyon", "city", "FR")]
    assert countries(gaz, "Urban forum", text) == ["FR"]
    text = "A model often compared with Sydney, Buenos Aires and Lima, presented in Lyon."
    assert partners(gaz, "Olympic summit", text) == [("Lyon", "city", "FR")]
    assert countries(gaz, "Olympic summit", text) == ["FR"]


def test_a_city_on_a_route_to_torino_is_no_partner_and_the_region_is(gaz: Gazetteer) -> None:
    # own example in the spirit of "the new Torino-Lyon railway line"
    title = "Delegation from Auvergne-Rhône-Alpes"
    text = (
        "The President of the Auvergne-Rhône-Alpes Regional Council met the Mayor to discuss "
        "the Lyon-Torino high-speed railway."
    )
    assert partners(gaz, title, text) == [("Auvergne-Rhône-Alpes", "region", "FR")]
    assert countries(gaz, title, text) == ["FR"]
    # the route's name in the title is the route too; its country still counts
    text = "The Mayor discussed the works on the Lyon-Torino high-speed railway."
    assert find_partners("Lyon-Torino", text, "en", gaz) == ([], ["FR"])
    # a compound that names no route: the twinning is with Lyon
    text = "The Torino-Lyon twinning was celebrated in Lyon with the two Mayors."
    assert partners(gaz, "Twinning anniversary", text) == [("Lyon", "city", "FR")]


# --- countries that need their article, exonyms by language (held-out check) -----------------


def test_a_bare_salvador_is_the_brazilian_city_not_el_salvador(gaz: Gazetteer) -> None:
    # own example in the spirit of "Mission to Salvador de Bahia (Brazil)"
    title = "Mission to Salvador da Bahia - Brazil"
    text = "The Deputy Mayor travelled to Salvador, twinned with Torino, to open a cultural centre."
    assert partners(gaz, title, text) == [("Salvador", "city", "BR")]
    assert countries(gaz, title, text) == ["BR"]
    assert gaz.lookup("Salvador de Bahia") == gaz.lookup("Salvador", "BR")
    text = "The Mayor received the Ambassador of El Salvador."
    assert countries(gaz, "Ambassador of El Salvador", text) == ["SV"]


@pytest.mark.parametrize(
    ("title", "text", "lang", "expected"),
    [
        (
            "Delegazione da Colonia",  # own example in the spirit of the held-out check
            "Il Sindaco ha ricevuto una delegazione della Città di Colonia, gemellata con Torino.",
            "it",
            ("Köln", "DE"),
        ),
        (
            "Delegazione da Monaco",
            "Il Vicesindaco ha ricevuto una delegazione del Comune di Monaco, capoluogo della "
            "Baviera.",
            "it",
            ("Munich", "DE"),
        ),
        (
            "Visita a Monaco",
            "La Sindaca ha incontrato a Monaco il Principe Alberto.",
            "it",
            ("Monaco", "MC"),
        ),
        (
            "Conferenza all'Aia",
            "La Sindaca è intervenuta all'Aia alla conferenza sul clima.",
            "it",
            ("The Hague", "NL"),
        ),
        ("Conférence à La Haye", "Le Maire est intervenu à La Haye.", "fr", ("The Hague", "NL")),
        ("Mission à Cologne", "Le Maire s'est rendu à Cologne.", "fr", ("Köln", "DE")),
        (
            "Délégation de Vienne",
            "Le Maire a reçu une délégation de la Ville de Vienne.",
            "fr",
            ("Vienna", "AT"),
        ),
        (
            "Delegation from Hanover",
            "A delegation of the City of Hanover visited the Lingotto.",
            "en",
            ("Hannover", "DE"),
        ),
        ("Delegation from Köln", "The Mayor welcomed the delegation.", "en", ("Köln", "DE")),
        (
            "Delegation from Cologne",
            "The Mayor welcomed the delegation.",
            "en",
            ("Köln", "DE"),
        ),
        ("Mission to The Hague", "The Deputy Mayor spoke in Den Haag.", "en", ("The Hague", "NL")),
        (
            "Fair in Frankfurt am Main",
            "Torino had a stand in Frankfurt am Main.",
            "en",
            ("Frankfurt am Main", "DE"),
        ),
        (
            "Mission to St. Petersburg",
            "The delegation visited St. Petersburg.",
            "en",
            ("Saint Petersburg", "RU"),
        ),
        (
            "Mission à Saint Etienne",
            "Le Maire a visité Saint Etienne et la Cité du design.",
            "fr",
            ("Saint-Étienne", "FR"),
        ),
        (
            "Mission to Esch-sur-Alzette - Luxembourg",
            "The Deputy Mayor visited Esch-sur-Alzette.",
            "en",
            ("Esch-sur-Alzette", "LU"),
        ),
        (
            "Delegation from Tbilisi - Georgia",
            "A delegation of the City Hall of Tbilisi visited the Town Hall.",
            "en",
            ("Tbilisi", "GE"),
        ),
    ],
)
def test_exonyms_are_read_in_the_entry_language(
    gaz: Gazetteer, title: str, text: str, lang: str, expected: tuple[str, str]
) -> None:
    name, code = expected
    assert partners(gaz, title, text, lang) == [(name, "city", code)]
    assert countries(gaz, title, text, lang) == [code]


def test_an_exonym_of_one_language_is_not_read_in_another(gaz: Gazetteer) -> None:
    # Italian "Colonia" is Köln; an English entry does not read it so
    found = partners(gaz, "Visit", "The delegation visited Colonia.", "en")
    assert found and ("Köln", "city", "DE") not in found
    assert partners(gaz, "Visita", "La delegazione ha visitato Colonia.", "it") == [
        ("Köln", "city", "DE")
    ]
    assert gaz.lookup("L'Aia", "NL") == gaz.lookup("The Hague")  # evaluation: L'Aia = The Hague


def test_quebec_is_the_city_after_a_city_cue_and_the_province_otherwise(gaz: Gazetteer) -> None:
    text = "The Mayor of Québec and the Mayor of Torino signed a friendship agreement."
    assert partners(gaz, "Friendship with Québec", text) == [("Québec", "city", "CA")]
    text = "A delegation of the Government of Québec met the Regional Council."
    assert partners(gaz, "Delegation from Québec", text) == [("Quebec", "region", "CA")]
    assert partners(gaz, "Mission to Quebec City", "") == [("Québec", "city", "CA")]


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        ("Tourism fair", "Torino presented its tourist offer in Nice.", "en"),
        ("Mission to Nice", "The delegation met the Mayor.", "en"),
        ("Salon du tourisme", "Turin a présenté son offre touristique à Nice.", "fr"),
        ("Delegation", "The Mayor welcomed the Deputy Mayor of the City of Nice.", "en"),
    ],
)
def test_nice_after_a_place_cue_is_the_french_city(
    gaz: Gazetteer, title: str, text: str, lang: str
) -> None:
    assert partners(gaz, title, text, lang) == [("Nice", "city", "FR")]


def test_nice_as_a_word_is_no_city(gaz: Gazetteer) -> None:
    text = "Nice results were presented by the partners of Lyon."
    assert partners(gaz, "Conference", text) == [("Lyon", "city", "FR")]


# --- people are not places (real-pages.md; own examples) ---------------------------------------


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        ("Forum in Lyon", "Mayor Stefano Lo Russo opened the forum in Lyon.", "en"),
        (
            "Forum in Lyon",
            "The Councillor for Trade Piera Tedesco spoke at the forum in Lyon.",
            "en",
        ),
        ("Forum a Lione", "L'Assessore Guido Greco ha partecipato al forum di Lione.", "it"),
        ("Forum à Lyon", "L'Adjoint au Maire, Paolo Francese, a participé au forum à Lyon.", "fr"),
        (
            "Forum in Lyon",
            "Councillor Maurizio Marzi and the Mayor of Lyon met at the forum.",
            "en",
        ),
    ],
)
def test_a_surname_or_given_name_that_looks_like_a_country_gives_no_country(
    gaz: Gazetteer, title: str, text: str, lang: str
) -> None:
    # Russo, Tedesco, Greco, Francese are demonyms only in lower case; Maurizio is a given
    # name (and Mauritius in Italian): a person's name never gives a country
    assert countries(gaz, title, text, lang) == ["FR"]


def test_a_foundation_named_after_a_person_is_no_seat_abroad(gaz: Gazetteer) -> None:
    text = "A seminar organised with the Anna Lindh Foundation gathered young journalists."
    assert find_partners("Seminar on the media", text, "en", gaz) == ([], [])


def test_a_surname_after_a_given_name_is_no_place(gaz: Gazetteer) -> None:
    text = "The Deputy Mayor met Rui Almeida, president of the port authority of Lisbon."
    assert partners(gaz, "Port authority of Lisbon", text) == [("Lisbon", "city", "PT")]


def test_a_place_cue_keeps_a_given_name_like_city_a_place(gaz: Gazetteer) -> None:
    text = "The Mayor of Rosario Pablo Javkin was welcomed at the Civic Palace."
    assert partners(gaz, "Mayor of Rosario", text) == [("Rosario", "city", "AR")]
    text = "The Paris Mayor Anne Hidalgo opened the summit."
    assert countries(gaz, "Summit", text) == ["FR"]


def test_a_lower_case_demonym_still_gives_its_country(gaz: Gazetteer) -> None:
    text = "Il Sindaco ha incontrato una delegazione di imprenditori tedeschi."
    assert countries(gaz, "Imprenditori a Torino", text, "it") == ["DE"]


# --- places in passing, and names the way real pages write them (own examples) --------------


def test_the_other_cities_present_at_a_summit_are_not_partners(gaz: Gazetteer) -> None:
    text = (
        "The Mayor attended the climate summit in Lisbon; among the cities present were "
        "Accra, Lima and Hanoi."
    )
    assert find_partners("Climate summit", text, "en", gaz) == (
        [gaz.lookup("Lisbon")],
        ["PT"],
    )
    text = (
        "Le Maire a assisté au sommet à Lisbonne ; parmi les villes présentes figuraient "
        "Accra, Lima et Hanoï."
    )
    assert countries(gaz, "Sommet pour le climat", text, "fr") == ["PT"]


def test_a_city_compared_with_is_not_a_partner(gaz: Gazetteer) -> None:
    text = (
        "The speakers compared the new tram line with the one of the old port district of "
        "Marsiglia before 2013."
    )
    assert find_partners("Tram conference", text, "en", gaz) == ([], [])


def test_embassies_in_rome_are_a_seat_not_a_partner(gaz: Gazetteer) -> None:
    text = "Diplomats from the embassies in Rome of Chile and Peru visited the Lingotto."
    assert partners(gaz, "Diplomats", text) == []
    assert countries(gaz, "Diplomats", text) == ["CL", "PE"]


def test_a_building_named_after_a_place_is_no_place(gaz: Gazetteer) -> None:
    text = "Torino presented its design studios in London, at Somerset House."
    assert partners(gaz, "Design in London", text) == [("London", "city", "GB")]


def test_an_italian_city_name_in_english_takes_the_country_the_entry_names(
    gaz: Gazetteer,
) -> None:
    # English pages keep Italian names: Monaco is Munich when Bavaria is named
    text = "Students visited in Monaco, the capital of Bavaria, two car factories."
    assert partners(gaz, "Study tour", text) == [("Munich", "city", "DE")]
    assert partners(gaz, "Grand Prix", "The race in Monaco drew large crowds.") == [
        ("Monaco", "city", "MC")
    ]


def test_a_name_with_an_apostrophe_inside_is_read_whole(gaz: Gazetteer) -> None:
    text = "The City signed with the City of Xi'an a letter of intent on museums."
    assert partners(gaz, "Letter of intent", text) == [("Xi’an", "city", "CN")]


def test_a_large_city_misspelt_after_a_place_cue_is_read_and_asks_for_review(
    gaz: Gazetteer,
) -> None:
    reading = PlaceReader.of(gaz).read("Book fair", "Torino took part in Gothenberg.", "en")
    assert [p.name for p in reading.partners] == ["Gothenburg"]
    assert reading.ambiguous  # a guessed spelling: a person should look
    assert reading.evidence[0].rule == "places:near-spelling"
    # not without a place cue, nor for a short word
    assert partners(gaz, "Book fair", "Gothenberg was chosen.") == []


def test_a_region_named_after_its_city_gives_the_country_not_the_city(gaz: Gazetteer) -> None:
    text = "Mayors of rural towns of the Arequipa region of Peru visited Torino."
    assert find_partners("Mayors from Peru", text, "en", gaz) == ([], ["PE"])


def test_a_range_named_with_the_is_no_city(gaz: Gazetteer) -> None:
    text = "The City supports water projects in the Andes."
    assert partners(gaz, "Water projects", text) == []
    text = "The Lyon delegation visited the Lingotto."
    assert partners(gaz, "Visit", text) == [("Lyon", "city", "FR")]


def test_an_organisation_of_torino_named_after_a_foreign_people_gives_no_country(
    gaz: Gazetteer,
) -> None:
    text = "The concert was held at the Egyptian Museum of Torino."
    assert find_partners("Concert", text, "en", gaz) == ([], [])


def test_cities_listed_after_partners_are_partners_even_when_ordinary_words(
    gaz: Gazetteer,
) -> None:
    text = "Torino presented its parks together with the partners Split and Tampere."
    assert partners(gaz, "Parks", text) == [("Split", "city", "HR"), ("Tampere", "city", "FI")]


def test_a_metropolitan_area_named_after_a_city_is_that_city(gaz: Gazetteer) -> None:
    text = "Officers of the metropolitan area of Porto visited the Lingotto."
    assert partners(gaz, "Visit", text) == [("Porto", "city", "PT")]
