#!/usr/bin/env bash
# Install Debian's headless LibreOffice Writer (soffice) for the tests and sample generators that
# export Word reports to PDF (tests/structure). Idempotent: does nothing when soffice is on PATH.
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-libreoffice.sh: soffice missing and not root; the LibreOffice tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk >/dev/null
