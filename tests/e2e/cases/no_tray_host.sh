# Issue 3: with no StatusNotifierWatcher on the bus, the window says there is no tray and
# closing it ends the window process and the app's (tray) process too.
run_case() {
  start_xvfb
  start_notifications
  start_webdriver
  webdriver no-tray.mjs || fail "the window did not say that no tray host runs"

  local wid pid app
  wid="$(find_window)" || fail "no Lanyard window"
  pid="$(timeout 10 xdotool getwindowpid "$wid")" || fail "the window has no _NET_WM_PID"
  app="$(parent_of "$pid")"
  [[ "$(window_process "$app")" == "$pid" ]] || fail "the window's process $pid has no app process"
  close_window "$wid" || fail "cannot send WM_DELETE_WINDOW"
  wait_for 20 "the window process to end after its window closed" bash -c "! kill -0 $pid 2>/dev/null" ||
    fail "closing the window did not end the window process"
  wait_for 20 "the app to end after its window closed" bash -c "! kill -0 $app 2>/dev/null" ||
    fail "without a tray host, closing the window did not end the app"
  log "window closed, window process $pid and app process $app ended"
}
