"""Text cells that a spreadsheet shows as values, never runs as formulas (CSV injection).

A title or a file name that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return, which some spreadsheets skip before reading one of those) is taken
by Excel, LibreOffice and Google Sheets as a formula when a CSV is opened:
``=HYPERLINK("http://...","Click")`` becomes a live link, and older setups ran DDE
commands. As OWASP's CSV-injection guidance says, such a cell is prefixed with a single
quote, which makes the spreadsheet read it as text; the csv module quotes the rest.
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "safe_cell"]

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text value that cannot start a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
