# Issue 12 (shown then only on the mock backend): Cancel of a waiting sign-in stops it in the
# engine of the real app. A device sign-in to lab from the window waits (idc-emulator never
# approves it); the dialog is hidden, the card's Cancel is pressed: the card goes back to signed
# out with no error, and the engine stops polling Identity Center (the emulator's count of
# device-code CreateToken calls stays still for three poll intervals); the tray offers Sign in
# to lab again, and a new sign-in from it starts cleanly with its own device code.
run_case() {
  start_xvfb
  start_tray_host
  start_notifications

  start_emulator --device-approve-after -1
  export EMULATOR_URL="$EMU"
  record_browser

  mkdir -p "$HOME/.aws"
  cat >"$HOME/.aws/config" <<'EOF2'
[sso-session lab]
sso_start_url = https://d-lab.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
sso_use_device_code = true
EOF2

  start_webdriver
  webdriver cancel-sign-in.mjs || fail "the cancel checks failed"
  # The client registration is cached (as the AWS CLI does); no token may be.
  local tokens
  tokens="$(grep -l '"accessToken"' "$HOME"/.aws/sso/cache/*.json 2>/dev/null || true)"
  [[ -z "$tokens" ]] || fail "a token was written after the sign-in was cancelled: $tokens"
  tray click "Quit" || fail "cannot click Quit"
}
