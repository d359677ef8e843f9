#!/usr/bin/env bash
# Set up everything intl-metrics needs on a fresh Debian machine with Python 3.11+:
# a virtual environment in .venv with the package (and, with --dev, the test tools),
# Debian's chromium, which static chart export (Kaleido) and the browser tests use, and
# with --dev Debian's postgresql, whose server the store's tests start in a temp folder.
# The dashboard itself needs no database server: its store is a SQLite file by default.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi; }
apt_updated=""
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq || return 1; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv with $($PY --version)"
  if ! $PY -m venv .venv 2>/dev/null; then
    rm -rf .venv
    echo "== python3 -m venv failed: installing Debian's python3-venv"
    apt_install python3-venv || { echo "setup: cannot create a venv (install python3-venv)" >&2; exit 1; }
    $PY -m venv .venv
  fi
fi
# Install only when what decides the install changed since the last one (the project's
# dependencies, this script, the extras asked for): a start with nothing new took ~5 s
# of pip. The stamp is written after a successful install.
stamp=.venv/.intl-metrics-setup
want="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1) ${extras:-base}"
have=$(cat "$stamp" 2>/dev/null || true)
if [ "$have" = "$want" ] || { [ -z "$extras" ] && [ "$have" = "${want% *} [dev]" ]; }; then
  echo "== intl-metrics${extras} is installed and up to date in .venv"
else
  echo "== installing intl-metrics${extras} into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  echo "$want" > "$stamp"
fi
# the interface's translations: .po files (in git) -> the .mo files gettext reads; every
# run (a fraction of a second), since a pull can bring new translations without new deps
.venv/bin/python -m babel.messages.frontend --quiet compile --domain intl_metrics \
  --directory src/intl_metrics/locales

if ! command -v chromium >/dev/null; then
  echo "== installing Debian's chromium (chart export to PNG/SVG/PDF, browser tests)"
  apt_install chromium fonts-dejavu-core \
    || echo "setup: could not install chromium (not root?): static export and browser tests will say so" >&2
fi
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  echo "== installing Debian's DejaVu fonts (the briefing's PDF prints every accent with them)"
  apt_install fonts-dejavu-core \
    || echo "setup: could not install fonts-dejavu-core: the briefing's PDF will use Helvetica" >&2
fi
if [ -n "$extras" ] && ! command -v pdftoppm >/dev/null; then
  echo "== installing Debian's poppler-utils (the tests read and render the briefing's PDF)"
  apt_install poppler-utils \
    || echo "setup: could not install poppler-utils: the PDF page tests will be skipped" >&2
fi

if [ -n "$extras" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
    && ! command -v initdb >/dev/null; then
  echo "== installing Debian's postgresql (the store's tests run on SQLite and PostgreSQL)"
  # Only the binaries are used: the tests start a throwaway cluster of their own, so the
  # package's own cluster and service are not needed (and may not start in a container).
  apt_install postgresql \
    || echo "setup: could not install postgresql (not root?): the PostgreSQL tests will fail and say why" >&2
fi
