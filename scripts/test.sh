#!/usr/bin/env bash
# Install what the tests need on a fresh Debian/Ubuntu machine, then run them.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=0
command -v soffice >/dev/null 2>&1 || need_apt=1
command -v pdftoppm >/dev/null 2>&1 || need_apt=1
command -v pdftotext >/dev/null 2>&1 || need_apt=1
fc-list 2>/dev/null | grep -qi "Noto Serif CJK" || need_apt=1
[ -x /usr/bin/chromium ] || need_apt=1  # browser tests of the web page (Playwright drives it)
# Fandol (仿宋/楷体/黑体/宋体) for PDF output, see drafting/pdffonts.py
[ -f /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf ] || need_apt=1
if [ "$need_apt" = 1 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    libreoffice-writer-nogui fonts-noto-cjk poppler-utils chromium
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    texlive-lang-chinese
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'  # the test extra brings playwright (never `playwright install`: it uses /usr/bin/chromium)
exec .venv/bin/python -m pytest -q "$@"
