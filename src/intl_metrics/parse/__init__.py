"""Agenda text -> dated entries: date expressions (dates.py) and page formats (entries.py)."""

from __future__ import annotations

from intl_metrics.parse.dates import parse_date_expression
from intl_metrics.parse.entries import ParseResult, cut_points, parse_file, parse_text

__all__ = ["ParseResult", "cut_points", "parse_date_expression", "parse_file", "parse_text"]
