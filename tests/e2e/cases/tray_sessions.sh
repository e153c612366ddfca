# Issue 10: the live tray. A sandbox HOME with three sessions — corp valid for hours, partner (a
# legacy start URL, no refresh token, so its end is real) with 14 minutes left, lab signed out —
# shows each with its state and time left; partner, already inside the 15-minute threshold,
# produces one notification naming it with a "Sign in again" action; Sign in to lab completes a
# device login against idc-emulator (auto-approving; its code shown in a notification and the
# verification page handed to the browser) and lab's line shows time left; Copy
# credentials puts `export AWS_ACCESS_KEY_ID=` lines on the clipboard; Open console hands the
# emulator's federation URL to a BROWSER recorder.

# token_file NAME EXPIRES_AT REFRESH(yes/no): writes ~/.aws/sso/cache/<sha1(NAME)>.json the way the
# AWS CLI does.
token_file() {
  local name="$1" expires="$2" refresh="$3" url="$4"
  local stem
  stem="$(printf '%s' "$name" | sha1sum | cut -d' ' -f1)"
  mkdir -p "$HOME/.aws/sso/cache"
  "$PY" - "$HOME/.aws/sso/cache/$stem.json" "$expires" "$refresh" "$url" <<'EOF'
import json, sys
path, expires, refresh, url = sys.argv[1:]
token = {
    "startUrl": url,
    "region": "us-east-1",
    "accessToken": "e2e-access-token-not-for-the-emulator",
    "expiresAt": expires,
    "clientId": "e2e-client",
    "clientSecret": "e2e-secret",
    "registrationExpiresAt": "2099-01-01T00:00:00Z",
}
if refresh == "yes":
    token["refreshToken"] = "e2e-refresh"
with open(path, "w") as f:
    json.dump(token, f)
EOF
}

in_minutes() { date -u -d "+$1 minutes" +%Y-%m-%dT%H:%M:%SZ; }

labels() { tray labels | paste -sd '|'; }
menu_matches() { [[ "$(labels)" =~ $1 ]]; }

# The Notify call for partner, as seen on the bus: its summary and its actions.
partner_notified() {
  grep -A12 'string "partner ends in' "$E2E_ARTIFACTS/bus.log" | grep -q 'string "sign-in-again"'
}

clipboard_has_env() {
  timeout 5 xclip -o -selection clipboard | grep -q '^export AWS_ACCESS_KEY_ID=.'
}

# invoke_sign_in_again: clicks "Sign in again" the way a person does in dunst: its context
# menu (dunstctl context) lists every action, and the "dmenu" of our dunstrc picks that one.
invoke_sign_in_again() {
  dunstctl context
}

