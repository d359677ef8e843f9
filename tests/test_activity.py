"""Activity labelling: the first matching rule of events.md wins, in its literal order."""

from __future__ import annotations

import re

import pytest

from intl_metrics.enrich._cues import fold_same_length, plain_same_length, read_table
from intl_metrics.enrich.activity import event_activity
from intl_metrics.enrich.names import organisations, projects
from intl_metrics.schema import Place

QUOTE = re.compile(r"(?<![\w])'(.+?)'(?=[,;:.)]|\s|$)")


def place(name: str, country: str, kind: str = "city") -> Place:
    return Place(name, kind, country, 0.0, 0.0)


def activity(
    title: str, description: str, language: str = "en", places: tuple[Place, ...] = ()
) -> str:
    """The activity with the names found in the text and the given partner places."""
    return event_activity(
        title,
        description,
        language,
        partners=places,
        countries=sorted({p.country for p in places if p.country != "IT"}),
        organisations=organisations(title, description),
        projects=projects(title, description),
    )


def test_a_pact_signed_with_wenzhou_is_an_agreement() -> None:
    text = (
        "The City of Torino and the City of Wenzhou signed a Cooperation Pact to formalize the "
        "friendship relationship already existing between the two communities."
    )
    title = "Cooperation Pact between Torino and Wenzhou"
    assert activity(title, text, places=(place("Wenzhou", "CN"),)) == "agreement"


def test_a_letter_of_intent_signed_during_a_mission_is_an_agreement() -> None:
    text = (
        "A delegation of the City of Torino led by the Deputy Mayor in charge of Urban Planning "
        "visited Belo Horizonte, capital of the State of Minas Gerais. During the mission the two "
        "cities signed a letter of intent on urban mobility and on the management of green areas."
    )
    title = "Mission to Belo Horizonte - Brazil"
    assert activity(title, text, places=(place("Belo Horizonte", "BR"),)) == "agreement"


def test_a_renewed_friendship_pact_is_an_agreement_in_french() -> None:
    text = (
        "Le Maire de Turin et le Maire de Chambéry ont renouvelé à Chambéry le pacte d'amitié "
        "entre les deux villes, avec un nouveau programme d'échanges entre leurs lycées."
    )
    title = "Renouvellement du pacte d'amitié avec Chambéry"
    assert activity(title, text, "fr", (place("Chambéry", "FR"),)) == "agreement"


def test_the_covenant_of_mayors_is_a_network_not_a_pact() -> None:
    text = (
        "L'Assessore all'Ambiente ha partecipato a Bruxelles alla cerimonia annuale del Patto dei "
        "Sindaci per il clima e l'energia."
    )
    title = "Cerimonia del Patto dei Sindaci a Bruxelles"
    assert activity(title, text, "it", (place("Brussels", "BE"),)) == "network"


def test_an_old_agreement_mentioned_in_passing_is_not_signed_now() -> None:
    text = "The Mayor received the Mayor of Lyon; the agreement signed in 2015 was reviewed."
    assert activity("Visit of the Mayor of Lyon", text) != "agreement"


def test_a_consul_makes_a_meeting_diplomatic() -> None:
    text = (
        "The Deputy Mayor in charge of Public Budget of the City of Torino Sergio Rolando met the "
        "Consul General of the Republic of Korea in Milan Kang Hyung Shik."
    )
    assert activity("Consul General of the Republic of Korea", text) == "diplomatic"


def test_a_delegation_with_its_consul_is_diplomatic() -> None:
    text = (
        "Une délégation de la Ville de Montréal a été reçue à l'Hôtel de Ville par l'adjointe au "
        "Maire chargée de la Culture. Le Consul général du Canada à Milan accompagnait la "
        "délégation."
    )
    title = "Délégation de Montréal - Canada"
    assert activity(title, text, "fr", (place("Montréal", "CA"),)) == "diplomatic"


