#!/usr/bin/env bash
# Makes sure `nats-server` (with JetStream) is installed for @tranche/bus-nats's tests and
# for distributed runs (tranche gateway / worker on NATS). Prints the binary's path on
# stdout. Idempotent: does nothing when it is already there; installs Debian's package
# `nats-server` (2.9.x on Debian 12/13) when we are root (CI); otherwise exits non-zero
# and says why.
set -euo pipefail

find_nats_server() {
  if [ -n "${NATS_SERVER_BIN:-}" ] && [ -x "$NATS_SERVER_BIN" ]; then
    echo "$NATS_SERVER_BIN"
    return 0
  fi
  local candidate
  for candidate in "$(command -v nats-server 2>/dev/null || true)" /usr/bin/nats-server /usr/sbin/nats-server /usr/local/bin/nats-server; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if find_nats_server; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-nats-server: nats-server is missing and we are not root; install it with: sudo apt-get install -y nats-server (or set NATS_SERVER_BIN)" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-nats-server: nats-server is missing and there is no apt-get to install it; install nats-server 2.9+ and put it on PATH (or set NATS_SERVER_BIN)" >&2
  exit 1
fi

echo "ensure-nats-server: installing nats-server with apt-get" >&2
# Wait for another apt/dpkg run (an image's own set-up, ensure-chromium) rather than fail on its lock.
if ! { apt-get -o DPkg::Lock::Timeout=300 update -qq &&
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends nats-server; } >&2; then
  echo "ensure-nats-server: apt-get could not install nats-server" >&2
  exit 1
fi
# Debian's package enables a system service; the tests start their own servers on free ports,
# so a packaged service left running on 4222 is harmless, but do not start one where there is none.

if ! find_nats_server; then
  echo "ensure-nats-server: apt-get finished but nats-server is still missing (dpkg -L nats-server lists what was installed)" >&2
  exit 1
fi
echo "ensure-nats-server: $("$(find_nats_server)" --version 2>/dev/null || echo nats-server) installed" >&2
