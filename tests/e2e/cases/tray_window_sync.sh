# Issue 20: one truth for tray and window. Two sessions signed in against idc-emulator (corp and
# lab, from the CLI), the real app with its window driven over WebDriver: Sign out of corp in
# the window shows in the tray menu (read over D-Bus) within 1 s; Sign out of lab in the tray
# shows on the window's Sessions page within 1 s, and Sign in to lab from the tray shows there
# too; Profiles > prod in the tray makes prod the default on the window's Profiles page within
# 1 s (that page has no poll: only the app's `state-changed` event can bring it).
# e2e-timeout: 150
run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  start_emulator --auto-approve
  record_browser

  LANYARD_CLI="$(dirname "$LANYARD_APP")/lanyard"
  mkdir -p "$HOME/.aws"
  cat >"$HOME/.aws/config" <<'EOF2'
[sso-session corp]
sso_start_url = https://d-corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[sso-session lab]
sso_start_url = https://d-lab.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
sso_use_device_code = true

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev

[profile prod]
sso_session = lab
sso_account_id = 222222222222
sso_role_name = Admin
EOF2
  local s
  for s in corp lab; do
    "$LANYARD_CLI" login --sso-session "$s" --use-device-code --no-browser >&2 2>"$HOME/login-$s.log" ||
      fail "cannot sign in to $s: $(cat "$HOME/login-$s.log")"
  done

  start_webdriver
  webdriver tray-window-sync.mjs || fail "the tray and the window disagreed"
  tray click "Quit" || fail "cannot click Quit"
}
