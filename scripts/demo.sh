#!/usr/bin/env bash
# make demo: the whole product without an AWS account and without touching your own ~/.aws.
# Starts idc-emulator on 127.0.0.1 (three dozen accounts; its approval pages are shown, not
# auto-approved), a sandbox HOME in target/demo-home whose config holds a demo sso-session and
# profile, and the app pointed at the emulator through the AWS endpoint variables. The sandbox
# is kept between runs (delete target/demo-home to start over); the emulator stops with the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/debug
home="$PWD/target/demo-home"
mkdir -p "$home/.aws"
out=$(mktemp)
"$bin/idc-emulator" --port 0 --accounts 36 --roles-per-account 3 --seed 7 >"$out" 2>"$home/emulator.log" &
emu=$!
trap 'kill $emu 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
url=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["listening"])' "$out")
echo "[demo] idc-emulator at $url (log: $home/emulator.log)"
python3 scripts/demo-config.py "$url" "$home/.aws/config"
export HOME="$home" AWS_CONFIG_FILE="$home/.aws/config" AWS_SHARED_CREDENTIALS_FILE="$home/.aws/credentials"
export AWS_ENDPOINT_URL_SSO_OIDC="$url" AWS_ENDPOINT_URL_SSO="$url" AWS_ENDPOINT_URL_STS="$url" AWS_ENDPOINT_URL_SIGNIN="$url"
cat <<TXT
[demo] In another terminal, the same sandbox:
         export HOME=$home AWS_ENDPOINT_URL_SSO_OIDC=$url AWS_ENDPOINT_URL_SSO=$url AWS_ENDPOINT_URL_STS=$url
         $PWD/$bin/lanyard login --profile demo      # approve on the page that opens
         $PWD/$bin/lanyard status
[demo] Starting Lanyard; quit it from the tray (or close the window) to stop the demo.
TXT
"$bin/lanyard-app"
