#!/usr/bin/env bash
# Create .venv (once) and install gkcheck, its test tools and the example plugin into it.
# Idempotent: a second run only re-installs when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.gkcheck-installed
want=$(cat pyproject.toml plugins/gkcheck-example/pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install --quiet --disable-pip-version-check \
    -e ".[dev]" -e plugins/gkcheck-example
  echo "$want" > "$stamp"
fi