run_case() {
  start_xvfb
  start_tray_host
  # Notifications stay until closed, so the "Sign in again" one is still there (and its action
  # still listened for) however slow the machine is.
  mkdir -p "$HOME/.config/dunst"
  cat >"$HOME/pick" <<EOF
#!/bin/sh
tee -a "$HOME/menu.log" | grep -m1 'Sign in again'
EOF
  chmod +x "$HOME/pick"
  printf '[global]\n    timeout = 0\n    dmenu = %s\n[urgency_low]\n    timeout = 0\n[urgency_normal]\n    timeout = 0\n[urgency_critical]\n    timeout = 0\n' \
    "$HOME/pick" >"$HOME/.config/dunst/dunstrc"
  start_notifications

  # The emulator, on loopback only; every AWS endpoint of the app points at it.
  # A device code is approved at its second poll, so the sign-in shows the code first.
  start_emulator --auto-approve --device-approve-after 1
  local emu="$EMU"
  record_browser  # a browser that only records what it is given

  mkdir -p "$HOME/.aws"
  cat >"$HOME/.aws/config" <<'EOF'
[sso-session corp]
sso_start_url = https://d-corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile corp-dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev

[profile partner]
sso_start_url = https://d-partner.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = Dev

[sso-session lab]
sso_start_url = https://d-lab.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
sso_use_device_code = true

[profile lab-dev]
sso_session = lab
region = eu-west-1
EOF
  token_file corp "$(in_minutes 180)" no https://d-corp.awsapps.com/start
  token_file https://d-partner.awsapps.com/start "$(in_minutes 14)" no https://d-partner.awsapps.com/start
  export AWS_PROFILE=lab-dev

  # Every Notify call on the bus, with its actions.
  spawn bus dbus-monitor "interface='org.freedesktop.Notifications'"
  wait_for 10 "dbus-monitor to start" grep -q . "$E2E_ARTIFACTS/bus.log" || true

  start_app --hidden
  tray wait 30 >/dev/null || fail "the tray icon did not register with the StatusNotifierWatcher"

  local want='^Ending soon: partner\|corp — (2 h 5[0-9]|3 h 0) min\|Sign out of corp\|lab — signed out\|Sign in to lab\|partner — 1[0-4] min\|Sign in to partner\|Sign out of partner\|Sign in to all\|Profile: lab-dev\|Profiles\|Copy credentials as env\|Open console\|Open Lanyard\|Quit$'
  wait_for 30 "the menu to show the three sessions" menu_matches "$want" ||
    fail "tray menu is [$(labels)], want [$want]"
  log "tray menu: $(labels)"

  wait_for 30 "a notification naming partner with a Sign in again action" partner_notified ||
    fail "no notification for partner with a Sign in again action (bus.log: $(tail -c 2000 "$E2E_ARTIFACTS/bus.log"))"
  local count
  count="$(grep -c 'string "partner ends in' "$E2E_ARTIFACTS/bus.log")"
  [[ "$count" == 1 ]] || fail "partner was notified $count times, want once"
  log "notified: $(grep -m1 -o 'string "partner ends in[^"]*"' "$E2E_ARTIFACTS/bus.log")"

  tray click "Sign in to lab" || fail "cannot click Sign in to lab"
  wait_for 60 "lab's line to show time left" menu_matches 'lab — ≈ [0-9]+ h [0-9]+ min' ||
    fail "lab did not sign in: tray menu is [$(labels)]"
  log "after sign-in: $(labels)"
  grep -q 'string "Sign in to lab: code [A-Z0-9-]*"' "$E2E_ARTIFACTS/bus.log" ||
    fail "no notification showed lab's device code"
  grep -q "^$emu/" "$HOME/browser.log" ||
    fail "the device verification page was not handed to the browser: $(cat "$HOME/browser.log" 2>&1)"
  log "device code: $(grep -m1 -o 'string "Sign in to lab: code [^"]*"' "$E2E_ARTIFACTS/bus.log")"

  # Point lab-dev at an account and role the emulator's user holds.
  local token account role
  token="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["accessToken"])' \
    "$HOME/.aws/sso/cache/$(printf lab | sha1sum | cut -d' ' -f1).json")"
  account="$(curl -fsS -H "x-amz-sso_bearer_token: $token" "$emu/assignment/accounts?max_result=1" |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["accountList"][0]["accountId"])')"
  role="$(curl -fsS -H "x-amz-sso_bearer_token: $token" "$emu/assignment/roles?account_id=$account" |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["roleList"][0]["roleName"])')"
  printf 'sso_account_id = %s\nsso_role_name = %s\n' "$account" "$role" >>"$HOME/.aws/config"

  tray click "Copy credentials as env" || fail "cannot click Copy credentials as env"
  wait_for 30 "export lines on the clipboard" clipboard_has_env ||
    fail "the clipboard has no export AWS_ACCESS_KEY_ID= line"
  log "clipboard: $(xclip -o -selection clipboard | cut -c1-24 | paste -sd ' ')"

  tray click "Open console" || fail "cannot click Open console"
  wait_for 30 "the console URL in the browser" grep -q "^$emu/federation?Action=login" "$HOME/browser.log" ||
    fail "Open console gave the browser: $(cat "$HOME/browser.log")"
  log "browser got: $(grep -o "^$emu/federation?Action=login" "$HOME/browser.log" | head -n1)…"

  # "Sign in again" on partner's notification signs partner in (a legacy start URL: device code).
  invoke_sign_in_again
  wait_for 60 "partner's line to show a fresh time" \
    menu_matches 'partner — (≈ )?([0-9]+ h [0-9]+|[2-9][0-9]) min' ||
    fail "Sign in again did not sign partner in: tray menu is [$(labels)]"
  log "after Sign in again: $(labels)"
  count="$(grep -c 'string "partner ends in' "$E2E_ARTIFACTS/bus.log")"
  [[ "$count" == 1 ]] || fail "partner was notified $count times, want once"

  tray click "Sign out of corp" || fail "cannot click Sign out of corp"
  wait_for 30 "corp to be signed out" menu_matches 'corp — signed out\|Sign in to corp' ||
    fail "Sign out did not sign corp out: tray menu is [$(labels)]"
  [[ ! -e "$HOME/.aws/sso/cache/$(printf corp | sha1sum | cut -d' ' -f1).json" ]] ||
    fail "corp's token file is still there"
  log "after Sign out: $(labels)"

  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the app"
  [[ "$EXIT_CODE" == 0 ]] || fail "exit code $EXIT_CODE"
}
