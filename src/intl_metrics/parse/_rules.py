"""Where the parser's rule tables live, and how they are read."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

# data/rules of the checkout; INTL_METRICS_RULES points elsewhere (an installed copy, tests).
RULES_DIR = Path(__file__).resolve().parents[3] / "data" / "rules"


@cache
def load_rules(name: str) -> dict[str, Any]:
    """The TOML table ``data/rules/<name>.toml``, read once."""
    base = Path(os.environ.get("INTL_METRICS_RULES") or RULES_DIR)
    with open(base / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)
