"""Fixtures of the browser tests: the dashboard on the bundled data, and chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# pytest puts this folder on sys.path (no __init__.py): the helpers import by name
from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, streamlit_server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The dashboard on the bundled data, on a free local port, stopped afterwards."""
    try:
        with streamlit_server() as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
