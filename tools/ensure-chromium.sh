#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is at /usr/bin/chromium for the HTML report's
# browser check (apps/runner/test/html-report.spec.ts, tools/screenshot-report.mjs).
# Idempotent: does nothing when it is already there; installs Debian's package when we are
# root (CI); otherwise exits non-zero and says why.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing and we are not root; install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and there is no apt-get to install it; install Chromium at $CHROMIUM" >&2
  exit 1
fi

echo "ensure-chromium: installing chromium with apt-get (takes a minute or two)" >&2
# Wait for another apt/dpkg run (an image's own set-up) rather than fail on its lock.
if ! { apt-get -o DPkg::Lock::Timeout=300 update -qq &&
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium; } >&2; then
  echo "ensure-chromium: apt-get could not install chromium" >&2
  exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed" >&2
