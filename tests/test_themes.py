"""Theme labelling: a theme when it is a stated subject, not a word in passing."""

from __future__ import annotations

import re

import pytest

from intl_metrics.enrich._cues import read_table
from intl_metrics.enrich.themes import event_themes
from intl_metrics.schema import THEMES

QUOTE = re.compile(r"(?<![\w])'(.+?)'(?=[,;:.)]|\s|$)")

# Real entries (seed file and dev corpus) with the themes events.md and the gold give them.
REAL = [
    (
        "TIEF",
        "The fifth edition of the Turin Islamic Economic Forum, titled “Resolve and Resilience”, "
        "was broadcast live from OGR Torino. The event, organized by the City of Torino, the "
        "Torino Chamber of Commerce, the University of Torino and ASSAIF with the support of "
        "Turismo Torino e Provincia, gathered high-level experts in the field.",
        "en",
        ("economy",),
    ),
    (
        "Meeting of the UNESCO Creative Cities of Design",
        "The City of Torino attended the meeting of the UNESCO Creative Cities of Design hosted "
        "virtually by Geelong. The convening was the occasion to learn about the cities’ "
        "projects taking place across the network on the theme “reimagine, renew, regenerate”.",
        "en",
        ("design",),
    ),
    (
        "CONNECTION workshop",
        "The City of Torino hosted the second workshop of its community of practice in the frame "
        "of CONNECTION, the EU project funded by the Asylum, Migration and Integration Fund. Aim "
        "of the community is understanding how to develop a strategic approach to integration, "
        "participation and interaction.",
        "en",
        ("migration",),
    ),
    (
        "Delegation from Wallonia",
        "The City of Torino welcomed a delegation of CENEO, the association gathering the "
        "municipalities from Wallonia, for an exchange on energy transition.",
        "en",
        ("energy",),
    ),
    (
        "Consul General of the Republic of Korea",
        "The Deputy Mayor in charge of Public Budget of the City of Torino Sergio Rolando met the "
        "Consul General of the Republic of Korea in Milan Kang Hyung Shik.",
        "en",
        ("institutional",),
    ),
    (
        "Automotive Project seminar",
        "The City of Torino, in the frame of Torino Design of the City and of the European "
        "Mobility Week organized a seminar on the Automotive Project, the international "
        "initiative coordinated by the City of Saint Étienne and involving Torino, Graz, "
        "Kortrijk, Detroit, Geelong and Puebla.",
        "en",
        ("design", "urban"),
    ),
    (
        "Cooperation Pact between Torino and Wenzhou",
        "The City of Torino and the City of Wenzhou signed a Cooperation Pact to formalize the "
        "friendship relationship already existing between the two communities and the strong "
        "ties connecting Torino and Wenzhou. The Chinese municipality, located in the Zhejiang "
        "province, is the native area of around 90% of the Chinese migrants living in Torino.",
        "en",
        ("migration",),
    ),
    (
        "ECF",
        "The City of Torino spoke at the opening webinar of the European Climate Finance days "
        "(ECF), organised online by the European Investment Bank, explaining how the "
        "municipality finances energy-saving works in schools and other public buildings.",
        "en",
        ("energy", "economy"),
    ),
    (
        "Mission to Cordoba - Argentina",
        "A delegation of the City of Torino led by the Deputy Mayor in charge of International "
        "Relations travelled to Cordoba. The programme had two strands: the ties with the "
        "Piedmontese diaspora, which counts thousands of families in the province, and a joint "
        "course of vocational training for young people, to be run with a local technical "
        "university.",
        "en",
        ("migration", "education"),
    ),
    (
        "Delegation from Gyeonggi Province - Korea",
        "A delegation of the Gyeonggi Provincial Government visited the Environment Park and the "
        "Politecnico di Torino, in view of research cooperation on renewable energy between "
        "universities of the two areas.",
        "en",
        ("energy", "education"),
    ),
    (
        "Olympic Truce ceremony",
        "A few days before the opening of the XX Olympic Winter Games, the City hosted in Piazza "
        "Castello a ceremony for the Olympic Truce, with an appeal for peace in areas of "
        "conflict read by athletes and young volunteers.",
        "en",
        ("cooperation", "sport"),
    ),
    (
        "Mission to Guadalajara - Mexico",
        "The Deputy Mayor in charge of Innovation travelled to Guadalajara together with",
        "en",
        ("institutional",),
    ),
    (
        "Délégation de Montréal - Canada",
        "Une délégation de la Ville de Montréal, Ville UNESCO de design, a été reçue à l'Hôtel de "
        "Ville par l'adjointe au Maire chargée de la Culture. Le Consul général du Canada à Milan "
        "accompagnait la délégation. Les échanges ont porté sur les politiques de design urbain "
        "des deux villes, membres du réseau des Villes créatives de design de l'UNESCO, et sur "
        "les échanges entre les designers des deux villes.",
        "fr",
        ("design",),
    ),
    (
        "Délégation de Tripoli - Liban",
        "La Ville de Turin a reçu une délégation de la Municipalité de Tripoli, au nord du Liban, "
        "pour préparer un programme de coopération décentralisée sur la gestion des déchets et "
        "la propreté des espaces publics.",
        "fr",
        ("urban", "cooperation"),
    ),
    (
        "Conferenza finale del progetto HERITAGE-NEXT",
        "La conferenza finale di HERITAGE-NEXT, il progetto europeo dedicato al patrimonio "
        "industriale e alla rigenerazione delle aree dismesse, si è svolta alle Officine Grandi "
        "Riparazioni ed è stata trasmessa in streaming per i partner di Bilbao, Lione e "
        "Katowice.",
        "it",
        ("culture", "urban"),
    ),
    (
        "Console Generale del Brasile",
        "L'Assessora all'Integrazione ha incontrato il Console Generale del Brasile a Milano. Al "
        "centro del colloquio la comunità brasiliana residente a Torino e i servizi di "
        "mediazione interculturale offerti dal Comune.",
        "it",
        ("migration",),
    ),
    (
        "Cerimonia del Patto dei Sindaci a Bruxelles",
        "L'Assessore all'Ambiente ha partecipato a Bruxelles alla cerimonia annuale del Patto "
        "dei Sindaci per il clima e l'energia, dove Torino ha ricevuto un riconoscimento per il "
        "suo piano d'azione per l'energia sostenibile e il clima.",
        "it",
        ("energy",),
    ),
]


