#!/usr/bin/env bash
# One end-to-end case in its own world. run.sh starts this under `dbus-run-session`, so the
# session bus is private to the case; this script adds a private X server (Xvfb on a display it
# picks itself), a fresh HOME, optionally a StatusNotifierWatcher (the tray host) and dunst (the
# notification daemon), then sources the case file and calls its `run_case`. Everything it
# starts is killed on exit, however the case ends.
#
# Usage (by run.sh): dbus-run-session -- bash lib/session.sh CASE_FILE
# Environment in: LANYARD_APP (absolute path of the binary), E2E_ARTIFACTS (folder for this case).
set -uo pipefail

E2E_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_DIR="$(dirname "$E2E_LIB")"
CASE_FILE="$1"
: "${LANYARD_APP:?LANYARD_APP must be the path of lanyard-app}"
: "${E2E_ARTIFACTS:?E2E_ARTIFACTS must be set}"
mkdir -p "$E2E_ARTIFACTS"

# E2E_TRACE=1: trace every command of the case into case.log.
[[ "${E2E_TRACE:-0}" == 1 ]] && set -x

# Python with Debian's python3-dbus (not a pyenv or venv python).
PY=/usr/bin/python3

BG_PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # Newest first: the app before the daemons it talks to, Xvfb last.
  local i
  for ((i = ${#BG_PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${BG_PIDS[i]}" 2>/dev/null
  done
  local deadline=$((SECONDS + 5))
  for pid in "${BG_PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [[ -n "${E2E_HOME:-}" && -d "$E2E_HOME" ]]; then
    # Keep the app's own log files (tracing, info level) with the case's artifacts.
    local logs="$E2E_HOME/.local/share/lanyard/logs"
    [[ -d "$logs" ]] && cp -r "$logs" "$E2E_ARTIFACTS/app-logs"
    rm -rf "$E2E_HOME"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

log() { printf '    %s\n' "$*" >&2; }
fail() {
  printf '    FAIL: %s\n' "$*" >&2
  exit 1
}

# Starts a background process whose output goes to $E2E_ARTIFACTS/NAME.log and registers it
# for cleanup. Sets LAST_PID.
spawn() {
  local name="$1"
  shift
  "$@" >"$E2E_ARTIFACTS/$name.log" 2>&1 &
  LAST_PID=$!
  BG_PIDS+=("$LAST_PID")
}

# wait_for TIMEOUT_SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_for() {
  local timeout="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  while ! "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      printf '    timed out after %ss waiting for: %s\n' "$timeout" "$what" >&2
      return 1
    fi
    sleep 0.1
  done
}

# wait_exit PID TIMEOUT: waits for a child of this shell to end and sets EXIT_CODE to its exit
# code. Returns 1 if it is still running at the deadline. (Not in a $(...) subshell: only this
# shell can collect its children's exit codes.)
wait_exit() {
  local pid="$1" timeout="$2"
  local deadline=$((SECONDS + timeout))
  EXIT_CODE=
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.1
  done
  wait "$pid"
  EXIT_CODE=$?
}

# ---- the world ---------------------------------------------------------------------------

E2E_HOME="$(mktemp -d /tmp/lanyard-e2e-home.XXXXXX)"
export HOME="$E2E_HOME"
mkdir -m 700 "$HOME/.run"
export XDG_RUNTIME_DIR="$HOME/.run"
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME LANYARD_CONFIG_DIR LANYARD_DATA_DIR
unset WAYLAND_DISPLAY AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
export LANYARD_LANG=en LANG=C.UTF-8 LC_ALL=C.UTF-8
# No accessibility bus: nothing a test needs, and one fewer daemon to clean up.
export NO_AT_BRIDGE=1 GTK_A11Y=none

start_xvfb() {
  local fifo="$E2E_ARTIFACTS/.displayfd"
  rm -f "$fifo"
  # -displayfd: Xvfb picks a free display number itself and writes it here once it is ready.
  spawn xvfb Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$fifo"
  wait_for 15 "Xvfb to choose a display" test -s "$fifo" || fail "Xvfb did not start (see xvfb.log)"
  export DISPLAY=":$(tr -d '[:space:]' <"$fifo")"
  rm -f "$fifo"
  wait_for 10 "X display $DISPLAY" xdpyinfo || fail "X display $DISPLAY not answering"
  # Services the bus activates on demand (e.g. a notification daemon) get the display too.
  dbus-update-activation-environment DISPLAY XDG_RUNTIME_DIR HOME 2>/dev/null
  log "Xvfb on $DISPLAY"
}

# True if NAME has an owner on the session bus (asks the bus; activates nothing).
bus_has_owner() {
  "$PY" -c 'import dbus, sys; sys.exit(0 if dbus.SessionBus().name_has_owner(sys.argv[1]) else 1)' "$1"
}

start_tray_host() {
  spawn status-notifier-watcher status-notifier-watcher
  wait_for 10 "org.kde.StatusNotifierWatcher on the bus" bus_has_owner org.kde.StatusNotifierWatcher ||
    fail "status-notifier-watcher did not take its bus name"
}

start_notifications() {
  spawn dunst dunst
  wait_for 10 "org.freedesktop.Notifications on the bus" bus_has_owner org.freedesktop.Notifications ||
    fail "dunst did not start"
}

# start_emulator [FLAGS...]: idc-emulator (beside the app binary) on 127.0.0.1, every AWS
# endpoint of the app and the CLI pointed at it; sets EMU to its URL. Output in emulator.log.
start_emulator() {
  local emulator
  emulator="$(dirname "$LANYARD_APP")/idc-emulator"
  [[ -x "$emulator" ]] || fail "$emulator is missing (cargo build --workspace builds it)"
  spawn emulator "$emulator" --port 0 "$@"
  wait_for 20 "the emulator to listen" grep -q listening "$E2E_ARTIFACTS/emulator.log" ||
    fail "the emulator did not start"
  EMU="$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["listening"])' \
    "$E2E_ARTIFACTS/emulator.log")"
  [[ "$EMU" == http://127.0.0.1:* ]] || fail "unexpected emulator address: $EMU"
  export AWS_ENDPOINT_URL_SSO_OIDC="$EMU" AWS_ENDPOINT_URL_SSO="$EMU"
  export AWS_ENDPOINT_URL_SIGNIN="$EMU" AWS_ENDPOINT_URL_STS="$EMU"
  log "emulator at $EMU"
}

# record_browser: a BROWSER that only records each URL it is given, one a line, in
# $HOME/browser.log (exported as BROWSER_LOG).
record_browser() {
  printf '#!/bin/sh\nprintf "%%s\\n" "$1" >>"%s"\n' "$HOME/browser.log" >"$HOME/browser"
  chmod +x "$HOME/browser"
  export BROWSER="$HOME/browser" BROWSER_LOG="$HOME/browser.log"
}

# start_keyring: gnome-keyring's Secret Service, unlocked, on this case's bus (its keyrings
# under the case's HOME).
start_keyring() {
  eval "$(printf e2e | gnome-keyring-daemon --unlock --components=secrets 2>>"$E2E_ARTIFACTS/keyring.log")"
  wait_for 10 "org.freedesktop.secrets on the bus" bus_has_owner org.freedesktop.secrets ||
    fail "gnome-keyring did not take its bus name"
}

# secure_corp PROFILE REGION: sso-session corp in secure mode (start_keyring and start_emulator
# first), signed in with a device code from the CLI, and PROFILE written by the configure sso
# wizard for the first account and role the portal lists, in the credential_process form. Sets
# LANYARD_CLI (the CLI next to the app) and PROFILE_ACCOUNT (the account chosen).
secure_corp() {
  local profile="$1" region="$2"
  LANYARD_CLI="$(dirname "$LANYARD_APP")/lanyard"
  mkdir -p "$HOME/.aws"
  cat >"$HOME/.aws/config" <<'EOF2'
[sso-session corp]
sso_start_url = https://d-corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
EOF2
  "$LANYARD_CLI" configure sso-session --name corp --storage keychain >&2 ||
    fail "cannot switch corp to keychain storage"
  "$LANYARD_CLI" login --sso-session corp --use-device-code --no-browser >&2 2>"$HOME/login.log" ||
    fail "secure sign-in failed: $(cat "$HOME/login.log")"
  local listed role
  listed="$("$LANYARD_CLI" accounts list --sso-session corp --json)" || fail "cannot list corp's accounts"
  PROFILE_ACCOUNT="$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["accounts"][0]["account_id"])' <<<"$listed")"
  role="$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["accounts"][0]["roles"][0])' <<<"$listed")"
  "$LANYARD_CLI" configure sso --sso-session corp --profile "$profile" --region "$region" \
    --account-id "$PROFILE_ACCOUNT" --role-name "$role" >&2 ||
    fail "the wizard could not write the secure profile $profile"
  grep -q "^credential_process = .*credentials --profile $profile\$" "$HOME/.aws/config" ||
    fail "$profile is not in the secure form: $(cat "$HOME/.aws/config")"
}

# ---- the app -----------------------------------------------------------------------------

# start_app [ARGS...]: runs lanyard-app as a child; sets APP_PID. Output in app.log.
start_app() {
  spawn app "$LANYARD_APP" "$@"
  APP_PID=$LAST_PID
}

# The X id of the app's visible (mapped) window titled "Lanyard", if there is one. One attempt:
# xdotool aborts on BadWindow when a window vanishes while it walks the tree (GTK creates and
# destroys helper windows at start-up), so an empty answer may be transient; see find_window.
# With a TITLE argument, the window with that title instead.
app_window() {
  local id
  id="$(timeout 10 xdotool search --onlyvisible --name "^${1:-Lanyard}\$" 2>>"$E2E_ARTIFACTS/xdotool.log" | head -n1)"
  [[ -n "$id" ]] && echo "$id"
}
# The id of the mapped window (or of the one titled TITLE), retrying for up to 10 s; fails if
# there is none.
find_window() {
  local deadline=$((SECONDS + 10)) id
  while ((SECONDS < deadline)); do
    id="$(app_window "$@")" && { echo "$id"; return 0; }
    sleep 0.1
  done
  return 1
}
window_mapped() {
  local id
  id="$(app_window)" || return 1
  timeout 10 xwininfo -id "$id" 2>/dev/null | grep -q 'Map State: IsViewable'
}
# No mapped window, twice in a row (one failed search may be a transient xdotool abort).
no_window() { ! app_window >/dev/null && sleep 0.2 && ! app_window >/dev/null; }

# How many WebKit web (renderer) processes the process PID has: one per live webview.
web_processes() {
  ps -o args= --ppid "$1" 2>/dev/null | grep -c '/WebKitWebProcess '
}
has_web_process() { (($(web_processes "$1") > 0)); }
no_web_process() { (($(web_processes "$1") == 0)); }

# The window process (`lanyard-app --window`, which hosts the window and its webview) that the
# tray process PID started, if one runs; fails if none does.
window_process() {
  ps -o pid=,args= --ppid "$1" 2>/dev/null | awk '$NF == "--window" { print $1; found = 1; exit } END { exit !found }'
}
has_window_process() { window_process "$1" >/dev/null; }
no_window_process() { ! window_process "$1" >/dev/null; }
# The process that started process PID.
parent_of() { ps -o ppid= -p "$1" 2>/dev/null | tr -d ' '; }

# Asks the window to close, as a window manager's close button does (WM_DELETE_WINDOW).
close_window() { "$PY" "$E2E_LIB/xwin.py" close "$1"; }

# The focused top-level window (EWMH active window when a WM runs; X input focus otherwise).
focused_window() {
  timeout 10 xdotool getactivewindow 2>/dev/null || timeout 10 xdotool getwindowfocus 2>/dev/null
}

tray() { "$PY" "$E2E_LIB/tray.py" "$@"; }

# Notifications seen by dunst, one "app|summary|body" line each (closes the displayed ones so
# they move to dunst's history, which is what dunstctl can list).
notifications() {
  dunstctl close-all
  dunstctl history | "$PY" -c '
import json, sys
for n in json.load(sys.stdin)["data"][0]:
    print("%s|%s|%s" % (n["appname"]["data"], n["summary"]["data"], n["body"]["data"]))'
}

screenshot() { timeout 20 import -window "$1" "$E2E_ARTIFACTS/$2"; }

# True once the window shows more than a blank page (the webview has painted the UI).
window_painted() {
  local colours
  colours="$(timeout 10 import -window "$1" png:- 2>/dev/null | identify -format '%k' - 2>/dev/null)"
  [[ -n "$colours" ]] && ((colours >= 16))
}

# ---- WebDriver ---------------------------------------------------------------------------

# Starts tauri-driver (which starts WebKitWebDriver, which starts the app when a session
# opens) on free ports; sets WEBDRIVER_PORT.
start_webdriver() {
  local ports
  ports="$("$PY" "$E2E_LIB/xwin.py" free-ports 2)" || fail "no free TCP ports"
  WEBDRIVER_PORT="${ports%% *}"
  local native="${ports##* }"
  spawn tauri-driver tauri-driver --port "$WEBDRIVER_PORT" --native-port "$native" \
    --native-driver "$(command -v WebKitWebDriver)"
  wait_for 20 "tauri-driver on port $WEBDRIVER_PORT" \
    curl -fsS "http://127.0.0.1:$WEBDRIVER_PORT/status" || fail "tauri-driver did not answer"
  export WEBDRIVER_PORT
}

# webdriver SCRIPT [ARGS...]: runs a WebDriver client script from webdriver/ with node.
webdriver() {
  local script="$1"
  shift
  node "$E2E_DIR/webdriver/$script" "$@"
}

# ---- run the case --------------------------------------------------------------------------

# shellcheck source=/dev/null
source "$CASE_FILE"
run_case
