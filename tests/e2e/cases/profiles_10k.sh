# Issue 13 on the real app at scale: a ~/.aws/config of 10,000 profiles (tests/e2e/lib/
# big_config.py) and idc-emulator. Search finds a profile by its account id (every keystroke of
# that search is measured in WebKitGTK, written to profiles-search-webkit.json); editing its
# region and saving changes exactly that line of the file; a secret kept in the config never
# reaches the window; an edit made on disk while the editor is open is shown, not overwritten;
# new, duplicate, rename and delete each write only their own lines; a populate dry run of
# sso-session corp follows the portal listing with its progress bar and shows the diff, and
# applying it writes the profiles, which lanyard config check accepts; Test on one of them
# answers with its account.
# e2e-timeout: 240
run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  start_emulator --auto-approve --accounts 12 --roles-per-account 2
  local lanyard
  lanyard="$(dirname "$LANYARD_APP")/lanyard"
  mkdir -p "$HOME/.aws"
  "$PY" "$E2E_LIB/big_config.py" 10000 >"$HOME/.aws/config" || fail "cannot write the big config"
  log "config: $(grep -c '^\[profile ' "$HOME/.aws/config") profiles, $(wc -c <"$HOME/.aws/config") bytes"
  "$lanyard" login --sso-session corp --use-device-code --no-browser >&2 2>"$HOME/login.log" ||
    fail "sign-in to corp failed: $(cat "$HOME/login.log")"
  export AWS_CONFIG_FILE_FOR_TEST="$HOME/.aws/config"
  # Slow enough that the Populate page's progress bar is seen following the portal listing.
  mkdir -p "$HOME/.config/lanyard"
  printf 'portal_rate_limit = 3\n' >"$HOME/.config/lanyard/settings.toml"

  start_webdriver
  webdriver profiles-10k.mjs || fail "the 10,000-profile checks failed"
  "$lanyard" config check >&2 || fail "the config the window wrote has problems"
  [[ "$(grep -c '^sso_session = corp$' "$HOME/.aws/config")" == 24 ]] ||
    fail "populate did not write 24 corp profiles"
  tray click "Quit" || fail "cannot click Quit"
}
