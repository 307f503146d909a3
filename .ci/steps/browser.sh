#!/usr/bin/env bash
# Installs Debian's Chromium for the kernels-wasm browser smoke test
# (packages/kernels-wasm/test/browser/browser.test.ts drives /usr/bin/chromium with playwright-core,
# which never downloads a browser of its own). In CI that test fails without it.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  exit 0
fi
echo "installing chromium (apt)"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
  echo "ERROR: could not install chromium; the kernels-wasm browser test needs /usr/bin/chromium" >&2
  exit 1
fi
/usr/bin/chromium --version 2>/dev/null | head -n 1
