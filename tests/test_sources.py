"""Reading agenda files in the encoding they were saved in, and saying so."""

from __future__ import annotations

import codecs
import random

import pytest

from intl_metrics.parse import parse_file, parse_text
from intl_metrics.parse.sources import decode_agenda, read_agenda, source_notes

FRENCH = (
    "2 décembre 2021 Délégation de MünchenLa délégation de München a visité Torino.\n"
    "15 août 2021 Rencontre à LyonLa Ville de Torino a rencontré la Ville de Lyon.\n"
    "30 novembre-5 décembre 2023 Mission à DubaïLe maire s'est rendu à Dubaï.\n"
)
ENGLISH = "October 6th 2021 Delegation from Wallonia – “energy”The City met them.\n"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (FRENCH.encode("utf-8"), "utf_8"),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf_8_sig"),
        (FRENCH.encode("utf-16"), "utf_16"),  # with its BOM, as Windows saves it
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf_16"),
        (FRENCH.encode("utf-16-le"), "utf_16_le"),  # no BOM
        (FRENCH.encode("latin-1"), "cp1252"),  # Windows-1252 reads Latin-1 text the same
        (FRENCH.encode("cp1252"), "cp1252"),
    ],
)
def test_a_file_in_any_common_encoding_gives_every_entry_with_its_accents(encoded, encoding):
    source = decode_agenda(encoded, "page.txt")
    assert source.problem is None
    assert source.encoding == encoding
    entries = parse_text(source.text, "page.txt").entries
    # the accented months (décembre, août) are dates, not lost entries
    assert [e.title for e in entries] == [
        "Délégation de München",
        "Rencontre à Lyon",
        "Mission à Dubaï",
    ]


def test_windows_quotes_and_dashes_are_read_as_such():
    source = decode_agenda(ENGLISH.encode("cp1252"))
    assert source.encoding == "cp1252"
    assert "– “energy”" in source.text


NOISE = random.Random(7).randbytes


@pytest.mark.parametrize(
    "data",
    [
        NOISE(4000),
        NOISE(40),
        b"\x00" * 500,  # valid UTF-8, but not text
        b"\x89PNG\r\n\x1a\n" + NOISE(2000),
        b"PK\x03\x04" + NOISE(2000),  # a zip: .docx, .xlsx
    ],
    ids=["random", "a little random", "zeros", "png", "zip"],
)
def test_bytes_that_are_not_text_are_said_to_be_so(data):
    source = decode_agenda(data, "photo.txt")
    assert source.problem and "not text" in source.problem
    assert source.text == ""
    assert source_notes(source, 0)[0].startswith("not read: this is not text")


def test_utf8_with_a_few_broken_bytes_is_still_read_and_the_damage_named():
    data = ENGLISH.encode("utf-8").replace("–".encode(), b"\xe2\x80")  # a cut character
    source = decode_agenda(data)
    assert source.problem is None
    (entry,) = parse_text(source.text).entries
    assert entry.title == "Delegation from Wallonia � “energy”"
    assert "bytes that are not" in source_notes(source, 1)[0]


def test_the_hash_is_of_the_bytes_read_and_the_size_is_theirs(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    source = read_agenda(path)
    assert source.size == path.stat().st_size
    assert source.sha256 == __import__("hashlib").sha256(path.read_bytes()).hexdigest()


def test_notes_name_the_encoding_the_empty_file_and_text_with_no_entry():
    assert source_notes(decode_agenda(FRENCH.encode("utf-8")), 3) == []
    assert source_notes(decode_agenda(FRENCH.encode("utf-16")), 3) == ["read as UTF-16, not UTF-8"]
    assert source_notes(decode_agenda(b""), 0) == ["no agenda entry found: the file is empty"]
    (note,) = source_notes(decode_agenda(b"Hello, this page has no dates.\n"), 0)
    assert note.startswith("no agenda entry found: no line opens with a date")


def test_parse_file_reads_a_latin1_file_and_notes_its_encoding(tmp_path):
    path = tmp_path / "vieux.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    result = parse_file(path)
    assert len(result.entries) == 3 and result.warnings == []
    assert result.notes == ["read as Windows-1252 (Latin-1), not UTF-8"]
    assert "�" not in result.entries[0].title
