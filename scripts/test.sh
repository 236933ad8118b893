#!/usr/bin/env bash
# The test command (README, .ci/run): install into .venv, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-browser.sh   # Debian's chromium + chromedriver for the HTML report test
bash scripts/install-libreoffice.sh   # LibreOffice Writer (soffice) for the Word-to-PDF export test (tests/structure)
exec .venv/bin/python -m pytest -n 2 --dist loadfile -q "$@"