@pytest.mark.parametrize(("title", "description", "language", "expected"), REAL)
def test_real_entries(
    title: str, description: str, language: str, expected: tuple[str, ...]
) -> None:
    assert set(event_themes(title, description, language)) == set(expected)


def test_themes_come_in_schema_order() -> None:
    themes = event_themes("ECF", REAL[7][1], "en")
    assert list(themes) == [t for t in THEMES if t in themes]


def test_the_support_of_a_tourism_board_is_not_tourism() -> None:
    """TIEF: organisers and supporters are named in passing."""
    assert "economy" not in event_themes(
        "Forum",
        "The forum, with the support of Turismo Torino e Provincia, gathered experts.",
        "en",
    )


def test_the_office_of_a_speaker_is_not_the_subject() -> None:
    """'the Deputy Mayor in charge of Commerce, Labour and Tourism' says nothing of the talks."""
    text = (
        "The Mayor and the Deputy Mayor in charge of Commerce, Labour and Tourism Alberto Sacco "
        "met the US Consul General in Milan Robert Needham."
    )
    assert event_themes("Consul General of the United States", text, "en") == ("institutional",)


def test_a_weak_word_in_passing_is_not_enough_but_as_the_subject_it_is() -> None:
    passing = "The City explained how it finances energy-saving works in schools."
    subject = "The meeting focused on schools and their twinning programmes."
    assert "education" not in event_themes("Talk", passing, "en")
    assert "education" in event_themes("Talk", subject, "en")


