#!/usr/bin/env bash
# Print the Debian packages that official documents need and that are missing, one a line:
# LibreOffice turns DOCX into PDF; the CJK fonts stand in for the official ones.
set -euo pipefail
command -v soffice >/dev/null 2>&1 || echo libreoffice-writer-nogui
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || echo fonts-noto-cjk
dpkg -s fonts-arphic-ukai >/dev/null 2>&1 || echo fonts-arphic-ukai
exit 0
