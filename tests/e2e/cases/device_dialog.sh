# Issue 10: the device-code dialog on the real app. With the window open (WebDriver), Sign in to
# lab from the tray starts a device sign-in against idc-emulator (approving itself after about
# twenty polls, a second each): the window shows a dialog with the same user code as the
# notification, Copy code puts it on the clipboard, the link hands the verification page (code
# filled in) to the browser, and the dialog closes when the sign-in is done.
run_case() {
  start_xvfb
  start_tray_host
  start_notifications

  start_emulator --auto-approve --device-approve-after 20
  local emu="$EMU"

  record_browser
  export EMULATOR_URL="$emu"

  mkdir -p "$HOME/.aws"
  cat >"$HOME/.aws/config" <<'EOF2'
[sso-session lab]
sso_start_url = https://d-lab.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
sso_use_device_code = true

[profile lab-dev]
sso_session = lab
region = eu-west-1
EOF2

  spawn bus dbus-monitor "interface='org.freedesktop.Notifications'"
  wait_for 10 "dbus-monitor to start" grep -q . "$E2E_ARTIFACTS/bus.log" || true
  export BUS_LOG="$E2E_ARTIFACTS/bus.log"

  start_webdriver
  webdriver device-dialog.mjs || fail "the device-code dialog checks failed"
  local labels
  labels="$(tray labels | paste -sd '|')"
  [[ "$labels" =~ \|lab\ —\ ≈\ [0-9]+\ h\ [0-9]+\ min\| ]] ||
    fail "lab is not signed in after the dialog closed: $labels"
  log "tray: $labels"
  tray click "Quit" || fail "cannot click Quit"
}
