#!/usr/bin/env bash
# The desktop end-to-end suite: runs every case in tests/e2e/cases/ (or the ones named), each in
# its own `dbus-run-session` with its own Xvfb, HOME and daemons (lib/session.sh), against an
# already built lanyard-app. It builds nothing.
#
# Usage: tests/e2e/run.sh PATH/TO/lanyard-app [CASE_NAME...]
#   The binary must embed the UI: build it with `--features custom-protocol`.
# Environment: E2E_ARTIFACTS_DIR (default tests/artifacts/e2e) receives per-case logs and the
#   window screenshots; E2E_CASE_TIMEOUT (default 90) bounds each case, in seconds, unless the
#   case says otherwise (a line `# e2e-timeout: SECONDS`).
# Prints one line per case and a last line "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$E2E_DIR/../.." && pwd)"

if [[ $# -lt 1 ]]; then
  echo "usage: $0 PATH/TO/lanyard-app [CASE_NAME...]" >&2
  exit 2
fi
APP="$(realpath -e "$1" 2>/dev/null)" || {
  echo "error: $1 does not exist; build it first (cargo build -p lanyard-app --features custom-protocol)" >&2
  exit 2
}
shift
[[ -x "$APP" ]] || { echo "error: $APP is not executable" >&2; exit 2; }

ARTIFACTS="${E2E_ARTIFACTS_DIR:-$REPO/tests/artifacts/e2e}"
CASE_TIMEOUT="${E2E_CASE_TIMEOUT:-90}"

# Everything the cases need, checked up front so a missing tool is one clear message.
missing=()
for tool in Xvfb xdpyinfo xwininfo xmessage xdotool import identify dbus-run-session status-notifier-watcher \
  dunst dunstctl notify-send curl node tauri-driver WebKitWebDriver timeout xclip dbus-monitor sha1sum; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
/usr/bin/python3 -c 'import dbus' 2>/dev/null || missing+=("python3-dbus (for /usr/bin/python3)")
(cd "$E2E_DIR" && node -e "import('webdriverio')" 2>/dev/null) || missing+=("webdriverio (npm install)")
if ((${#missing[@]})); then
  echo "error: missing: ${missing[*]}" >&2
  echo "  Debian: xvfb x11-utils xdotool imagemagick dbus dunst libnotify-bin curl" \
    "haskell-status-notifier-item-utils webkit2gtk-driver python3-dbus xclip;" \
    "cargo install tauri-driver --locked; npm install" >&2
  exit 2
fi

cases=()
if (($#)); then
  for name in "$@"; do
    [[ -f "$E2E_DIR/cases/$name.sh" ]] || { echo "error: no case $name" >&2; exit 2; }
    cases+=("$E2E_DIR/cases/$name.sh")
  done
else
  cases=("$E2E_DIR"/cases/*.sh)
fi

mkdir -p "$ARTIFACTS"
echo "e2e: ${#cases[@]} cases against $APP (artifacts in $ARTIFACTS)"
passed=0
failed=0
failures=()
suite_start=$SECONDS
for case_file in "${cases[@]}"; do
  name="$(basename "$case_file" .sh)"
  art="$ARTIFACTS/$name"
  rm -rf "$art"
  mkdir -p "$art"
  start=$SECONDS
  # A case may need longer than the default: a line `# e2e-timeout: SECONDS` in it says so.
  limit="$(sed -n 's/^# e2e-timeout: *\([0-9][0-9]*\)$/\1/p' "$case_file" | head -n1)"
  limit="${limit:-$CASE_TIMEOUT}"
  # timeout signals the whole process group, so a hung case cannot leave daemons behind.
  LANYARD_APP="$APP" E2E_ARTIFACTS="$art" \
    timeout --kill-after=10 "$limit" \
    dbus-run-session --config-file="$E2E_DIR/lib/session-bus.conf" -- bash "$E2E_DIR/lib/session.sh" "$case_file" >"$art/case.log" 2>&1
  rc=$?
  took=$((SECONDS - start))
  if ((rc == 0)); then
    passed=$((passed + 1))
    printf 'PASS  %-28s %3ss\n' "$name" "$took"
  else
    failed=$((failed + 1))
    failures+=("$name")
    why="exit $rc"
    ((rc == 124 || rc == 137)) && why="timed out after ${limit}s"
    printf 'FAIL  %-28s %3ss  (%s)\n' "$name" "$took" "$why"
    sed 's/^/      | /' "$art/case.log" | tail -n 40
    if [[ -s "$art/app.log" ]]; then
      echo "      app.log (last 15 lines):"
      sed 's/^/      | /' "$art/app.log" | tail -n 15
    fi
  fi
done
echo "e2e finished in $((SECONDS - suite_start))s${failures[*]:+; failed: ${failures[*]}}"
echo "$passed passed, $failed failed"
((failed == 0))
