# Issue 3: WebDriver drives the real window (tauri-driver + WebKitWebDriver): English at start,
# page and language switch (zh-TW labels appear, the tray menu follows), the CSP blocks an
# injected inline script, a screenshot. WebDriver launched the tray process, which started the
# window process (WebKitWebDriver reaches its webview through the environment it inherits). Then
# closing the window ends the window process while the tray process stays, and the tray's Quit
# ends it.
run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  start_webdriver
  webdriver ui.mjs || fail "the WebDriver checks failed"

  local wid win_pid pid
  wid="$(find_window)" || fail "no Lanyard window after the WebDriver checks"
  win_pid="$(timeout 10 xdotool getwindowpid "$wid")" || fail "the window has no _NET_WM_PID"
  pid="$(parent_of "$win_pid")"
  [[ "$(window_process "$pid")" == "$win_pid" ]] ||
    fail "the window's process $win_pid is not the window process of a tray process"
  close_window "$wid" || fail "cannot send WM_DELETE_WINDOW"
  wait_for 15 "the window to close" no_window || fail "the window did not close"
  wait_for 15 "the window process to end" bash -c "! kill -0 $win_pid 2>/dev/null" ||
    fail "the window process outlived its window"
  kill -0 "$pid" 2>/dev/null || fail "closing the window ended the tray process"
  local labels
  labels="$(tray labels | paste -sd '|')" || fail "the tray stopped answering after the window closed"
  log "window closed, window process $win_pid ended, tray process $pid alive, tray: $labels"
  # The language switch made the tray Chinese too.
  tray click "結束" || fail "cannot click Quit (結束) in the tray [$labels]"
  wait_for 20 "the app to exit after Quit" bash -c "! kill -0 $pid 2>/dev/null" ||
    fail "Quit did not end the process"
}
