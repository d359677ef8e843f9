"""Stand-in for ``intl_metrics.parse.sources`` (issue 9) until it lands: delete on that merge.

Same signature as the real reader; decodes UTF-8 only, undecodable bytes replaced.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceText:
    """Agenda bytes decoded: the text, how, and why they may not be agenda text."""

    text: str
    encoding: str
    sha256: str
    size: int
    problem: str | None = None


def decode_agenda(data: bytes, name: str) -> SourceText:
    """Decode agenda bytes (stand-in: UTF-8, with or without BOM, errors replaced)."""
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    text = data.decode(encoding, errors="replace")
    return SourceText(text, encoding, hashlib.sha256(data).hexdigest(), len(data))


def read_agenda(path: str | os.PathLike[str]) -> SourceText:
    """Read and decode a file once; raises OSError."""
    with open(path, "rb") as fh:
        data = fh.read()
    return decode_agenda(data, os.path.basename(path))
