"""Who is using the dashboard: the login form in the sidebar, the session, the refusals.

A login gives a random session token (``users.log_in``); the browser's session keeps only
that token, under ``K_TOKEN``. Every run asks the store who the token belongs to
(``users.session_user``), so a session idle past the store's timeout, a logout in another
tab, a new password or a disabled account ends it on the next click. Nothing else in the
session state says who someone is: a role or a name put there is never read, and a
made-up token names nobody. Writes carry the token as an ``Actor``; the store checks it
again inside the write's transaction (``access.check_write``), whatever a page drew.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.logger import get_logger

from intl_metrics.i18n import Translator
from intl_metrics.store.access import Actor, WriteRefused

if TYPE_CHECKING:  # the account machinery is imported when someone logs in, not before
    from intl_metrics.store.users import Login, SessionUser

log = get_logger("intl_metrics.dashboard")

K_TOKEN = "auth_token"
_K_ENDED = "auth_ended"  # a session that ended since the last run: said once
_K_FORM = "auth_login"


def _store():
    from intl_metrics.store import open_store

    return open_store()


def _token() -> str:
    token = st.session_state.get(K_TOKEN)
    return token if isinstance(token, str) else ""


def current_user() -> SessionUser | None:
    """Who this session is logged in as, asked of the store now; None for a viewer."""
    from intl_metrics.store.users import session_user

    token = _token()
    if not token:
        return None
    try:
        user = session_user(_store(), token)
    except Exception:
        log.exception("could not check the session")
        return None
    if user is None:
        st.session_state.pop(K_TOKEN, None)
        st.session_state[_K_ENDED] = True
    return user


def actor() -> Actor:
    """What a write from this session carries: its token (empty for a viewer)."""
    return Actor(_token())


def is_editor(user: SessionUser | None) -> bool:
    """An editor or an admin: may ingest, correct, undo and review."""
    return user is not None and user.role in ("editor", "admin")


def client_address(peer: str, forwarded_for: str, proxies: int) -> str:
    """The browser's address as the last of ``proxies`` trusted proxies saw it.

    Behind a load balancer every browser reaches Streamlit from the balancer's address:
    counted per that address, one person's failed logins would make every user wait. Each
    trusted proxy appends the address it was reached from to ``X-Forwarded-For``; the
    ``proxies``-th address from the right is the one the outermost trusted proxy saw
    (what is left of it was written by the browser, so could be forged). With no proxy
    configured, or a header shorter than the chain, the peer address is used.
    """
    hops = [part.strip() for part in forwarded_for.split(",") if part.strip()]
    if proxies > 0 and len(hops) >= proxies:
        return hops[-proxies]
    return peer


def _trusted_proxies() -> int:
    try:
        return max(0, int(os.environ.get("INTL_METRICS_TRUSTED_PROXIES", "0") or 0))
    except ValueError:
        log.warning("INTL_METRICS_TRUSTED_PROXIES is not a whole number: no proxy trusted")
        return 0


def client() -> str:
    """What identifies the browser's machine, for counting failed logins per client."""
    try:
        peer = str(st.context.ip_address or "")
        forwarded = str(st.context.headers.get("X-Forwarded-For") or "")
    except Exception:  # no browser behind this run (a test harness)
        return ""
    return client_address(peer, forwarded, _trusted_proxies())


def login_refusal(login: Login, t: Translator) -> str:
    """Why a login did not succeed, in ``t``'s language."""
    _ = t.gettext
    if login.refusal == "wait":
        return _(
            "Too many failed logins for this name or from this computer: wait {seconds} s "
            "and try again."
        ).format(seconds=t.number(login.wait_seconds))
    text = _("Wrong name or password.")
    if login.wait_seconds:
        text += " " + _("Wait {seconds} s before the next try.").format(
            seconds=t.number(login.wait_seconds)
        )
    return text


def write_refusal(exc: WriteRefused, t: Translator) -> str:
    """A refused write, said in ``t``'s language by its reason."""
    _ = t.gettext
    return {
        "no-login": _("Not saved: only a logged-in editor can change the data. Log in first."),
        "session-ended": _("Not saved: your session ended. Log in again."),
        "disabled": _("Not saved: this account is disabled."),
        "role": _("Not saved: this account may not make this change."),
    }.get(exc.reason, _("Not saved: this change is not allowed."))


def _log_in(t: Translator) -> None:
    from intl_metrics.store.users import log_in

    ss = st.session_state
    name = str(ss.get(f"{_K_FORM}_name") or "").strip()
    password = str(ss.get(f"{_K_FORM}_password") or "")
    ss[f"{_K_FORM}_password"] = ""  # never kept past this click
    if not name or not password:
        ss[f"{_K_FORM}_message"] = t.gettext("Enter your name and password.")
        return
    try:
        login = log_in(_store(), name, password, client())
    except Exception:
        log.exception("login failed")
        ss[f"{_K_FORM}_message"] = t.gettext(
            "The login could not be checked now; the details are in the server log."
        )
        return
    if login.token is None:
        ss[f"{_K_FORM}_message"] = login_refusal(login, t)
        return
    ss[K_TOKEN] = login.token
    ss.pop(f"{_K_FORM}_message", None)
    ss.pop(_K_ENDED, None)


def log_out() -> None:
    """End this session in the store (every tab of it) and forget its token."""
    from intl_metrics.store.users import end_session

    token = _token()
    st.session_state.pop(K_TOKEN, None)
    try:
        end_session(_store(), token)
    except Exception:
        log.exception("logout could not reach the store")


def sidebar(t: Translator) -> SessionUser | None:
    """The login form (a viewer) or who is logged in and Log out (staff); who it is."""
    _ = t.gettext
    ss = st.session_state
    user = current_user()
    sb = st.sidebar
    if user is not None:
        with sb.container(border=True):
            role = _("admin") if user.role == "admin" else _("editor")
            st.text(_("Logged in as {name} ({role})").format(name=user.name, role=role))
            st.button(
                _("Log out"),
                key="auth_logout",
                on_click=log_out,
                icon=":material/logout:",
                width="stretch",
            )
        return user
    ended = ss.pop(_K_ENDED, False)
    message = ss.pop(f"{_K_FORM}_message", None)
    with sb.expander(_("Staff login"), icon=":material/login:", expanded=bool(message or ended)):
        if ended:
            st.info(_("Your session ended. Log in again to make changes."))
        with st.form(_K_FORM, border=False, enter_to_submit=True):
            st.text_input(_("Name"), key=f"{_K_FORM}_name", max_chars=64, autocomplete="username")
            st.text_input(
                _("Password"),
                key=f"{_K_FORM}_password",
                type="password",
                max_chars=1024,
                autocomplete="current-password",
            )
            st.form_submit_button(
                _("Log in"), on_click=_log_in, args=(t,), type="primary", width="stretch"
            )
        if message:
            st.warning(message, icon=":material/lock:")
        st.caption(_("Viewers need no login. Editors log in to add agenda and correct events."))
    return None
