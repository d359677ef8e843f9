#!/usr/bin/env bash
# Set up and start the dashboard on the bundled data (data/raw/).
#   scripts/dashboard.sh                      the bundled agenda pages
#   scripts/dashboard.sh --synthetic 100000   a synthetic archive of N events (issue 5 scale)
# Extra arguments after -- go to `streamlit run` (e.g. -- --server.port 8502).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if [ "${1:-}" = "--synthetic" ]; then
  n=${2:?"--synthetic needs a number of events"}; shift 2
  out="data/synthetic/synth-${n}.txt"
  mkdir -p data/synthetic
  [ -f "$out" ] || .venv/bin/intl-metrics synth --events "$n" --seed 1 --out "$out"
  export INTL_METRICS_DATA="$out"
  # its own store beside it, so the synthetic events never mix with the real agenda
  export INTL_METRICS_DB="${INTL_METRICS_DB:-data/synthetic/synth-${n}.db}"
fi
[ "${1:-}" = "--" ] && shift
exec .venv/bin/python -m streamlit run dashboard/app.py "$@"
