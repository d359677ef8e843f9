"""Hostile agenda text shared by the security tests (AppTest, exports, browser).

Each string once found a way in: markup in a title or file name, a link in a shared URL,
a formula in a spreadsheet cell. Real places (Lyon) so that maps and charts have data.
"""

from __future__ import annotations

SCRIPT = "</script><img src=x onerror=alert(1)>"
LINK = '<a href="https://evil.example/login">log in here</a>'
MD_LINK = "[log in here](https://evil.example/login)"
MD_IMAGE = "![pixel](https://evil.example/pixel.png)"
QUOTES = 'He said "hi" & <b>left</b>'
DIRECTIVES = ":red[alarm] :material/warning: $x^2$ `code"
FORMULA = '=HYPERLINK("https://evil.example","Click")'
BARE_URL = "See www.evil.example and https://evil.example/x"

HOSTILE_TITLES = [SCRIPT, LINK, MD_LINK, MD_IMAGE, QUOTES, DIRECTIVES, FORMULA, BARE_URL]
HOSTILE_FILE = "agenda `x` [log in](javascript:alert(1)) <b>.txt"
EVIL = "evil.example"
HOSTILE_MARKERS = ("evil", "log in", "alert", "HYPERLINK", "pixel", "left")


def hostile_agenda() -> str:
    """A bulleted archive whose titles and texts are each hostile, with real places."""
    lines = ["2021 October", ""]
    for day, title in enumerate(HOSTILE_TITLES, start=1):
        lines += [
            f"  • October {day}th 2021 - {title}",
            "",
            f"    The City of Torino welcomed a delegation from Lyon. {title} {MD_IMAGE}",
            "",
        ]
    return "\n".join(lines)
