"""Regenerate common_words.csv: GeoNames city names that are also ordinary words.

Such a name (Nice, Split, Union, Of, Mobile; Come, Alba, Porto in Italian; Sens, Gare in
French) is read as a city only with a place cue in front of it (see enrich/places.py). The
words come from Debian's word lists: `apt-get install wamerican witalian wfrench`, then
`.venv/bin/python data/gazetteer/make_common_words.py`. Only lower-case entries count
(capitalised entries of the lists are proper names).
"""

from __future__ import annotations

import csv
from pathlib import Path

from intl_metrics.enrich import gazetteer as places

LISTS = {
    "en": "/usr/share/dict/american-english",
    "it": "/usr/share/dict/italian",
    "fr": "/usr/share/dict/french",
}
OUT = Path(__file__).with_name("common_words.csv")
HEADER = """# City names (GeoNames) that are also ordinary lower-case words of English, Italian or
# French (Debian word lists). In an entry in one of these languages (English and Italian words
# count in every entry: titles borrow English, Torino's own place names are Italian), such a
# single word is a city only after a place cue ("in Nice", "Mayor of Split", a list of places),
# with its country named, or for a city of a million people; at the start of a sentence only
# with its country written next to it. Regenerate with make_common_words.py; rows with notes
# were added by hand and are kept.
"""


def main() -> None:
    if not OUT.exists():
        OUT.write_text(HEADER + "word,lang,example,notes\n", encoding="utf-8")
    # Rows with notes were written by hand: keep them as they are.
    curated = {row["word"]: row for row in places._read_csv(OUT.name) if row["notes"]}
    index = places._Index.build()
    cities: dict[str, tuple[int, str]] = {}
    for key, cands in index.phrases.items():
        if " " in key:
            continue
        kinds = {c[0] for c in cands}
        other = {places._COUNTRY, places._DEMONYM, places._HOME, places._THING}
        if places._CITY not in kinds or kinds & other:
            continue
        best = max((index.pops[c[1]], c[1]) for c in cands if c[0] == places._CITY)
        place = index.places[best[1]]
        cities[key] = (best[0], f"{place.name} ({place.country}; {best[0]})")
    langs: dict[str, set[str]] = {}
    for lang, path in LISTS.items():
        for line in Path(path).read_text(encoding="utf-8", errors="ignore").splitlines():
            word = line.strip()
            if word and word.islower() and "'" not in word:
                key = places.name_key(word)
                if key in cities:
                    langs.setdefault(key, set()).add(lang)
    rows = {key: [key, "|".join(sorted(ls)), cities[key][1], ""] for key, ls in langs.items()}
    for key, row in curated.items():
        rows[key] = [row["word"], row["lang"], row["example"], row["notes"]]
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["word", "lang", "example", "notes"])
        for key in sorted(rows):
            writer.writerow(rows[key])
    print(f"{len(rows)} words written to {OUT}")


if __name__ == "__main__":
    main()
