#!/usr/bin/env bash
# Keep the translations in step with the code (Babel):
#   1. extract every marked string (gettext, ngettext, pgettext, N_, NP_) of src/ and dashboard/
#   2. merge it into src/intl_metrics/locales/{en,it}/LC_MESSAGES/intl_metrics.po: a new
#      string gets an empty msgstr to translate, a string gone from the code is dropped
#   3. compile the .mo files the program reads (scripts/setup.sh does this step too)
# Then translate the empty msgstr of the Italian .po; tests/test_i18n.py fails until every
# string has its Italian.
set -euo pipefail
cd "$(dirname "$0")/.."
LOCALES=src/intl_metrics/locales
DOMAIN=intl_metrics
pot=$(mktemp --suffix .pot)
trap 'rm -f "$pot"' EXIT
.venv/bin/pybabel --quiet extract --no-location --sort-output --keyword NP_:1c,2 \
  --project intl-metrics --copyright-holder "City of Torino" -o "$pot" src dashboard
for lang in en it; do
  if [ -f "$LOCALES/$lang/LC_MESSAGES/$DOMAIN.po" ]; then
    .venv/bin/pybabel --quiet update --no-fuzzy-matching --ignore-obsolete \
      -D "$DOMAIN" -i "$pot" -d "$LOCALES" -l "$lang"
  else
    .venv/bin/pybabel --quiet init -D "$DOMAIN" -i "$pot" -d "$LOCALES" -l "$lang"
  fi
  # the extraction time changes on every run: leave it out, so only real changes show in git
  sed -i '/^"POT-Creation-Date: /d' "$LOCALES/$lang/LC_MESSAGES/$DOMAIN.po"
done
.venv/bin/pybabel compile --statistics -D "$DOMAIN" -d "$LOCALES"