def test_a_delegation_from_wallonia_visits_torino() -> None:
    text = (
        "The City of Torino welcomed a delegation of CENEO, the association gathering the "
        "municipalities from Wallonia, for an exchange on energy transition."
    )
    wallonia = place("Wallonia", "BE", "region")
    assert activity("Delegation from Wallonia", text, places=(wallonia,)) == "delegation"


def test_a_foreign_mayor_paying_a_courtesy_visit_is_a_delegation() -> None:
    text = "The Mayor of Sarajevo paid a courtesy visit to the Mayor of Torino at Palazzo Civico."
    title = "Courtesy visit of the Mayor of Sarajevo"
    assert activity(title, text, places=(place("Sarajevo", "BA"),)) == "delegation"


def test_an_italian_delegation_received_is_a_delegation() -> None:
    text = (
        "Il Vicesindaco ha ricevuto a Palazzo Civico una delegazione del Comune di Monaco di "
        "Baviera, interessata alle politiche torinesi per il trasporto pubblico."
    )
    title = "Delegazione da Monaco di Baviera"
    assert activity(title, text, "it", (place("Munich", "DE"),)) == "delegation"


def test_torinos_own_delegation_abroad_is_a_mission_not_a_delegation() -> None:
    text = (
        "A delegation of the City of Torino led by the Deputy Mayor in charge of International "
        "Relations travelled to Cordoba."
    )
    title = "Mission to Cordoba - Argentina"
    assert activity(title, text, places=(place("Córdoba", "AR"),)) == "mission"


def test_a_named_projects_meeting_is_a_project() -> None:
    text = (
        "The partners of MOLOC gathered for the final meeting in Lille, lead partner of the "
        "project."
    )
    assert activity("MOLOC final conference", text, places=(place("Lille", "FR"),)) == "project"


def test_the_automotive_project_seminar_is_a_project() -> None:
    text = (
        "The City of Torino organized a seminar on the Automotive Project, the international "
        "initiative coordinated by the City of Saint Étienne and involving Torino, Graz and "
        "Detroit."
    )
    places = (place("Saint-Étienne", "FR"), place("Graz", "AT"), place("Detroit", "US"))
    assert activity("Automotive Project seminar", text, places=places) == "project"


def test_a_network_meeting_abroad_is_network_before_mission() -> None:
    text = (
        "Torino took part in the Culture Forum of the EUROCITIES network hosted by Lille, one "
        "year after its term as European Capital of Culture."
    )
    title = "EUROCITIES Culture Forum in Lille"
    assert activity(title, text, places=(place("Lille", "FR"),)) == "network"


def test_a_network_meeting_named_in_the_description() -> None:
    text = (
        "On the eve of the Vancouver Winter Games, the World Union of Olympic Cities gathered "
        "its members in Vancouver."
    )
    title = "Winter Games legacy"
    assert activity(title, text, places=(place("Vancouver", "CA"),)) == "network"


def test_a_network_named_in_passing_does_not_make_a_network_meeting() -> None:
    text = (
        "The City of Torino, as representative for Italy of the UNESCO World Network of Learning "
        'Cities, attended the "III World Congress of Transdisciplinarity".'
    )
    assert activity("III World Congress of Transdisciplinarity", text) == "event"


def test_attending_a_summit_in_dubai_is_a_mission() -> None:
    text = (
        "The Deputy Mayor in charge of Environment attended in Dubai the summit of local leaders "
        "held during COP28."
    )
    title = "Local Climate Action Summit at COP28"
    assert activity(title, text, places=(place("Dubai", "AE"),)) == "mission"


def test_a_mission_needs_the_place_named() -> None:
    """Without a foreign place, travelling somewhere is just an event."""
    text = "The Deputy Mayor travelled to the summit of local leaders."
    assert activity("Summit of local leaders", text) == "event"


