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
  secure_corp dev eu-west-1
  # The account list is cached now: the populate dry run will not list the portal again.
  export AWS_CONFIG_FILE_FOR_TEST="$HOME/.aws/config" DEV_ACCOUNT="$PROFILE_ACCOUNT"
  export CORP_TOKEN
  CORP_TOKEN="$(secret-tool lookup service lanyard username corp:token |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')"
  [[ -n "$CORP_TOKEN" ]] || fail "no corp token in the keychain"

  start_webdriver
  webdriver secure-window.mjs || fail "the secure-mode window checks failed"
  [[ -z "$(ls -A "$HOME/.aws/sso/cache" 2>/dev/null)" ]] || fail "files in ~/.aws/sso/cache"
  [[ -z "$(ls -A "$HOME/.aws/cli/cache" 2>/dev/null)" ]] || fail "files in ~/.aws/cli/cache"
  "$LANYARD_CLI" config check >&2 || fail "the config the window wrote has problems"
  tray click "Quit" || fail "cannot click Quit"
}
