# Issue 19 on the real app: the tray and the CLI write ~/.aws/config at the same moment and no
# edit of either is lost; a [default] that another program changed while it mirrors a profile is
# never switched over from the tray: the file stays as it is, a note says why, and the window
# opens to ask.
# e2e-timeout: 150

submenu_matches() { [[ "$(tray labels Profiles | paste -sd '|')" =~ $1 ]]; }
note_says() { notifications | grep -q "$1"; }

run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  mkdir -p "$HOME/.aws"
  # A hand-made config: a comment, [default], sso-session corp, profiles dev and prod.
  cp "$E2E_LIB/corp-dev-prod.config" "$HOME/.aws/config"
  start_app --hidden
  tray wait 30 >/dev/null || fail "the tray icon did not register"
  wait_for 20 "the Profiles submenu" submenu_matches 'dev\|prod' ||
    fail "Profiles submenu is [$(tray labels Profiles | paste -sd '|')]"

  # The CLI adds 30 profiles while the tray switches the default back and forth.
  local cli
  cli="$(dirname "$LANYARD_APP")/lanyard"
  (
    for i in $(seq 30); do
      "$cli" profiles set "cli-$i" region=eu-west-1 >/dev/null 2>>"$HOME/cli-errors" ||
        echo "cli-$i" >>"$HOME/cli-failures"
    done
  ) &
  local writer=$! target
  for i in $(seq 8); do
    target=prod
    ((i % 2 == 0)) && target=dev
    tray click "Profiles > $target" || fail "cannot click Profiles > $target"
    sleep 0.25
  done
  wait "$writer"
  [[ ! -s "$HOME/cli-failures" ]] || fail "CLI edits refused: $(cat "$HOME/cli-errors")"
  wait_for 10 "the last choice (dev) in the file" grep -q '^lanyard_mirrors = dev$' "$HOME/.aws/config" ||
    fail "the default does not mirror dev: $(grep lanyard_mirrors "$HOME/.aws/config")"
  local lost=()
  for i in $(seq 30); do
    grep -q "^\[profile cli-$i\]$" "$HOME/.aws/config" || lost+=("cli-$i")
  done
  ((${#lost[@]} == 0)) || fail "CLI edits lost: ${lost[*]}"
  grep -q '^# my config$' "$HOME/.aws/config" && grep -q '^\[sso-session corp\]$' "$HOME/.aws/config" ||
    fail "the person's sections were lost"
  log "30 CLI edits and 8 tray switches at once: none lost"

  # Another program changes the mirrored default (as `aws configure set region` does).
  sed -i '/^lanyard_mirrors = dev$/a region = ap-northeast-1' "$HOME/.aws/config"
  sleep 0.5
  cp "$HOME/.aws/config" "$HOME/before"
  tray click "Profiles > prod" || fail "cannot click Profiles > prod"
  wait_for 15 "the window, to ask" find_window >/dev/null || fail "the window did not open"
  wait_for 10 "the note" note_says 'The default profile was not changed' ||
    fail "no note: $(notifications)"
  diff "$HOME/before" "$HOME/.aws/config" >&2 || fail "the tray switched over the changed default"
  log "a changed mirrored default: not switched, the window opened, the note said why"
}
