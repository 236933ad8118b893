#!/usr/bin/env bash
# The test command (README, .ci/run): install into .venv, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-browser.sh   # Debian's chromium + chromedriver for the HTML report test
bash scripts/install-libreoffice.sh   # Debian's headless LibreOffice Writer: .doc/.wps reports, Word-to-PDF export tests
# The example plugin, for its own tests and the plugin tests (not part of the reviewer's set-up),
# and held to the standard the plugin docs promise: mypy --strict clean.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e plugins/gkcheck-example
(cd plugins/gkcheck-example && ../../.venv/bin/python -m mypy --strict src)
exec .venv/bin/python -m pytest -n 2 --dist loadfile -q "$@"
