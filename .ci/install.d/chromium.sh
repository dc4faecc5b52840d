#!/usr/bin/env bash
# Debian's Chromium for the HTML report's browser tests (tests/reporters/test_report_html_browser.py).
# The tests drive it with Playwright for Python (a test extra) through executable_path=/usr/bin/chromium;
# Playwright never downloads a browser of its own here. Fonts make the screenshots legible.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
chromium --version 2>/dev/null || true
