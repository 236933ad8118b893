#!/usr/bin/env bash
# Create .venv (once) and install gkcheck and its test tools into it: the reviewer's environment.
# The example plugin is NOT installed here (it would add its EXA101 column to every reviewer's
# spreadsheet); scripts/test.sh installs it for the tests. Idempotent: a second run only
# re-installs when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.gkcheck-installed
want=$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
  echo "$want" > "$stamp"
fi
