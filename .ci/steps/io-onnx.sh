#!/usr/bin/env bash
# Installs Debian's python3-onnx so the io-onnx test can run onnx.checker.check_model on every
# exported model (packages/io-onnx/test/onnx_check.test.ts skips, with a message, without it).
set -euo pipefail
if /usr/bin/python3 -c 'import onnx' >/dev/null 2>&1; then
  echo "python3-onnx present"
  exit 0
fi
echo "installing python3-onnx (apt)"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends python3-onnx >/dev/null; }; then
  echo "WARNING: could not install python3-onnx; the io-onnx onnx.checker test will be skipped" >&2
fi
