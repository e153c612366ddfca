# Issue 3: start hidden (tray only); read the tray menu over D-Bus; Open Lanyard maps the window
# (screenshot kept); closing it destroys the window and its webview (the WebKit web process
# ends) while the process stays in the tray; Open Lanyard creates a new window; Quit exits 0.
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
  has_web_process "$APP_PID" || fail "the app has no WebKit web process while its window is open"

  close_window "$first" || fail "cannot send WM_DELETE_WINDOW"
  wait_for 15 "the window to close" no_window || fail "the window did not close"
  # Closing destroyed the webview, not just hid it: its web process is gone.
  wait_for 15 "the web process to end" no_web_process "$APP_PID" ||
    fail "the webview's process still runs after the window closed (hidden, not destroyed?)"
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
  [[ "$second" != "$first" ]] || fail "the window was hidden and shown, not recreated ($first)"
  log "window recreated as $second"

  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the process within 20 s"
  [[ "$EXIT_CODE" == 0 ]] || fail "Quit ended the process with exit code $EXIT_CODE, want 0"
  log "Quit: exit code 0"
}
