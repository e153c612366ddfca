# Issue 3: a second launch on the same session bus exits at once with code 0 and the first
# instance's window becomes the active one (its window process raised, not a second one started).
run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  start_app
  local first_pid=$APP_PID
  wait_for 30 "the window to be mapped" window_mapped || fail "the first launch showed no window"
  local wid
  wid="$(find_window)" || fail "the mapped window vanished"
  tray wait 30 >/dev/null || fail "the first instance's tray did not register"
  local win_pid
  win_pid="$(window_process "$first_pid")" || fail "the first instance started no window process"

  # Another application's window takes the focus.
  spawn other xmessage -title Other "another application"
  local other
  other="$(find_window Other)" || fail "xmessage did not map its window"
  timeout 10 xdotool windowfocus "$other"
  wait_for 10 "the other window to have the focus" is_focused "$other" ||
    fail "could not focus the other window (focus: $(focused_window))"

  local start=$SECONDS
  "$LANYARD_APP" >"$E2E_ARTIFACTS/second-launch.log" 2>&1 &
  local second_pid=$!
  BG_PIDS+=("$second_pid")
  wait_exit "$second_pid" 20 || fail "the second launch was still running after 20 s"
  [[ "$EXIT_CODE" == 0 ]] || fail "the second launch exited with $EXIT_CODE, want 0"
  log "second launch exited 0 after $((SECONDS - start))s"

  wait_for 10 "the first window to become active" is_focused "$wid" ||
    fail "the active window is $(focused_window), not Lanyard's $wid"
  kill -0 "$first_pid" 2>/dev/null || fail "the first instance died"
  wait_for 10 "exactly one Lanyard window" one_lanyard_window ||
    fail "$(lanyard_windows) Lanyard windows are mapped, want 1"
  [[ "$(window_process "$first_pid")" == "$win_pid" ]] ||
    fail "the second launch replaced the window process $win_pid"

  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$first_pid" 20 || fail "Quit did not end the first instance"
  [[ "$EXIT_CODE" == 0 ]] || fail "the first instance exited with $EXIT_CODE, want 0"
}

is_focused() { [[ "$(focused_window)" == "$1" ]]; }
lanyard_windows() { timeout 10 xdotool search --onlyvisible --name '^Lanyard$' 2>/dev/null | wc -l; }
one_lanyard_window() { [[ "$(lanyard_windows)" == 1 ]]; }