def test_installations_shown_abroad_without_anyone_travelling_is_an_event() -> None:
    text = (
        "Three light installations of Torino's Luci d'Artista were shown in the old town of "
        "Plovdiv, European Capital of Culture 2019."
    )
    assert activity("Luci d'Artista in Plovdiv", text, places=(place("Plovdiv", "BG"),)) == (
        "event"
    )


def test_a_virtual_meeting_is_not_a_mission() -> None:
    text = (
        "Torino design studios met online with companies of Shenzhen in a webinar organised by "
        "the International Affairs department."
    )
    title = "Torino - Shenzhen webinar on design industries"
    assert activity(title, text, places=(place("Shenzhen", "CN"),)) == "event"


def test_a_national_celebration_is_an_event() -> None:
    text = (
        "Torino, first capital of the Kingdom of Italy, celebrated the 150th anniversary of "
        "national unification with a ceremony in Piazza Castello."
    )
    assert activity("150th Anniversary of the Unification of Italy", text) == "event"


def test_hostile_input_finishes() -> None:
    text = "A delegation of the City of " * 40_000
    assert activity("x" * 100_000, text) in ("delegation", "event")


# One test per row of activity.csv: the row's regular expression finds its example(s) and
# leaves alone the counter-examples quoted after "not". Rules read at the edge of a window
# (^ or $) are tried on every stretch of the example.
def _activity_rows() -> list[pytest.param]:
    params = []
    for n, row in enumerate(read_table("activity")):
        if row["rule"] in ("generic_word", "home_word"):
            continue
        for m in QUOTE.finditer(row["notes"]):
            positive = not row["notes"][: m.start()].rstrip().endswith(("not", "not e.g."))
            example = m.group(1)
            params.append(pytest.param(row, example, positive, id=f"row{n + 1}:{example[:30]}"))
    return params


def _stretches(text: str) -> list[str]:
    starts = [0, *(m.end() for m in re.finditer(r"\s+", text))]
    ends = [len(text), *(m.start() for m in re.finditer(r"\s+", text))]
    return [text[a:b] + " " for a in starts for b in ends if a < b]


def test_every_rule_row_has_an_example() -> None:
    for row in read_table("activity"):
        assert QUOTE.search(row["notes"]), row


@pytest.mark.parametrize(("row", "example", "positive"), _activity_rows())
def test_rule_row_matches_its_example(row: dict[str, str], example: str, positive: bool) -> None:
    # As the labeller reads them: the lower-cased text, or (rules that look at capitals)
    # the plain text, case aside but where the rule says (?-i:...).
    if row["rule"] == "went_to_place":
        regex, text = re.compile(row["cue"], re.IGNORECASE), plain_same_length(example)
    else:
        regex, text = re.compile(row["cue"]), fold_same_length(example)
    if positive:
        assert any(regex.search(stretch) for stretch in [text, *_stretches(text)])
    else:
        assert not regex.search(text)


def test_a_twinning_anniversary_is_not_a_signing() -> None:
    text = (
        "À l'occasion du 65e anniversaire du jumelage, une délégation de la Ville de Lyon a été "
        "accueillie à Turin pour une exposition photographique."
    )
    title = "Jumelage Turin-Lyon : 65e anniversaire"
    assert activity(title, text, "fr", (place("Lyon", "FR"),)) == "delegation"


def test_home_and_generic_words_tell_whose_delegation_it_is() -> None:
    own = "A delegation of the City of Torino travelled to Lyon to meet its Mayor."
    foreign = "A delegation of the City of Nagano was welcomed at the Civic Palace."
    assert activity("Visit", own, places=(place("Lyon", "FR"),)) == "mission"
    assert activity("Visit", foreign, places=(place("Nagano", "JP"),)) == "delegation"


def test_the_consular_corps_received_is_diplomatic() -> None:
    text = "The Mayor received the Consular Corps of Milan for the New Year greetings."
    assert activity("New Year greetings", text) == "diplomatic"


