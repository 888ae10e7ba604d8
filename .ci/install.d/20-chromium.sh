#!/usr/bin/env bash
# The real-browser test of `copsim serve` (web/browser_test.go) drives
# Debian's headless chromium; with CI=true it fails rather than skips when
# chromium is missing, so install it here.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -E"; fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium
/usr/bin/chromium --version
