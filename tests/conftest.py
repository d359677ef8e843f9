"""Shared test set-up: paths of the checkout, and the dashboard under AppTest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from checkout import APP, RAW


@pytest.fixture
def bundled_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The dashboard reads data/raw, whatever the developer's INTL_METRICS_DATA says."""
    monkeypatch.delenv("INTL_METRICS_DATA", raising=False)
    return RAW


@pytest.fixture
def app_test() -> Callable[..., object]:
    """Make an AppTest of the dashboard, optionally on a page and with URL parameters."""
    from streamlit.testing.v1 import AppTest

    def make(page: str | None = None, **params: str | list[str]) -> AppTest:
        """The app opened on ``page`` with ``params``, as a link to that page opens it."""
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params.update(params)
        if page not in (None, "overview"):  # the Overview is the root page
            at.switch_page(f"app_pages/{page}.py")
        at.run()
        return at

    return make


@pytest.fixture(scope="session")
def export_server():
    """Kaleido's chromium, started once for every test of a worker that draws static images."""
    from intl_metrics import export

    export.start_export_server()
    yield
    export.stop_export_server()


# The stores every test gets, and the PostgreSQL server of the store tests (stores.py).
from stores import (  # noqa: E402
    _own_store,  # noqa: F401
    _sqlite_template,  # noqa: F401
    other_store_url,  # noqa: F401
    postgres_server,  # noqa: F401
    store_url,  # noqa: F401
)
