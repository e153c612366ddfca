# Issue 14 on the real app: the tray works the same for a session in secure mode. With tokens in
# the keychain (gnome-keyring's Secret Service on the case's bus) and nothing in ~/.aws/sso/cache,
# the tray shows the session's time left, Copy credentials puts `export` lines on the clipboard
# (role credentials fetched with the keychain's token and cached in the keychain, not in
# ~/.aws/cli/cache), and Sign out removes the token from the keychain.

labels() { tray labels | paste -sd '|'; }
menu_matches() { [[ "$(labels)" =~ $1 ]]; }
clipboard_has_env() {
  timeout 5 xclip -o -selection clipboard | grep -q '^export AWS_ACCESS_KEY_ID=.'
}
keychain_has() { secret-tool lookup service lanyard username "$1" >/dev/null 2>&1; }

run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  start_keyring
  start_emulator --auto-approve
  secure_corp dev eu-west-1
  keychain_has corp:token || fail "no corp:token item in the keychain"
  [[ -z "$(ls -A "$HOME/.aws/sso/cache" 2>/dev/null)" ]] || fail "files in ~/.aws/sso/cache"
  export AWS_PROFILE=dev

  # With the window open, so WebKit's storage is there to be searched too.
  start_app
  tray wait 30 >/dev/null || fail "the tray icon did not register"
  wait_for 30 "the window" window_mapped || fail "the window did not open"
  wait_for 20 "corp with time left" menu_matches 'corp — ≈ [0-9]+ h [0-9]+ min' ||
    fail "menu is [$(labels)]"
  log "tray: $(labels)"

  tray click "Copy credentials as env" || fail "cannot click Copy credentials as env"
  wait_for 30 "export lines on the clipboard" clipboard_has_env ||
    fail "the clipboard has no export AWS_ACCESS_KEY_ID= line"
  [[ -z "$(ls -A "$HOME/.aws/cli/cache" 2>/dev/null)" ]] || fail "role credentials in ~/.aws/cli/cache"
  # Read it all first: grep -q stopping early would fail the pipeline (pipefail) on SIGPIPE.
  local items
  items="$(secret-tool search --all --unlock service lanyard 2>&1 | grep username)"
  [[ "$items" == *"username = corp:role:"* ]] ||
    fail "no role credentials item in the keychain: $items"

  # No secret value anywhere under HOME in plaintext (logs, WebKit storage, config, caches); the
  # keyring file itself is encrypted.
  local secrets value
  secrets="$(secret-tool lookup service lanyard username corp:token 2>/dev/null |
    "$PY" -c 'import json,sys; t=json.load(sys.stdin); print(t["accessToken"]); print(t.get("refreshToken",""))')
$(secret-tool lookup service lanyard username corp:registration 2>/dev/null |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["registration"]["clientSecret"])')
$(xclip -o -selection clipboard | sed -n 's/^export AWS_\(SECRET_ACCESS_KEY\|SESSION_TOKEN\)=//p')"
  [[ "$(grep -c . <<<"$secrets")" -ge 5 ]] || fail "could not read the secrets to look for"
  while read -r value; do
    [[ -n "$value" ]] || continue
    if grep -rlF --exclude-dir=keyrings -- "$value" "$HOME" >"$HOME/leak.txt" 2>/dev/null; then
      fail "a secret value is in plaintext under HOME: $(cat "$HOME/leak.txt")"
    fi
  done <<<"$secrets"
  log "no token, refresh token, client secret or role credential in plaintext under HOME"

  tray click "Sign out of corp" || fail "cannot click Sign out of corp"
  wait_for 30 "corp signed out" menu_matches 'corp — signed out' || fail "menu is [$(labels)]"
  ! keychain_has corp:token || fail "corp:token is still in the keychain"
  log "after sign-out: $(labels)"
  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the app"
}
