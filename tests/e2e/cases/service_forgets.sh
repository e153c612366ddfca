# Issue 20: the state follows the service, everywhere at once. corp is signed in (a device code,
# from the CLI) while the tray runs; then the service forgets every client and token (an instance
# replaced, the demo's emulator restarted). The next credentials call from the CLI is rejected
# (HTTP 401): the tray, which learns it through Lanyard's session history, shows corp as needing
# sign-in within seconds and says so in exactly one notification; then `lanyard login`
# registers a new client by itself and the tray shows corp signed in again.

labels() { tray labels | paste -sd '|'; }
menu_matches() { [[ "$(labels)" =~ $1 ]]; }
needs_sign_in_notes() { grep -c 'string "corp needs you to sign in again"' "$E2E_ARTIFACTS/bus.log" || true; }

run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  start_emulator --device-approve-after 0
  local cli
  cli="$(dirname "$LANYARD_APP")/lanyard"
  mkdir -p "$HOME/.aws"
  cat >"$HOME/.aws/config" <<'EOF2'
[sso-session corp]
sso_start_url = https://d-corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
EOF2
  "$cli" login --sso-session corp --use-device-code --no-browser 2>"$HOME/login.log" ||
    fail "sign-in failed: $(cat "$HOME/login.log")"
  local listed account role
  listed="$("$cli" accounts list --sso-session corp --json)" || fail "cannot list corp's accounts"
  account="$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["accounts"][0]["account_id"])' <<<"$listed")"
  role="$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["accounts"][0]["roles"][0])' <<<"$listed")"
  "$cli" configure sso --sso-session corp --profile dev --region us-east-1 \
    --account-id "$account" --role-name "$role" >&2 || fail "cannot write profile dev"

  spawn bus dbus-monitor "interface='org.freedesktop.Notifications'"
  wait_for 10 "dbus-monitor to start" grep -q . "$E2E_ARTIFACTS/bus.log" || true
  start_app --hidden
  tray wait 30 >/dev/null || fail "the tray icon did not register"
  wait_for 20 "corp signed in in the menu" menu_matches 'corp — ≈ [0-9]+ h' ||
    fail "menu is [$(labels)]"

  curl -sf -X POST "$EMU/_emulator/forget" >/dev/null || fail "the emulator did not forget"
  "$cli" credentials --profile dev >/dev/null 2>"$HOME/credentials.log" &&
    fail "credentials were served with a token the service forgot"
  log "credentials: $(tail -n1 "$HOME/credentials.log")"
  wait_for 10 "corp to need sign-in in the menu" menu_matches 'corp — needs sign-in' ||
    fail "the tray did not follow the service: menu is [$(labels)]"
  wait_for 10 "one notification" test "$(needs_sign_in_notes)" -ge 1 ||
    fail "no notification that corp needs sign-in"
  log "tray: $(labels)"

  "$cli" login --sso-session corp --use-device-code --no-browser 2>"$HOME/login2.log" ||
    fail "the second sign-in did not register again: $(cat "$HOME/login2.log")"
  wait_for 10 "corp signed in again in the menu" menu_matches 'corp — ≈ [0-9]+ h' ||
    fail "menu is [$(labels)] after signing in again"
  "$cli" credentials --profile dev >/dev/null || fail "credentials failed after signing in again"
  local count
  count="$(needs_sign_in_notes)"
  [[ "$count" == 1 ]] || fail "corp's need to sign in was notified $count times, want once"
  log "signed in again; notified once"
}
