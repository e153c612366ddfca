# The harness itself, without the app: the X server answers, the tray host owns its bus name,
# and a notification sent on this session's bus is read back through dunst.
run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  notify-send -a lanyard-e2e "Self-test" "Notifications reach dunst" || fail "notify-send failed"
  wait_for 10 "dunst to display the notification" \
    bash -c '(( $(dunstctl count displayed) + $(dunstctl count history) >= 1 ))' ||
    fail "dunst did not receive the notification"
  local got
  got="$(notifications)"
  [[ "$got" == *"lanyard-e2e|Self-test|Notifications reach dunst"* ]] ||
    fail "notifications() read [$got]"
  log "notification read back: $got"
}
