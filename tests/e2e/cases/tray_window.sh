# Issues 3 and 10: start hidden (tray only); read the tray menu over D-Bus; Open Lanyard maps the
# window (screenshot kept), hosted by a window process (`lanyard-app --window`) the tray process
# started, never by the tray process itself; Open Lanyard again raises that window instead of
# starting a second; closing it ends the window process and its WebKit processes while the tray
# process stays in the tray; Open Lanyard creates a new window in a new process; Quit ends both
# (exit code 0).
run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  start_app --hidden

  tray wait 30 >/dev/null || fail "the tray icon did not register with the StatusNotifierWatcher"
  local labels want
  labels="$(tray labels | paste -sd '|')"
  want="No sessions configured|Profile: default|Copy credentials as env|Open console|Open Lanyard|Quit"
  [[ "$labels" == "$want" ]] || fail "tray menu is [$labels], want [$want]"
  log "tray menu: $labels"
  no_window || fail "--hidden showed a window"

  tray click "Open Lanyard" || fail "cannot click Open Lanyard"
  wait_for 30 "the window to be mapped" window_mapped || fail "Open Lanyard did not map a window"
  local first
  first="$(find_window)" || fail "the mapped window vanished"
  log "window $first mapped: $(timeout 10 xwininfo -id "$first" | grep -E 'Width|Height' | tr -s ' ' | paste -sd ' ')"
  wait_for 30 "the window to paint the UI" window_painted "$first" ||
    fail "the window stayed blank (is the UI embedded? build with --features custom-protocol)"
  screenshot "$first" window.png || fail "screenshot failed"
  local win_pid
  win_pid="$(window_process "$APP_PID")" || fail "the tray process started no window process"
  [[ "$(timeout 10 xdotool getwindowpid "$first")" == "$win_pid" ]] ||
    fail "the window does not belong to the window process $win_pid"
  has_web_process "$win_pid" || fail "the window process has no WebKit web process while its window is open"
  no_web_process "$APP_PID" || fail "the tray process hosts a WebKit web process itself"
  log "window process $win_pid hosts the window and its webview"

  # Open Lanyard while the window is open raises it: still one window, one window process.
  tray click "Open Lanyard" || fail "cannot click Open Lanyard with the window open"
  wait_for 10 "the window to have the focus" is_focused "$first" ||
    fail "Open Lanyard did not raise the window (focus: $(focused_window))"
  [[ "$(lanyard_windows)" == 1 ]] || fail "$(lanyard_windows) Lanyard windows after Open Lanyard, want 1"
  [[ "$(window_process "$APP_PID")" == "$win_pid" ]] || fail "Open Lanyard started another window process"

  close_window "$first" || fail "cannot send WM_DELETE_WINDOW"
  wait_for 15 "the window to close" no_window || fail "the window did not close"
  # Closing ended the window process, webview and WebKit with it (not hidden).
  wait_for 15 "the window process to end" bash -c "! kill -0 $win_pid 2>/dev/null" ||
    fail "the window process $win_pid still runs after its window closed"
  no_window_process "$APP_PID" || fail "a window process still runs after the window closed"
  # The process is still there and still serves its tray menu.
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    wait_exit "$APP_PID" 1
    fail "closing the window ended the process (exit code $EXIT_CODE)"
  fi
  labels="$(tray labels | paste -sd '|')" || fail "the tray stopped answering after the window closed"
  [[ "$labels" == "$want" ]] || fail "tray menu after closing is [$labels]"
  kill -0 "$APP_PID" 2>/dev/null || fail "the process ended after the window closed"

  tray click "Open Lanyard" || fail "cannot click Open Lanyard again"
  wait_for 30 "the window to be mapped again" window_mapped || fail "Open Lanyard did not recreate the window"
  local second
  second="$(find_window)" || fail "the mapped window vanished"
  # Recreated, not shown again: it belongs to a new window process (the X id says nothing, as the
  # X server may give the new process's window the id the ended one had).
  local win2
  win2="$(window_process "$APP_PID")" || fail "no window process for the new window"
  [[ "$win2" != "$win_pid" ]] || fail "the window process did not change"
  [[ "$(timeout 10 xdotool getwindowpid "$second")" == "$win2" ]] ||
    fail "the new window does not belong to the new window process $win2"
  log "window recreated as $second in window process $win2"

  # Quit with the window open ends the tray process and, with it, the window process.
  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the process within 20 s"
  [[ "$EXIT_CODE" == 0 ]] || fail "Quit ended the process with exit code $EXIT_CODE, want 0"
  wait_for 15 "the window process to end after Quit" bash -c "! kill -0 $win2 2>/dev/null" ||
    fail "the window process $win2 outlived Quit"
  wait_for 15 "the window to go after Quit" no_window || fail "the window stayed after Quit"
  log "Quit: exit code 0, window process ended too"
}

is_focused() { [[ "$(focused_window)" == "$1" ]]; }
lanyard_windows() { timeout 10 xdotool search --onlyvisible --name '^Lanyard$' 2>/dev/null | wc -l; }
