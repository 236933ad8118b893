#!/usr/bin/env bash
# Install the CJK fonts the LOGO benchmarks' photo generators draw with (benchmarks/logo_set.py,
# logo_designs.py, logo_set_b.py, logo_set_c.py): Noto Sans/Serif CJK, WenQuanYi Zen Hei /
# Micro Hei and AR PL UKai. The generators fall back to the fonts present, so sets made without
# these differ from the ones measured in docs/vision/logo.md. Not needed by the tests. Idempotent.
set -euo pipefail
need=()
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc ] || need+=(fonts-noto-cjk)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
[ -e /usr/share/fonts/truetype/arphic/ukai.ttc ] || need+=(fonts-arphic-ukai)
[ "${#need[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-bench-fonts.sh: missing ${need[*]} and not root: install them with apt-get" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
