# Bench (issues 10 and 21): the tray app idle with its window closed. Starts the app with its window
# (as a person does), waits for the UI to paint, closes the window (which ends the window process,
# and with it the webview and its WebKit processes), idles IDLE_SETTLE seconds (60), then samples
# for IDLE_MEASURE seconds (300: the tick is once a minute, so a 60 s sample holds one tick and
# reads 1 or 2 windows by where it starts; five minutes read the rate) with sample.py: the summed RSS of the app and its child processes,
# what is resident by group (smaps.py: heap, our binary, GTK, WebKit, ...), and its wake-ups,
# counted as voluntary context switches of all its threads, per thread and in windows (all the
# threads that wake together are one window; issue 21's goal: at most one a minute).
# Then, for comparison, the floor of any GTK tray (gtk-floor.c: GTK 3 and one ayatana indicator,
# nothing else) in the same X server and bus, when it can be built here.
# IDLE_STRACE=1: also traces every thread's system calls for IDLE_MEASURE seconds after sampling
# (strace.log, with the open files in fds.txt), to tell which timer or event woke each thread.
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

  local settle="${IDLE_SETTLE:-60}" measure="${IDLE_MEASURE:-300}"
  log "window closed; idling ${settle}s, then sampling ${measure}s"
  sleep "$settle" # a measurement window, not a wait for something
  "$PY" "$E2E_DIR/bench/sample.py" "$APP_PID" "$measure" "$E2E_ARTIFACTS/sample.json" ||
    fail "sampling failed"
  [[ "${IDLE_STRACE:-0}" == 1 ]] && trace_app "$measure"
  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the app"

  local floor="$E2E_ARTIFACTS/floor.json"
  gtk_floor "$floor" || log "no GTK floor measured (no C compiler or GTK/ayatana development files)"
  "$PY" - "$E2E_ARTIFACTS/sample.json" "$open_kb" "$floor" "$E2E_ARTIFACTS/idle.json" <<'PYEOF'
import json, os, sys
s = json.load(open(sys.argv[1]))
s["window_open_rss_kb"] = int(sys.argv[2])
s["gtk_floor"] = json.load(open(sys.argv[3])) if os.path.exists(sys.argv[3]) else None
json.dump(s, open(sys.argv[4], "w"), indent=1)
PYEOF
}

# trace_app SECONDS: every thread's system calls (strace.log: thread id, wall time, duration)
# and what each file descriptor is (fds.txt), to name what woke each thread.
trace_app() {
  command -v strace >/dev/null || { log "IDLE_STRACE: no strace here"; return 0; }
  local pid tid
  for pid in $(tree_pids "$APP_PID"); do
    for tid in /proc/"$pid"/task/*; do
      echo "thread ${tid##*/} $(cat "$tid/comm" 2>/dev/null)"
    done
    ls -l /proc/"$pid"/fd 2>/dev/null | sed "s/^/pid $pid: /"
  done >"$E2E_ARTIFACTS/fds.txt"
  log "tracing the app's system calls for ${1}s"
  timeout -s INT "$1" strace -f -tt -T -qq -p "$APP_PID" -o "$E2E_ARTIFACTS/strace.log" 2>/dev/null
  return 0
}

# gtk_floor OUT.json: builds gtk-floor.c, runs it (as the tray process runs: GDK_GL=disable) until
# its indicator is on the bus, idles 10 s, samples 20 s with sample.py. Fails if it cannot be built.
gtk_floor() {
  local bin="$E2E_ARTIFACTS/gtk-floor" flags
  flags="$(pkg-config --cflags --libs gtk+-3.0 ayatana-appindicator3-0.1 2>/dev/null)" || return 1
  # shellcheck disable=SC2086 # pkg-config's flags are words
  cc -O2 -w -o "$bin" "$E2E_DIR/bench/gtk-floor.c" $flags 2>"$E2E_ARTIFACTS/gtk-floor.build.log" ||
    return 1
  GDK_GL=disable spawn gtk-floor "$bin"
  local floor_pid=$LAST_PID
  tray wait 30 >/dev/null || { log "the GTK floor's indicator did not register"; return 1; }
  sleep 10 # a measurement window, not a wait for something
  "$PY" "$E2E_DIR/bench/sample.py" "$floor_pid" 20 "$1" || return 1
  kill -TERM "$floor_pid"
}
