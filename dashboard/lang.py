"""The interface's language: ``lang`` in the URL, else the browser's preferred language.

A shared link carries its language (``?lang=it``); with none, the browser's preference
(its Accept-Language header, then ``navigator.language``) picks Italian or English.
"""

from __future__ import annotations

import streamlit as st

from intl_metrics.i18n import DEFAULT_LANGUAGE, Translator, language_code, preferred_language
from intl_metrics.i18n import translator as _translator

PARAM = "lang"


def browser_language() -> str:
    """The language the browser prefers among those offered; English when neither."""
    try:
        accept = st.context.headers.get("Accept-Language") or ""
        locale = st.context.locale or ""
    except Exception:  # no browser behind this run (a script, a test harness)
        return DEFAULT_LANGUAGE
    # the header lists every preference with its weight; the DOM's locale is the first one
    return preferred_language(",".join(x for x in (accept, locale) if x))


def current() -> str:
    """The language of this run: the URL's ``lang`` when it names one, else the browser's."""
    return language_code(st.query_params.get(PARAM)) or browser_language()


def translator() -> Translator:
    """The Translator of this run's language."""
    return _translator(current())
