# Issue 11 on the real app: what other programs do shows at once, and the default profile is
# switched from the tray. A token file written as the AWS CLI writes it shows in the tray within
# 1 s; a profile added by hand appears in the Profiles submenu within 1 s; choosing a profile
# there makes it the default (the config file says so, the menu checks it); a config that becomes
# invalid keeps the last good menu and names the line; Restore my default gives back the file; a
# language chosen in the settings file switches the tray's language.

token_json() {
  "$PY" - "$1" "$2" <<'EOF'
import json, sys
print(json.dumps({"startUrl": sys.argv[1], "region": "us-east-1",
                  "accessToken": "e2e-access-token", "expiresAt": sys.argv[2]}))
EOF
}

labels() { tray labels "$@" | paste -sd '|'; }
menu_matches() { [[ "$(labels)" =~ $1 ]]; }
submenu_matches() { [[ "$(labels Profiles)" =~ $1 ]]; }

# seconds_until CMD...: runs CMD every 50 ms until it succeeds; prints the seconds it took
# (from the moment before the first run), or fails after 10 s.
seconds_until() {
  local start now
  start="$(date +%s.%N)"
  for _ in $(seq 200); do
    if "$@" 2>/dev/null; then
      now="$(date +%s.%N)"
      "$PY" -c "print(round($now - $start, 3))"
      return 0
    fi
    sleep 0.05
  done
  return 1
}

run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  mkdir -p "$HOME/.aws"
  # A hand-made config: a comment, [default], sso-session corp, profiles dev and prod.
  cp "$E2E_LIB/corp-dev-prod.config" "$HOME/.aws/config"
  cp "$HOME/.aws/config" "$HOME/original-config"
  # The language is left to the settings file (the harness pins LANYARD_LANG, which would win).
  unset LANYARD_LANG
  start_app --hidden
  tray wait 30 >/dev/null || fail "the tray icon did not register"
  wait_for 20 "corp signed out in the menu" menu_matches 'corp — signed out' ||
    fail "menu is [$(labels)]"
  [[ "$(labels Profiles)" == "dev|prod" ]] || fail "Profiles submenu is [$(labels Profiles)]"

  # An `aws sso login` elsewhere: the token file appears (the CLI writes it in place).
  local cache took
  cache="$HOME/.aws/sso/cache"
  mkdir -p "$cache"
  token_json https://d-corp.awsapps.com/start "$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)" \
    >"$cache/$(printf corp | sha1sum | cut -d' ' -f1).json"
  took="$(seconds_until menu_matches 'corp — [0-9]')" ||
    fail "the new token did not show: menu is [$(labels)]"
  log "a token written by another program showed in ${took} s"
  "$PY" -c "import sys; sys.exit(0 if $took <= 1.0 else 1)" ||
    fail "the token took ${took} s to show (want ≤ 1 s)"

  # A profile added by hand.
  printf '\n[profile staging]\nsso_session = corp\n' >>"$HOME/.aws/config"
  took="$(seconds_until submenu_matches 'staging')" ||
    fail "staging did not appear: Profiles is [$(labels Profiles)]"
  log "a profile added by hand showed in ${took} s"
  "$PY" -c "import sys; sys.exit(0 if $took <= 1.0 else 1)" ||
    fail "the new profile took ${took} s to show (want ≤ 1 s)"

  # Switch from the tray.
  tray click "Profiles > prod" || fail "cannot click Profiles > prod"
  wait_for 10 "prod checked" submenu_matches '^prod \[x\]\|' ||
    fail "Profiles is [$(labels Profiles)]"
  grep -q '^lanyard_mirrors = prod$' "$HOME/.aws/config" || fail "the config does not mirror prod"
  grep -q '^\[profile lanyard-saved-default\]$' "$HOME/.aws/config" || fail "no saved default"
  menu_matches 'Profile: prod' || fail "menu is [$(labels)]"
  log "after switching: $(labels Profiles)"

  # A hand edit that breaks the file: the last good menu stays, the problem names its line.
  cp "$HOME/.aws/config" "$HOME/good-config"
  printf '[profile broken\n' >>"$HOME/.aws/config"
  wait_for 10 "the config problem in the menu" menu_matches 'Config problem: .*config.* line [0-9]+' ||
    fail "no config problem shown: menu is [$(labels)]"
  menu_matches 'corp — [0-9]' || fail "the last good state was dropped: [$(labels)]"
  log "broken config: $(labels | cut -d'|' -f1-2)"
  cp "$HOME/good-config" "$HOME/.aws/config"
  wait_for 10 "the problem to go" bash -c "! tray labels | grep -q 'Config problem'" ||
    fail "the problem line stayed: [$(labels)]"

  # Restore my default: the file as it was before the first switch (plus the hand edit).
  tray click "Profiles > Restore my default" || fail "cannot click Restore my default"
  wait_for 10 "the default restored" bash -c "! grep -q lanyard_mirrors '$HOME/.aws/config'" ||
    fail "the default was not restored"
  diff <(cat "$HOME/original-config"; printf '\n[profile staging]\nsso_session = corp\n') \
    "$HOME/.aws/config" >&2 || fail "the restored file differs from the original"
  # Settings are shared and live: a language chosen in the settings file switches the tray.
  mkdir -p "$HOME/.config/lanyard"
  printf '# chosen by hand\nlanguage = "zh-TW"\n' >"$HOME/.config/lanyard/settings.toml"
  wait_for 10 "the tray in Traditional Chinese" menu_matches '設定檔' ||
    fail "the settings file's language did not apply: [$(labels)]"
  printf 'language = "en"\n' >"$HOME/.config/lanyard/settings.toml"
  wait_for 10 "the tray in English again" menu_matches 'Profiles' ||
    fail "menu is [$(labels)]"
  # A malformed settings file: a visible warning, defaults meanwhile, the file left alone.
  printf 'warn_before = [\n' >"$HOME/.config/lanyard/settings.toml"
  wait_for 10 "the settings problem in the menu" menu_matches 'Settings problem: .*settings.toml' ||
    fail "no settings problem shown: [$(labels)]"
  [[ "$(cat "$HOME/.config/lanyard/settings.toml")" == 'warn_before = [' ]] ||
    fail "the malformed settings file was changed"
  log "malformed settings: $(labels | cut -d'|' -f2)"
  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the app"
}
