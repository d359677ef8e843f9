"""Staff accounts for the dashboard tests: made in the test's store, logged in by the form."""

from __future__ import annotations

import sys

from checkout import APP

from intl_metrics.store import open_store, users

if str(APP.parent) not in sys.path:  # the dashboard's own modules (auth, editing, ...)
    sys.path.insert(0, str(APP.parent))

PASSWORD = "a long enough password"


def add_account(name: str = "ann", role: str = "editor") -> None:
    """An account in the store INTL_METRICS_DB names (as `intl-metrics users add` makes)."""
    users.add_user(open_store(), "admin-cli", name, role, PASSWORD)


def log_in(at, name: str = "ann", password: str = PASSWORD):
    """Log in through the sidebar's form, as a person does; the app after the click."""
    at.text_input(key="auth_login_name").set_value(name)
    at.text_input(key="auth_login_password").set_value(password)
    return at.get("form_submit_button")[0].click().run()


def logged_in_as(at) -> str | None:
    """The 'Logged in as …' line of the sidebar, None for a viewer."""
    return next((x.value for x in at.sidebar.text if x.value.startswith("Logged in as")), None)
