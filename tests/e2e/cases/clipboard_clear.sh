# Issue 20: credentials on the clipboard. With clipboard_clear_after = 3 in the settings and
# profile dev signed in against idc-emulator, the tray's "Copy credentials as env" puts the
# `export` lines on the X clipboard marked secret for clipboard managers (the
# x-kde-passwordManagerHint target, `secret`), and the tray process clears them about 3 s later
# (not at once); copied again, then replaced by the person's own text before the 3 s are up,
# the clipboard is left alone: the person's text is still there after the check.

clipboard() { timeout 5 xclip -o -selection clipboard 2>/dev/null; }
clipboard_has_env() { clipboard | grep -q '^export AWS_ACCESS_KEY_ID=.'; }
clipboard_empty() { [[ -z "$(clipboard)" ]]; }
now_ms() { date +%s%3N; }
# The app's log lines (its own log files, not stdout).
app_logged() { grep -rqs -- "$1" "$HOME/.local/share/lanyard/logs"; }
app_logged_times() { grep -rhs -- "$1" "$HOME/.local/share/lanyard/logs" | wc -l; }

run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  start_emulator --auto-approve

  LANYARD_CLI="$(dirname "$LANYARD_APP")/lanyard"
  mkdir -p "$HOME/.aws" "$HOME/.config/lanyard"
  cat >"$HOME/.aws/config" <<'EOF2'
[sso-session corp]
sso_start_url = https://d-corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
region = eu-west-1
EOF2
  printf '# a short wait for the test\nclipboard_clear_after = 3\n' >"$HOME/.config/lanyard/settings.toml"
  "$LANYARD_CLI" login --sso-session corp --use-device-code --no-browser >&2 2>"$HOME/login.log" ||
    fail "cannot sign in to corp: $(cat "$HOME/login.log")"
  local listed account role
  listed="$("$LANYARD_CLI" accounts list --sso-session corp --json)" || fail "cannot list corp's accounts"
  account="$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["accounts"][0]["account_id"])' <<<"$listed")"
  role="$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["accounts"][0]["roles"][0])' <<<"$listed")"
  "$LANYARD_CLI" profiles set dev "sso_account_id=$account" "sso_role_name=$role" >&2 ||
    fail "cannot point dev at $account/$role"
  export AWS_PROFILE=dev

  start_app --hidden
  tray wait 30 >/dev/null || fail "the tray icon did not register"
  wait_for 20 "the menu to show dev" bash -c "$PY '$E2E_LIB/tray.py' labels | grep -qx 'Profile: dev'" ||
    fail "tray menu is [$(tray labels | paste -sd '|')]"

  # Copied, marked secret, cleared after about 3 s.
  tray click "Copy credentials as env" || fail "cannot click Copy credentials as env"
  wait_for 15 "export lines on the clipboard" clipboard_has_env || fail "nothing was copied"
  local copied cleared
  copied="$(now_ms)"
  log "clipboard: $(clipboard | cut -c1-24 | paste -sd ' ')"
  timeout 5 xclip -o -selection clipboard -t TARGETS | grep -qx 'x-kde-passwordManagerHint' ||
    fail "no x-kde-passwordManagerHint target: $(timeout 5 xclip -o -selection clipboard -t TARGETS | paste -sd ' ')"
  [[ "$(timeout 5 xclip -o -selection clipboard -t x-kde-passwordManagerHint)" == secret ]] ||
    fail "the password-manager hint is not 'secret'"
  log "marked secret for clipboard managers (x-kde-passwordManagerHint = secret)"
  wait_for 15 "the clipboard to be cleared" clipboard_empty || fail "the credentials stayed on the clipboard"
  cleared="$(now_ms)"
  log "cleared $((cleared - copied)) ms after it was seen"
  ((cleared - copied >= 2000)) || fail "cleared after $((cleared - copied)) ms, want about 3 s"
  wait_for 5 "the app to say it cleared" app_logged "clipboard cleared" || fail "the app did not log the clear"

  # Copied again, then the person copies their own text: left alone.
  tray click "Copy credentials as env" || fail "cannot click Copy credentials as env again"
  wait_for 15 "export lines on the clipboard again" clipboard_has_env || fail "nothing was copied the second time"
  spawn mine sh -c 'printf "my own notes" | xclip -quiet -selection clipboard -i'
  wait_for 10 "the person's text on the clipboard" bash -c '[[ "$(timeout 5 xclip -o -selection clipboard 2>/dev/null)" == "my own notes" ]]' ||
    fail "the person's copy did not take the clipboard"
  wait_for 15 "the app's check of the clipboard" app_logged "clipboard left alone" ||
    fail "the app did not check the clipboard (or cleared it)"
  [[ "$(clipboard)" == "my own notes" ]] || fail "the person's text is gone: [$(clipboard)]"
  [[ "$(app_logged_times "clipboard cleared")" == 1 ]] || fail "the app cleared the clipboard again"
  log "the person's own text was left on the clipboard"

  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the app"
}
