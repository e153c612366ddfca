# Bench (issue 10): the tray app idle with its window closed. Starts the app with its window (as a
# person does), waits for the UI to paint, closes the window (which ends the window process, and
# with it the webview and its WebKit processes), idles IDLE_SETTLE seconds (60), then samples for IDLE_MEASURE seconds
# (60) with sample.py: the summed RSS of the app and its child processes (goal ≤ 80 MB) and its
# wake-ups, counted as voluntary context switches of all its threads, per thread group, with
# those of the countdown tick told apart (goal: ≤ 2 per minute beyond the tick).
# Writes idle.json to the artifacts. A measurement, not a test: it fails only when the app does
# not run as expected, never on the numbers. Run with run-idle.sh (bench/idle/run does).

# The app's process tree: the app, its window process and that one's WebKit processes.
tree_pids() {
  local pid
  echo "$1"
  for pid in $(pgrep -P "$1"); do tree_pids "$pid"; done
}

rss_tree_kb() {
  local total=0 pid kb
  for pid in $(tree_pids "$APP_PID"); do
    kb="$(awk '/^VmRSS:/ {print $2}' /proc/"$pid"/status 2>/dev/null)"
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  mkdir -p "$HOME/.aws/sso/cache"
  cat >"$HOME/.aws/config" <<'CFG'
[sso-session corp]
sso_start_url = https://d-corp.awsapps.com/start
sso_region = us-east-1

[profile corp-dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev
CFG
  local stem
  stem="$(printf corp | sha1sum | cut -d' ' -f1)"
  printf '{"startUrl":"https://d-corp.awsapps.com/start","region":"us-east-1","accessToken":"x","expiresAt":"%s"}' \
    "$(date -u -d '+5 hours' +%Y-%m-%dT%H:%M:%SZ)" >"$HOME/.aws/sso/cache/$stem.json"

  start_app
  tray wait 30 >/dev/null || fail "the tray icon did not register"
  wait_for 30 "the window to be mapped" window_mapped || fail "the app showed no window"
  local wid
  wid="$(find_window)" || fail "the mapped window vanished"
  wait_for 30 "the window to paint the UI" window_painted "$wid" || fail "the window stayed blank"
  local open_kb
  open_kb="$(rss_tree_kb)"
  log "window open: RSS $((open_kb / 1024)) MB over $(tree_pids "$APP_PID" | wc -l) processes"
  close_window "$wid" || fail "cannot close the window"
  wait_for 15 "the window to close" no_window || fail "the window did not close"
  wait_for 15 "the window process to end" no_window_process "$APP_PID" ||
    fail "the window process outlived the window"
  no_web_process "$APP_PID" || fail "a web process outlived the window"

  local settle="${IDLE_SETTLE:-60}" measure="${IDLE_MEASURE:-60}"
  log "window closed; idling ${settle}s, then sampling ${measure}s"
  sleep "$settle" # a measurement window, not a wait for something
  "$PY" "$E2E_DIR/bench/sample.py" "$APP_PID" "$measure" "$E2E_ARTIFACTS/sample.json" ||
    fail "sampling failed"
  "$PY" - "$E2E_ARTIFACTS/sample.json" "$open_kb" "$E2E_ARTIFACTS/idle.json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["window_open_rss_kb"] = int(sys.argv[2])
json.dump(s, open(sys.argv[3], "w"), indent=1)
PYEOF
  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the app"
}
