# Bench (issue 10): the tray app idle with its window closed. After IDLE_SETTLE seconds (60) of
# idling, measures over IDLE_MEASURE seconds (60): the summed RSS of the app and its child
# processes (goal ≤ 80 MB) and its wake-ups, counted as voluntary context switches of all its
# threads (goal ≤ 2 per minute beyond the countdown tick). Writes idle.json to the artifacts.
# A measurement, not a test: it reports and never fails on the numbers. Run with run-idle.sh.

# pids of the app and all its descendants
tree_pids() {
  local pid="$1" child
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    tree_pids "$child"
  done
}

rss_kb() {
  local total=0 pid kb
  for pid in $(tree_pids "$APP_PID"); do
    kb="$(awk '/^VmRSS:/ {print $2}' /proc/"$pid"/status 2>/dev/null)"
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

# "tid name switches" per thread of the app, for finding who wakes up
per_thread() {
  local t
  for t in /proc/"$APP_PID"/task/*; do
    printf '%s %s %s\n' "${t##*/}" "$(tr ' ' _ <"$t/comm")" \
      "$(awk '/^voluntary_ctxt_switches:/ {print $2}' "$t/status")"
  done | sort
}

voluntary_switches() {
  local total=0 pid n
  for pid in $(tree_pids "$APP_PID"); do
    for n in $(awk '/^voluntary_ctxt_switches:/ {print $2}' /proc/"$pid"/task/*/status 2>/dev/null); do
      total=$((total + n))
    done
  done
  echo "$total"
}

run_case() {
  start_xvfb
  start_tray_host
  start_notifications
  mkdir -p "$HOME/.aws/sso/cache"
  cat >"$HOME/.aws/config" <<'CFG'
[sso-session corp]
sso_start_url = https://corp.example.com/start
sso_region = us-east-1

[profile corp-dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev
CFG
  local stem
  stem="$(printf corp | sha1sum | cut -d' ' -f1)"
  printf '{"startUrl":"https://corp.example.com/start","region":"us-east-1","accessToken":"x","expiresAt":"%s"}' \
    "$(date -u -d '+5 hours' +%Y-%m-%dT%H:%M:%SZ)" >"$HOME/.aws/sso/cache/$stem.json"

  start_app --hidden
  tray wait 30 >/dev/null || fail "the tray icon did not register"
  local settle="${IDLE_SETTLE:-60}" measure="${IDLE_MEASURE:-60}"
  log "idling ${settle}s, then measuring ${measure}s"
  sleep "$settle" # a measurement window, not a wait for something
  local cs0 cs1 rss threads
  cs0="$(voluntary_switches)"
  per_thread >"$E2E_ARTIFACTS/threads-0.txt"
  sleep "$measure"
  cs1="$(voluntary_switches)"
  per_thread >"$E2E_ARTIFACTS/threads-1.txt"
  log "per thread (name, switches during the measure):"
  join "$E2E_ARTIFACTS/threads-0.txt" "$E2E_ARTIFACTS/threads-1.txt" 2>/dev/null |
    awk '{ if ($5 - $3 > 0) printf "      %s (%s) %d\n", $2, $1, $5 - $3 }' >&2 || true
  rss="$(rss_kb)"
  threads="$(ls /proc/"$APP_PID"/task | wc -l)"
  local per_min=$(((cs1 - cs0) * 60 / measure))
  log "processes: $(tree_pids "$APP_PID" | wc -l), threads: $threads"
  log "RSS: $((rss / 1024)) MB (goal ≤ 80 MB)"
  log "voluntary context switches: $((cs1 - cs0)) in ${measure}s = ${per_min}/min (goal: the tick + ≤ 2)"
  printf '{"rss_kb": %s, "voluntary_switches_per_min": %s, "threads": %s}\n' "$rss" "$per_min" "$threads" \
    >"$E2E_ARTIFACTS/idle.json"
  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the app"
}
