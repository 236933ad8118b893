#!/usr/bin/env bash
# The main job on the samples: a batch review of samples/submissions into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/gkcheck batch samples/submissions --out out "$@"
echo "Reports: out/report.html  out/summary.xlsx  out/results.json"
