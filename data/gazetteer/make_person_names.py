"""Regenerate person_names.csv: given names and surnames, to tell people from places.

A person's name never gives a place or a country (real-pages.md: Mayor Stefano Lo Russo,
Deputy Mayor Marina Tedesco, Maurizio, Anna Lindh). The mention reader needs to know
which capitalised words are given names ("Maurizio", "Anna", "Marina" are also a
country's or a town's name) and which are surnames ("Lindh" after "Anna", "Almeida"
after "Rui").

The names come from Faker's person providers (MIT licence), lists of real given names
and surnames per locale: `pip install faker`, then
`.venv/bin/python data/gazetteer/make_person_names.py`. Only Latin-script names are kept,
from the locales of the languages the City's pages are written in and of the European
and American countries they deal with most. Rows with notes were added by hand and are
kept.
"""

from __future__ import annotations

import csv
import importlib
import re
from pathlib import Path

from intl_metrics.enrich import gazetteer

# it, fr, en, es, pt, de, nl and the other European languages written in Latin script.
# fmt: off
LOCALES = (
    "it_IT", "fr_FR", "fr_BE", "fr_CH", "fr_CA", "fr_QC", "en_US", "en_GB", "en_IE", "en_NZ",
    "es_ES", "es_MX", "es_AR", "es_CL", "es_CO", "pt_PT", "pt_BR", "de_DE", "de_AT", "de_CH",
    "nl_NL", "nl_BE", "pl_PL", "ro_RO", "sv_SE", "da_DK", "no_NO", "fi_FI", "cs_CZ", "sk_SK",
    "hu_HU", "hr_HR", "sl_SI", "lt_LT", "lv_LV", "et_EE", "tr_TR", "ga_IE", "is_IS",
)
# fmt: on
OUT = Path(__file__).with_name("person_names.csv")
HEADER = """# Person names (read by intl_metrics.enrich.places): a word of a person's name is never
# a place or a country. kind: given or surname; langs: the languages of the Faker locales
# that list it (it_IT -> it). Regenerate with make_person_names.py (source: Faker's person
# providers, MIT licence); rows with notes were added by hand and are kept.
"""
_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏ][A-Za-zÀ-ÖØ-öø-ɏ'’-]*$")
_ATTRS = {
    "given": ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"),
    "surname": ("last_names", "last_names_male", "last_names_female"),
}


def _names(provider: type, attrs: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for attr in attrs:
        for klass in provider.__mro__:
            if attr in klass.__dict__:
                value = klass.__dict__[attr]
                if isinstance(value, dict):
                    value = value.keys()
                if isinstance(value, list | tuple | set | frozenset) or hasattr(value, "__iter__"):
                    out.update(v for v in value if isinstance(v, str))
                break
    return {n.strip() for n in out if _LATIN.match(n.strip()) and len(n.strip()) > 1}


def main() -> None:
    if not OUT.exists():
        OUT.write_text(HEADER + "name,kind,langs,notes\n", encoding="utf-8")
    curated = {
        (row["name"], row["kind"]): row for row in gazetteer._read_csv(OUT.name) if row["notes"]
    }
    found: dict[tuple[str, str], set[str]] = {}
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for kind, attrs in _ATTRS.items():
            for name in _names(provider, attrs):
                found.setdefault((name, kind), set()).add(locale.split("_")[0])
    rows = {key: [key[0], key[1], "|".join(sorted(locs)), ""] for key, locs in found.items()}
    for key, row in curated.items():
        rows[key] = [row["name"], row["kind"], row["langs"], row["notes"]]
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["name", "kind", "langs", "notes"])
        for key in sorted(rows, key=lambda k: (k[1], gazetteer.name_key(k[0]), k[0])):
            writer.writerow(rows[key])
    print(f"{len(rows)} names written to {OUT}")


if __name__ == "__main__":
    main()
