# Issue 20: a sign-in another program made shows its true time left. While the app runs, a token
# file appears exactly as `aws sso login --sso-session corp` writes it (a refresh token, a client
# registration valid for 90 days); the window's Sessions card and the tray then show about 8 hours
# left, marked as an estimate — sign-in time (when the file was written) + the session duration —
# and never the registration's 2159 hours.
run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  mkdir -p "$HOME/.aws"
  cp "$E2E_LIB/corp-dev-prod.config" "$HOME/.aws/config"
  local stem
  stem="$(printf corp | sha1sum | cut -d' ' -f1)"
  export WRITE_CLI_TOKEN="mkdir -p '$HOME/.aws/sso/cache' && '$PY' - '$HOME/.aws/sso/cache/$stem.json' <<'PYEOF'
import datetime, json, sys
now = datetime.datetime.now(datetime.timezone.utc)
iso = lambda d: (now + d).strftime('%Y-%m-%dT%H:%M:%SZ')
token = {'startUrl': 'https://d-corp.awsapps.com/start', 'region': 'us-east-1',
         'accessToken': 'e2e-cli-access-token', 'expiresAt': iso(datetime.timedelta(hours=1)),
         'clientId': 'e2e-cli-client', 'clientSecret': 'e2e-cli-secret',
         'registrationExpiresAt': iso(datetime.timedelta(days=90)),
         'refreshToken': 'e2e-cli-refresh-token'}
open(sys.argv[1], 'w').write(json.dumps(token))
PYEOF"
  start_webdriver
  webdriver other-program-sign-in.mjs || fail "the window or the tray did not show the true time left"
  log "tray: $(tray labels | paste -sd '|')"
}
