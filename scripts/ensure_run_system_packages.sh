#!/usr/bin/env bash
# `make run`: install what PDF documents need when it is missing and apt can reach its
# registry. Without them the application still runs; PDF downloads then say why they fail.
set -uo pipefail
cd "$(dirname "$0")/.."
mapfile -t missing < <(scripts/document_packages.sh)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "提示：未安装 ${missing[*]}，PDF 公文暂不可用。"; exit 0; }
  SUDO="sudo -n"
fi
echo "安装生成 PDF 公文所需的系统软件包：${missing[*]}"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "提示：安装 ${missing[*]} 失败，PDF 公文暂不可用；DOCX 与 Excel 不受影响。"
fi
exit 0
