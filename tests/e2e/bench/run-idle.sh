#!/usr/bin/env bash
# Runs bench/idle.sh in the e2e harness (its own bus, Xvfb, tray host, HOME):
#   tests/e2e/bench/run-idle.sh target/debug/lanyard-app
# Results: the log lines, and tests/artifacts/e2e/bench-idle/idle.json (bench/idle/run reads it).
set -euo pipefail
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP="$(realpath "${1:?usage: run-idle.sh PATH/TO/lanyard-app}")"
ART="$E2E_DIR/../artifacts/e2e/bench-idle"
rm -rf "$ART" && mkdir -p "$ART"
settle="${IDLE_SETTLE:-60}" measure="${IDLE_MEASURE:-300}"
LANYARD_APP="$APP" E2E_ARTIFACTS="$ART" timeout --kill-after=10 $((settle + 2 * measure + 180)) \
  dbus-run-session --config-file="$E2E_DIR/lib/session-bus.conf" -- \
  bash "$E2E_DIR/lib/session.sh" "$E2E_DIR/bench/idle.sh" 2>&1 | grep -v '^dbus-daemon'
[[ -s "$ART/idle.json" ]] || { echo "run-idle: no idle.json (see $ART)" >&2; exit 1; }