def test_an_italian_consulate_abroad_is_no_foreign_envoy() -> None:
    """events.md: diplomatic needs an envoy of a FOREIGN state; Italy's consul is not one."""
    text = (
        "A delegation of the City of Torino visited Houston. The Consulate General of Italy in "
        "Houston hosted a meeting with Italian-American companies."
    )
    assert activity("Mission to Houston", text, places=(place("Houston", "US"),)) == "mission"


def test_a_foreign_consul_next_to_an_italian_one_is_still_diplomatic() -> None:
    text = "The Italian Ambassador to Japan and the Consul General of Japan in Milan met the Mayor."
    assert activity("Meeting", text) == "diplomatic"


def test_foreign_mayors_welcomed_in_torino_are_a_delegation() -> None:
    text = "The Mayors of Haifa and Nazareth were welcomed at Palazzo Civico by the Deputy Mayor."
    places = (place("Haifa", "IL"), place("Nazareth", "IL"))
    assert activity("Israeli mayors in Torino", text, places=places) == "delegation"


def test_torinos_delegation_taking_part_abroad_is_a_mission() -> None:
    text = (
        "Dakar a accueilli le festival du film italien, auquel une délégation de la Ville de "
        "Turin a participé avec le Museo Nazionale del Cinema."
    )
    title = "Festival du film italien à Dakar"
    assert activity(title, text, "fr", (place("Dakar", "SN"),)) == "mission"


def test_taking_part_in_a_local_event_is_no_mission() -> None:
    """'took part in the Iftar': the name after 'in' is no foreign place, nobody travelled."""
    text = (
        "The Deputy Mayor took part in the Nowruz celebration organised in the Barriera di "
        "Milano district by the Iranian associations."
    )
    assert activity("Nowruz", text, places=(place("Iran", "IR", "country"),)) == "event"


def test_a_coalition_of_cities_meeting_is_a_network() -> None:
    text = (
        "The City of Torino took part in the general assembly of the Global Alliance of Cities "
        "for Clean Air, hosted by the City of Warsaw."
    )
    assert activity("Clean Air", text, places=(place("Warsaw", "PL"),)) == "network"


def test_a_city_title_is_no_network_meeting() -> None:
    """'the main event of the French UNESCO Creative City of Design' names Saint-Étienne."""
    text = (
        "The Deputy Mayor attended in Saint-Étienne the opening of the Biennale, the main design "
        "event of the French UNESCO Creative City of Design."
    )
    title = "Saint-Étienne Design Biennale"
    assert activity(title, text, places=(place("Saint-Étienne", "FR"),)) == "mission"
    celebration = "The City celebrated the tenth year of Torino as UNESCO City of Design."
    assert activity("Ten years as UNESCO City of Design", celebration) == "event"


# --- the shapes of real pages (real-pages.md), read with the whole labeller ------------------
# Own examples, in the shapes of real-pages.md: none is a sentence of a corpus.


def labelled(title: str, description: str, language: str = "en"):
    from datetime import date

    from intl_metrics.enrich import enrich
    from intl_metrics.schema import Entry, Source

    return enrich(
        Entry(date(2019, 4, 2), date(2019, 4, 2), title, description, language, Source("t", 1))
    )


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        (
            "Water engineers from Gdansk",
            "A delegation of engineers from the Water Department of the City of Gdansk, "
            "visiting Turin for technical meetings on leak detection, met the managers of "
            "the municipal water company.",
            "en",
        ),
        (
            "Finnish mayors in Torino",
            "A delegation made of mayors and officers of several Finnish towns and led by "
            "the Mayor of Oulu met the Councillor for Education.",
            "en",
        ),
        (
            "Visit from Lower Silesia",
            "The City of Torino welcomed a delegation coming from the Lower Silesia Region "
            "in Poland, wishing to learn about the reuse of industrial buildings.",
            "en",
        ),
        (
            "Urbanistes suédois",
            "Une délégation d'urbanistes et d'architectes suédois, en visite à Torino, a "
            "rencontré le service de l'urbanisme.",
            "fr",
        ),
        (
            "Tecnici da Lione",
            "Una delegazione di tecnici del Servizio Acque della Città di Lione, in visita a "
            "Torino, ha incontrato i dirigenti della società dell'acqua.",
            "it",
        ),
    ],
)
def test_a_delegation_written_any_way_from_a_foreign_place_is_a_delegation(
    title: str, text: str, lang: str
) -> None:
    assert labelled(title, text, lang).activity == "delegation"