def test_science_fiction_is_not_science() -> None:
    text = "The department gave a speech on Chinese science fiction and the ecologic thought."
    assert "education" not in event_themes("Festival", text, "en")


def test_a_network_name_states_its_theme() -> None:
    """The Covenant of Mayors is about energy, the World Union of Olympic Cities about sport."""
    assert event_themes("Covenant of Mayors meeting", "Torino attended.", "en") == ("energy",)
    assert event_themes("World Union of Olympic Cities summit", "Torino attended.", "en") == (
        "sport",
    )


def test_a_bare_title_is_institutional() -> None:
    assert event_themes("Courtesy visit of the Mayor of Sarajevo", "", "en") == ("institutional",)


def test_hostile_input_finishes() -> None:
    assert event_themes("x" * 1_000_000, "energy " * 200_000, "en")


# One test per row of themes.csv: every cue can fire in a plain sentence stating it as the
# subject (a shadowed or misspelt row would never fire); a mask row yields no theme.
TEMPLATE = {
    "en": "The talks focused on {}.",
    "fr": "Les échanges ont porté sur {}.",
    "it": "L'incontro è stato dedicato a {}.",
}


def _theme_rows() -> list[pytest.param]:
    params = []
    for n, row in enumerate(read_table("themes")):
        cue = row["cue"]
        if cue.startswith("re:"):
            continue  # regular-expression cues are pinned by their notes below
        params.append(pytest.param(row, id=f"row{n + 1}:{row['theme']}:{cue}"))
    return params


@pytest.mark.parametrize("row", _theme_rows())
def test_every_cue_row_fires(row: dict[str, str]) -> None:
    language = row["language"] if row["language"] != "all" else "en"
    sentence = TEMPLATE[language].format(row["cue"].rstrip("*"))
    themes = event_themes("", sentence, language)
    if row["strength"] == "mask":
        assert themes == ("institutional",)
    else:
        assert row["theme"] in themes


def _quoted_rows() -> list[pytest.param]:
    params = []
    for n, row in enumerate(read_table("themes")):
        if row["strength"] != "strong":
            continue
        for m in QUOTE.finditer(row["notes"]):
            if not row["notes"][: m.start()].rstrip().endswith(("not", "not e.g.")):
                params.append(pytest.param(row, m.group(1), id=f"row{n + 1}:{m.group(1)[:30]}"))
    return params


@pytest.mark.parametrize(("row", "example"), _quoted_rows())
def test_strong_cue_rows_label_their_real_example(row: dict[str, str], example: str) -> None:
    """Each strong row's example sentence (from the seed file or dev corpus) gets its theme."""
    language = row["language"] if row["language"] != "all" else "en"
    assert row["theme"] in event_themes("", example, language)


def test_theme_table_is_well_formed() -> None:
    for row in read_table("themes"):
        assert row["theme"] in THEMES, row
        assert row["language"] in ("en", "fr", "it", "all"), row
        assert row["strength"] in ("strong", "weak", "mask"), row


def test_words_of_a_known_name_are_not_cues() -> None:
    """The UN Economic Commission for Europe says 'economic'; the subject is smart cities."""
    text = (
        "Il Vicesindaco ha partecipato alla conferenza della Commissione economica delle Nazioni "
        "Unite per l'Europa sulle città intelligenti."
    )
    assert event_themes("Conferenza", text, "it") == ("urban",)


def test_a_preposition_gives_the_subject_only_after_a_topic_word() -> None:
    """'a seminar on schools' is about schools; 'panels installed on the schools' is not."""
    subject = "The City organised a seminar on schools and their canteens."
    place = "The solar panels installed on the schools of the district were inaugurated."
    assert "education" in event_themes("Seminar", subject, "en")
    assert "education" not in event_themes("Solar panels", place, "en")
    italian = "Sono stati inaugurati gli impianti fotovoltaici su alcune scuole della città."
    assert "education" not in event_themes("Impianti", italian, "it")


