# With no tray host even `--hidden` shows the window (nothing else could be clicked), and
# closing it quits with exit code 0.
run_case() {
  start_xvfb
  start_notifications
  start_app --hidden
  wait_for 30 "the window to be mapped" window_mapped ||
    fail "--hidden without a tray host left the app invisible"
  local wid
  wid="$(find_window)" || fail "the mapped window vanished"
  close_window "$wid" || fail "cannot send WM_DELETE_WINDOW"
  wait_exit "$APP_PID" 20 || fail "closing the window did not end the process"
  [[ "$EXIT_CODE" == 0 ]] || fail "the process exited with $EXIT_CODE, want 0"
  log "window closed, exit code 0"
}
