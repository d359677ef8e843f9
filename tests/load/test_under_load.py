"""20 browser sessions at once, 2 rounds over every page: no error, and the server's CPU
and memory per view within 3x of a trivial two-page Streamlit app measured in the same run.

Not in the default run (marker `load`, minutes of wall time on 2 cores):
    .venv/bin/python -m pytest -m load tests/load
The same harness writes benchmarks/results.md: `python tests/load/harness.py --results`.
"""

from __future__ import annotations

import pytest
from harness import CHROMIUM, run_both

pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


def test_twenty_sessions_twice_over_every_page_give_no_error_and_stay_near_a_trivial_app():
    dashboard, trivial = run_both(sessions=20, rounds=2, data=None)
    assert dashboard.views == 20 * 2 * 6 and trivial.views == 20 * 2 * 2
    assert dashboard.errors == []
    assert dashboard.cpu_ms_per_view <= 3 * trivial.cpu_ms_per_view
    assert dashboard.memory_kb_per_view <= 3 * max(trivial.memory_kb_per_view, 1.0)
