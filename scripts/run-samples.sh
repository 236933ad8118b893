#!/usr/bin/env bash
# The main job on the samples: a batch review of samples/submissions into out/.
# 9 of the 14 samples fail by design: their findings are the demo's output, so the script ends
# with status 0 when the review ran (gkcheck's status 1, "findings"), and only fails on status 2
# (usage, configuration or output problems).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
status=0
GKCHECK_DISABLE_PLUGINS="example${GKCHECK_DISABLE_PLUGINS:+,$GKCHECK_DISABLE_PLUGINS}" \
  .venv/bin/gkcheck batch samples/submissions --out out "$@" || status=$?
if [ "$status" -gt 1 ]; then
  exit "$status"
fi
echo "审核报告 / reports: out/report.html  out/summary.xlsx  out/results.json"
exit 0
