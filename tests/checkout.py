"""Paths of the checkout the tests run in (imported by name: tests/ is on sys.path)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
RAW = ROOT / "data" / "raw"
