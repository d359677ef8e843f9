"""The sidebar's login under AppTest: refusals, waits, logout, idle sessions, forgeries.

Logging in and out write the store's sessions: those tests run on SQLite and on a real
PostgreSQL (the store_url fixture).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from staff import add_account, log_in, logged_in_as

from intl_metrics.store import open_store, users

pytestmark = pytest.mark.usefixtures("bundled_data")


def ok(at) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.body for e in at.error]


@pytest.mark.usefixtures("store_url")
def test_a_wrong_password_is_refused_calmly_and_the_right_one_logs_in(app_test):
    add_account("ann")
    at = app_test()
    assert logged_in_as(at) is None
    log_in(at, "ann", "not the password at all")
    ok(at)
    assert any("Wrong name or password" in w.value for w in at.sidebar.warning)
    assert logged_in_as(at) is None and "auth_token" not in at.session_state
    log_in(at)
    ok(at)
    assert logged_in_as(at) == "Logged in as ann (editor)"
    # the password is not kept in the session once used
    assert not at.session_state["auth_login_password"]


def test_repeated_failures_make_the_next_try_wait(app_test):
    add_account("ann")
    at = app_test()
    for _ in range(users.FREE_FAILURES + 1):
        log_in(at, "ann", "wrong password, again")
    log_in(at)  # the right password, but during the wait: not even read
    ok(at)
    assert logged_in_as(at) is None
    assert any("Too many failed logins" in w.value for w in at.sidebar.warning)


@pytest.mark.usefixtures("store_url")
def test_logging_out_ends_the_session_in_the_store(app_test):
    add_account("ann")
    at = log_in(app_test())
    token = at.session_state["auth_token"]
    assert users.session_user(open_store(), token) is not None
    at.button(key="auth_logout").click().run()
    ok(at)
    assert logged_in_as(at) is None
    # another tab holding the same token is logged out too
    assert users.session_user(open_store(), token) is None


def test_an_idle_session_ends_and_says_so(app_test):
    add_account("ann")
    at = log_in(app_test())
    long_ago = datetime.now(UTC) - timedelta(hours=3)
    with open_store().bookkeeping() as conn:
        conn.execute(sa.text("UPDATE user_sessions SET last_seen_at = :t"), {"t": long_ago})
    at.run()
    ok(at)
    assert logged_in_as(at) is None
    assert any("session ended" in i.value for i in at.sidebar.info)


def test_a_forged_token_or_role_in_the_session_state_is_nobody(app_test):
    add_account("ann")
    at = app_test("events")
    at.session_state["auth_token"] = "made-up-token"
    at.session_state["role"] = "editor"
    at.session_state["user"] = "ann"
    at.run()
    ok(at)
    assert logged_in_as(at) is None
    assert "Save the correction" not in [b.label for b in at.button]


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "client"),
    [
        ("10.0.0.9", "", 0, "10.0.0.9"),  # no proxy: the peer
        ("10.0.0.9", "203.0.113.5", 0, "10.0.0.9"),  # a header with no proxy trusted: forged
        ("10.0.0.9", "203.0.113.5", 1, "203.0.113.5"),  # one balancer: what it saw
        ("10.0.0.9", "6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),  # a forged first hop
        ("10.0.0.9", "203.0.113.5, 10.0.0.8", 2, "203.0.113.5"),  # two proxies
        ("10.0.0.9", "203.0.113.5", 2, "10.0.0.9"),  # a chain shorter than configured
    ],
)
def test_failed_logins_are_counted_per_browser_behind_trusted_proxies(
    peer, forwarded, proxies, client
):
    import auth

    assert auth.client_address(peer, forwarded, proxies) == client
