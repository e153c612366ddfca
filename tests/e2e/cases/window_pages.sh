# Issue 12: the window's pages on the real app. In an empty sandbox, the SSO sessions form creates
# sso-session corp (device code chosen; a wrong region is refused first), the config file holds
# it; on Sessions, Sign in shows the device-code dialog (idc-emulator approves after one poll),
# the card turns signed in with an estimated countdown; switching to 繁體中文 shows the page in it.
run_case() {
  start_xvfb
  start_tray_host
  start_notifications

  start_emulator --auto-approve --device-approve-after 1

  record_browser
  mkdir -p "$HOME/.aws"
  export AWS_CONFIG_FILE_FOR_TEST="$HOME/.aws/config"

  start_webdriver
  webdriver window-pages.mjs || fail "the window pages checks failed"
  grep -q '^\[sso-session corp\]' "$HOME/.aws/config" || fail "no [sso-session corp] in the config"
  log "config: $(paste -sd'|' "$HOME/.aws/config")"
  local labels
  labels="$(tray labels | paste -sd '|')"
  [[ "$labels" =~ corp\ —\ 約 ]] || fail "the tray does not show corp signed in, in Chinese: $labels"
  log "tray: $labels"
  tray click "結束" || fail "cannot click Quit (結束)"
}
