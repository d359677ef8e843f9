"""The interface's language: a switch in the sidebar, kept in the URL as ``lang``.

A link carries its language (``?lang=it``); with none, the browser's preference (its
Accept-Language header, then ``navigator.language``) picks Italian or English. The
switch's choice is the truth during a session; the URL says it when it differs from
what the browser would pick, so a plain link stays plain.
"""

from __future__ import annotations

import streamlit as st

from intl_metrics.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    Translator,
    language_code,
    preferred_language,
)
from intl_metrics.i18n import translator as _translator

PARAM = "lang"
K_LANG = "ui_lang"  # the switch's widget key
K_CHOSEN = "ui_lang_chosen"  # the language of the session's last run
# Widgets whose choices are shown in words (the sidebar's filters, the pages' controls).
# The browser keeps a chosen option by its words: after a change of language it must be
# sent each one's value again, or it shows the old words (or none).
FORMATTED_KEYS: tuple[str, ...] = (
    "flt_period",
    "flt_quarter",
    "flt_month",
    "flt_themes",
    "flt_formats",
    "flt_activities",
    "flt_countries",
    "tl_per",
    "tl_by",
    "ev_sort",
    "brief_lang",
)


def browser_language() -> str:
    """The language the browser prefers among those offered; English when neither."""
    try:
        accept = st.context.headers.get("Accept-Language") or ""
        locale = st.context.locale or ""
    except Exception:  # no browser behind this run (a script, a test harness)
        return DEFAULT_LANGUAGE
    # the header lists every preference with its weight; the DOM's locale is the first one
    return preferred_language(",".join(x for x in (accept, locale) if x))


def start() -> str:
    """The language of this run. A session's first run takes it from the URL, else from
    the browser; later runs keep the switch's value (a click changes it).

    The switch's own key is never written here: once the switch is drawn in a run, a
    write to its key raises. When the browser sends the switch no value (a run started
    by a click while the page was still being drawn, seen under load), the language of
    the session's last run (``K_CHOSEN``) holds."""
    ss = st.session_state
    value = ss.get(K_LANG)
    if value in LANGUAGES:
        ss[K_CHOSEN] = value
        return value
    chosen = ss.get(K_CHOSEN)
    if chosen not in LANGUAGES:
        chosen = language_code(st.query_params.get(PARAM)) or browser_language()
        ss[K_CHOSEN] = chosen
    return chosen


def current() -> str:
    """The language of this run (see start)."""
    return start()


def translator() -> Translator:
    """The Translator of this run's language."""
    return _translator(current())


def switch() -> None:
    """The language switch in the sidebar, each language named in itself; then the URL."""
    ss = st.session_state
    language = current()
    if ss.get(K_LANG) not in LANGUAGES:
        ss[K_LANG] = language  # before the switch is drawn, its key may be set
    st.sidebar.segmented_control(
        translator().gettext("Language"),
        LANGUAGES,
        format_func=LANGUAGE_NAMES.get,
        key=K_LANG,
        required=True,
        on_change=_resend_choices,
    )
    write_url()


def _resend_choices() -> None:
    """Set every worded widget's value again (Streamlit then sends it to the browser)."""
    ss = st.session_state
    for key in FORMATTED_KEYS:
        if key in ss:
            ss[key] = ss[key]


def write_url() -> None:
    """``lang`` in the URL when the language is not the one the browser would pick."""
    lang = current()
    have = st.query_params.get(PARAM)
    if lang != browser_language():
        if have != lang:
            st.query_params[PARAM] = lang
    elif have is not None:
        del st.query_params[PARAM]