def test_foreign_representatives_on_a_study_visit_are_a_delegation_even_in_a_project() -> None:
    text = (
        "Representatives of the cities of Aarhus and Tartu, partners of the SMARTBUS project, "
        "came to Torino for a study visit of the electric bus depots."
    )
    assert labelled("SMARTBUS study visit", text).activity == "delegation"


def test_a_foreign_mayor_visiting_torino_and_met_by_a_councillor_is_a_delegation() -> None:
    text = (
        "The Councillor for Trade met the Mayor of Tampere, visiting Turin on the occasion "
        "of the Salone del Gusto."
    )
    assert labelled("Mayor of Tampere", text).activity == "delegation"


def test_the_torino_delegation_or_the_citys_delegation_abroad_is_no_visit() -> None:
    text = (
        "The Torino delegation took part in the working group on libraries with Ghent and "
        "Leipzig during the forum held in Bergen."
    )
    assert labelled("Library forum", text).activity != "delegation"
    text = (
        "Une délégation de la Ville a présenté à Lausanne les nouveaux quartiers durables "
        "aux urbanistes suisses."
    )
    assert labelled("Quartiers durables", text, "fr").activity == "mission"


@pytest.mark.parametrize(
    ("title", "text", "lang"),
    [
        (
            "Trade mission",
            "The Deputy Mayor for Trade led a mission of the territory to Chile, in "
            "Santiago, with fifteen local food companies.",
            "en",
        ),
        (
            "Promotion au Québec",
            "L'Adjointe au Maire chargée du Commerce a conduit une mission de la Ville à "
            "Montréal et Québec pour rencontrer les importateurs.",
            "fr",
        ),
        (
            "Foire du livre",
            "L'Adjoint à la Culture a participé au Salon du livre à Genève, où il a présenté "
            "les éditeurs de Torino.",
            "fr",
        ),
        ("Torino at the Design Fair in Eindhoven", "The City presented twelve studios.", "en"),
        (
            "Table ronde",
            "L'Adjointe au Maire a participé à la table ronde sur les jardins partagés "
            "organisée à Bruxelles.",
            "fr",
        ),
        ("Study tour to Helsinki", "Officers of the City saw the new central library.", "en"),
    ],
)
def test_a_mission_written_any_way_with_its_place_is_a_mission(
    title: str, text: str, lang: str
) -> None:
    assert labelled(title, text, lang).activity == "mission"


def test_an_exhibition_that_travelled_is_not_torinos_mission() -> None:
    text = "The exhibition of Torino posters was shown at the Osaka Design Centre."
    assert labelled("Torino Posters exhibition in Osaka", text).activity == "event"


def test_a_delegation_of_foreign_diplomats_is_diplomatic() -> None:
    text = (
        "A delegation of diplomats from the embassies in Rome of Chile and Peru visited "
        "the Lingotto."
    )
    assert labelled("Latin American diplomats", text).activity == "diplomatic"


def test_a_network_named_by_its_apposition_holds_a_network_meeting() -> None:
    text = (
        "The City hosted the annual meeting of LUMIA, the international network of cities "
        "on public lighting, in the Mirafiori district."
    )
    event = labelled("LUMIA annual meeting", text)
    assert event.activity == "network" and "LUMIA" in event.organisations
