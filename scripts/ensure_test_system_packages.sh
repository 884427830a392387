#!/usr/bin/env bash
# Install the Debian packages the test suite needs, only when missing: chromium (browser
# tests), postgresql (second database), and what documents need (scripts/document_packages.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
mapfile -t -O "${#missing[@]}" missing < <(scripts/document_packages.sh)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "安装测试所需的系统软件包：${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