def test_a_co_organiser_is_named_in_passing() -> None:
    text = (
        "The festival, organised by the City of Torino with the University of Torino, showed "
        "films from Georgia."
    )
    assert event_themes("Georgian Film Days", text, "en") == ("culture",)


PREPOSITION_TEMPLATE = {
    "en": "A {} on schools.",
    "fr": "Un {} sur les écoles.",
    "it": "Un {} sulle scuole.",
}


def _topic_words() -> list[pytest.param]:
    params = []
    for row in read_table("theme_context"):
        if row["kind"] == "topic":
            for word in row["cue"].split("|"):
                word = word.strip().rstrip("*")
                params.append(pytest.param(row["language"], word, id=f"{row['language']}:{word}"))
    return params


@pytest.mark.parametrize(("language", "word"), _topic_words())
def test_every_topic_word_takes_a_subject(language: str, word: str) -> None:
    """Each topic word of theme_context.csv makes a weak cue after its preposition count."""
    sentence = PREPOSITION_TEMPLATE[language].format(word)
    assert "education" in event_themes("", sentence, language)
    assert "education" not in event_themes("", sentence.replace(word, "tetto"), language)


# --- subjects stated in many words (real-pages.md; own examples) ------------------------------


def themes_of(title: str, description: str, language: str = "en") -> tuple[str, ...]:
    from datetime import date

    from intl_metrics.enrich import enrich
    from intl_metrics.schema import Entry, Source

    entry = Entry(date(2012, 3, 1), date(2012, 3, 1), title, description, language, Source("t", 1))
    return enrich(entry).themes


@pytest.mark.parametrize(
    ("title", "text", "lang", "theme"),
    [
        (
            "Albanian families",
            "A help desk opened for Albanian families at the registry.",
            "en",
            "migration",
        ),
        (
            "Rencontre",
            "La Ville a reçu les associations de la communauté sénégalaise.",
            "fr",
            "migration",
        ),
        (
            "Incontro",
            "Il Sindaco ha incontrato le famiglie peruviane del quartiere.",
            "it",
            "migration",
        ),
        (
            "Emigrati",
            "Incontro con i piemontesi nel mondo riuniti a Buenos Aires.",
            "it",
            "migration",
        ),
        ("Forum", "A forum on ICT and e-government for local authorities.", "en", "urban"),
        (
            "Conférence",
            "Une conférence sur l'étalement urbain et les pistes cyclables.",
            "fr",
            "urban",
        ),
        (
            "Visit",
            "The guests asked about the governance of the municipal companies.",
            "en",
            "economy",
        ),
        ("Réfugiés", "Un atelier sur l'insertion professionnelle des réfugiés.", "fr", "economy"),
        (
            "Pacte",
            "Le pacte prévoit un soutien au développement mutuel des deux villes.",
            "fr",
            "cooperation",
        ),
        ("Open", "The City hosted an international chess tournament.", "en", "sport"),
        ("Écoles", "Les élèves des écoles primaires ont reçu les enseignants.", "fr", "education"),
    ],
)
def test_a_subject_stated_without_a_keyword_of_the_vocabulary_is_found(
    title: str, text: str, lang: str, theme: str
) -> None:
    assert theme in themes_of(title, text, lang)


@pytest.mark.parametrize(
    ("title", "text", "lang", "not_theme"),
    [
        (
            "Start-ups",
            "Un programme d'échange entre jeunes entreprises du numérique.",
            "fr",
            "education",
        ),
        ("Pavillon", "Un pavillon consacré au design industriel piémontais.", "fr", "economy"),
        ("Laboratori", "Laboratori linguistici finanziati dal programma europeo.", "it", "economy"),
        ("Edifici", "La riqualificazione energetica degli edifici comunali.", "it", "urban"),
    ],
)
def test_a_word_inside_a_longer_phrase_is_read_with_it(
    title: str, text: str, lang: str, not_theme: str
) -> None:
    assert not_theme not in themes_of(title, text, lang)


def test_a_people_named_in_passing_is_no_migration() -> None:
    assert "migration" not in themes_of("Investors", "Chinese investors visited the Lingotto.")
