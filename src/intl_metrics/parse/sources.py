"""Bytes of an agenda file or upload -> text, with the encoding that was used.

The City's pages are saved by many hands: UTF-8 mostly, but also UTF-8 with a BOM,
UTF-16 from Windows editors and Windows-1252/Latin-1 from older tools. Decoding them
all as UTF-8 turned ``décembre`` into ``d�cembre`` (so the date was not seen and the
entry was lost) and UTF-16 into nothing. Here the encoding is detected (a BOM, strict
UTF-8, else charset-normalizer limited to the encodings Western European text is
written in) and named, so a reader can say which was used; bytes that are not text
at all are said to be so rather than parsed into nothing.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ENCODING_NAMES",
    "SYNTHETIC_MARK",
    "SourceText",
    "decode_agenda",
    "read_agenda",
    "source_notes",
]

# Candidates for text that is not UTF-8: UTF-16 without a BOM, and the single-byte
# encodings of Western European text. Leaving out the others keeps a short Latin-1
# page from being read as a Baltic or Cyrillic code page that happens to fit.
_CANDIDATES = ["utf_16_le", "utf_16_be", "cp1252", "latin_1", "iso8859_15"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf_32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)

# The first line of a file that `intl-metrics synth` wrote (synth.synthetic_marker).
SYNTHETIC_MARK = "# SYNTHETIC agenda"

_UTF8_REPLACED = "utf_8_replaced"  # UTF-8 with some undecodable bytes replaced

# How each encoding is named to people (the About page, the CLI's notes).
ENCODING_NAMES: dict[str, str] = {
    "utf_8": "UTF-8",
    "ascii": "UTF-8",
    "utf_8_sig": "UTF-8 with BOM",
    _UTF8_REPLACED: "UTF-8 with some bytes that are not (each shown as �)",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16 (little-endian, no BOM)",
    "utf_16_be": "UTF-16 (big-endian, no BOM)",
    "utf_32": "UTF-32",
    "cp1252": "Windows-1252 (Latin-1)",
    "latin_1": "Latin-1 (ISO-8859-1)",
    "iso8859_15": "Latin-9 (ISO-8859-15)",
}

# The C0 and C1 control characters that text files do not hold (all but tab, the line
# and page breaks and the separators Python splits lines at), and the replacement
# character: more than a few of them is a sign of binary data.
_ODD_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufffd]")
_BINARY_SAMPLE = 65_536


@dataclass(frozen=True)
class SourceText:
    """The decoded text of some bytes, and what is known about them."""

    text: str
    encoding: str  # Python codec name: 'utf_8', 'utf_8_sig', 'utf_16', 'cp1252', ...
    sha256: str  # of the bytes read: what was parsed is what is hashed
    size: int  # bytes
    problem: str | None = None  # why the bytes are not agenda text, or None

    @property
    def encoding_name(self) -> str:
        """'UTF-8', 'Windows-1252 (Latin-1)', ... as people call it."""
        return ENCODING_NAMES.get(self.encoding, self.encoding)

    @property
    def synthetic(self) -> bool:
        """Written by `intl-metrics synth` (its first line says so): not the City's agenda."""
        return self.text.startswith(SYNTHETIC_MARK)

    @property
    def is_utf8(self) -> bool:
        """Plain UTF-8 (or ASCII): nothing worth telling the reader about the encoding."""
        return self.encoding in ("utf_8", "ascii")


def decode_agenda(data: bytes, name: str = "<bytes>") -> SourceText:
    """Decode an agenda file's bytes; never raises.

    ``problem`` is set (and ``text`` empty) when the bytes are not text in any of the
    encodings tried: a picture, an archive, a word-processor file, random bytes.
    ``name`` is only used in the messages.
    """
    digest = hashlib.sha256(data).hexdigest()
    size = len(data)
    encoding = _detect(data)
    if encoding is None:
        # Mostly UTF-8 with a few broken bytes (a cut or mangled copy) is still text: the
        # bytes are replaced, and too many of them make it binary below.
        encoding = _UTF8_REPLACED
    text = data.decode("utf_8" if encoding == _UTF8_REPLACED else encoding, errors="replace")
    if _looks_binary(text):
        return SourceText("", "binary", digest, size, _not_text(name))
    if encoding == "ascii":
        encoding = "utf_8"
    return SourceText(text, encoding, digest, size)


def read_agenda(path: str | os.PathLike[str]) -> SourceText:
    """Read and decode an agenda file in one read. Raises OSError when it cannot be read."""
    p = Path(path)
    return decode_agenda(p.read_bytes(), p.name)


def _detect(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    try:
        data.decode("utf-8")
        return "utf_8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    return None if best is None else best.encoding


def _looks_binary(text: str) -> bool:
    """More than a few stray control or replacement characters: not text."""
    sample = text[:_BINARY_SAMPLE]
    odd = len(_ODD_CHARACTERS.findall(sample))
    return odd > max(2, len(sample) // 100)


def _not_text(name: str) -> str:
    return (
        f"{name} is not text (binary data, or an encoding other than UTF-8, UTF-16 "
        "or Windows-1252): save it as plain text (.txt, UTF-8)"
    )


def source_notes(source: SourceText, entries: int) -> list[str]:
    """What a reader should be told about a whole file, besides its line warnings.

    The encoding when it is not plain UTF-8; that the bytes are not text; that no
    entry was found in them. Each note is one sentence without the file's name.
    """
    if source.problem is not None:
        return [
            "not read: this is not text (binary data, or an encoding other than UTF-8, "
            "UTF-16 or Windows-1252); save it as plain text"
        ]
    notes = []
    if not source.is_utf8:
        notes.append(f"read as {source.encoding_name}, not UTF-8")
    if entries == 0:
        if source.text.strip():
            notes.append(
                "no agenda entry found: no line opens with a date followed by a title "
                "(e.g. 'October 6th 2021 Delegation from Wallonia')"
            )
        else:
            notes.append("no agenda entry found: the file is empty")
    return notes
