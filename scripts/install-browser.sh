#!/usr/bin/env bash
# Install Debian's headless Chromium and its chromedriver for the HTML report tests (tests/batch).
# Idempotent: does nothing when both are already on PATH. The tests drive /usr/bin/chromedriver
# directly and never let selenium-manager download a browser (no network beyond the registries).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser.sh: chromium/chromedriver missing and not root; the browser tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
