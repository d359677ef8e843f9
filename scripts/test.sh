#!/usr/bin/env bash
# Set up and run every test: lint, unit, property, AppTest and real-browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
echo "== ruff check"
.venv/bin/ruff check .
echo "== pytest"
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
