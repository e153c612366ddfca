# Issues 13 and 14: the window's pages in secure mode (tokens in a real gnome-keyring). With
# sso-session corp in the keychain and profile dev in its credential_process form, on the real
# app: Test on dev answers with its account (credentials through the keychain); editing dev's
# region changes that one line and keeps the secure form; a populate dry run and Apply write
# the new profiles in the secure form (credential_process, lanyard_* keys, no sso_* keys). No
# file for corp appears under ~/.aws/sso/cache or ~/.aws/cli/cache, and the window's HTML holds
# no token.
run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  start_keyring
  start_emulator --auto-approve --accounts 3 --roles-per-account 2
  local lanyard
  lanyard="$(dirname "$LANYARD_APP")/lanyard"
  mkdir -p "$HOME/.aws"
  cat >"$HOME/.aws/config" <<'EOF2'
[sso-session corp]
sso_start_url = https://d-corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
EOF2
  "$lanyard" configure sso-session --name corp --storage keychain >&2 ||
    fail "cannot switch corp to keychain storage"
  "$lanyard" login --sso-session corp --use-device-code --no-browser >&2 2>"$HOME/login.log" ||
    fail "secure sign-in failed: $(cat "$HOME/login.log")"
  local account role
  account="$("$lanyard" accounts list --sso-session corp --json |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["accounts"][0]["account_id"])')"
  role="$("$lanyard" accounts list --sso-session corp --json |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["accounts"][0]["roles"][0])')"
  "$lanyard" configure sso --sso-session corp --profile dev --region eu-west-1 \
    --account-id "$account" --role-name "$role" >&2 || fail "the wizard could not write dev"
  grep -q '^credential_process = .*credentials --profile dev$' "$HOME/.aws/config" ||
    fail "dev is not in the secure form: $(cat "$HOME/.aws/config")"
  # The account list is cached now: the populate dry run will not list the portal again.
  export AWS_CONFIG_FILE_FOR_TEST="$HOME/.aws/config" DEV_ACCOUNT="$account"
  export CORP_TOKEN
  CORP_TOKEN="$(secret-tool lookup service lanyard username corp:token |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')"
  [[ -n "$CORP_TOKEN" ]] || fail "no corp token in the keychain"

  start_webdriver
  webdriver secure-window.mjs || fail "the secure-mode window checks failed"
  [[ -z "$(ls -A "$HOME/.aws/sso/cache" 2>/dev/null)" ]] || fail "files in ~/.aws/sso/cache"
  [[ -z "$(ls -A "$HOME/.aws/cli/cache" 2>/dev/null)" ]] || fail "files in ~/.aws/cli/cache"
  "$lanyard" config check >&2 || fail "the config the window wrote has problems"
  tray click "Quit" || fail "cannot click Quit"
}
