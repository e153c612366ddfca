#!/usr/bin/env bash
# Writes the mock backend's fixtures (ui/src/lib/backend/fixtures/*.json) from the real CLI's
# --json output against idc-emulator in a sandbox HOME, so the mock cannot drift from the shapes
# the app sends (src-tauri's dto tests parse these files as its DTOs, unknown fields refused).
# The sandbox: sso-session corp (signed in with a device code the emulator approves), lab
# (signed out, device code chosen), a legacy start URL; profiles on each; dev made the default.
# Needs target/debug/{lanyard,idc-emulator} (cargo build --workspace). Run again after changing
# a DTO or the CLI's JSON:  scripts/ui-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/debug
out=ui/src/lib/backend/fixtures
for b in lanyard idc-emulator; do
  [[ -x "$bin/$b" ]] || { echo "$bin/$b is missing: cargo build --workspace" >&2; exit 1; }
done
sandbox=$(mktemp -d)
emu_out="$sandbox/emulator.out"
"$bin/idc-emulator" --port 0 --accounts 6 --roles-per-account 2 --seed 12 --auto-approve \
  --device-approve-after 1 >"$emu_out" 2>"$sandbox/emulator.log" &
emu=$!
trap 'kill $emu 2>/dev/null || true; rm -rf "$sandbox"' EXIT
for _ in $(seq 100); do [[ -s "$emu_out" ]] && break; sleep 0.1; done
url=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["listening"])' "$emu_out")

home="$sandbox/home"
mkdir -p "$home/.aws"
cat >"$home/.aws/config" <<'EOF'
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = eu-west-1
output = json

[profile ops]
sso_session = corp
sso_account_id = 444455556666
sso_role_name = ReadOnly
region = us-east-1

[profile lab-admin]
sso_session = lab
sso_account_id = 777788889999
sso_role_name = AdministratorAccess
region = ap-northeast-1

[profile legacy]
sso_start_url = https://d-9876543210.awsapps.com/start
sso_region = us-west-2
sso_account_id = 123456789012
sso_role_name = Auditor

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[sso-session lab]
sso_start_url = https://d-lab0000000.awsapps.com/start
sso_region = ap-northeast-1
sso_registration_scopes = sso:account:access
sso_use_device_code = true
EOF
chmod 600 "$home/.aws/config"

run() {
  env -i PATH="$PATH" HOME="$home" LANG=C.UTF-8 LANYARD_LANG=en BROWSER=true \
    AWS_ENDPOINT_URL_SSO_OIDC="$url" AWS_ENDPOINT_URL_SSO="$url" AWS_ENDPOINT_URL_STS="$url" \
    "$bin/lanyard" "$@"
}
run login --sso-session corp --use-device-code --no-browser >/dev/null 2>"$sandbox/login.log" ||
  { cat "$sandbox/login.log" >&2; exit 1; }
run profiles use dev >/dev/null 2>&1
mkdir -p "$out"
run status --json >"$out/status.json"
run profiles list --json >"$out/profiles.json"
run accounts list --sso-session corp --json >"$out/accounts.json"
# When the fixtures were taken: the mock shifts every time by (now - this), so countdowns run.
python3 -c 'import datetime,json; print(json.dumps({"generated_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}))' >"$out/meta.json"
# Nothing secret may be in a fixture (they are committed and shipped in the mock build).
if grep -Eiq 'accessToken|refreshToken|clientSecret|secretAccessKey|sessionToken' "$out"/*.json; then
  echo "a fixture holds a secret-looking key" >&2
  exit 1
fi
echo "wrote $(ls "$out" | paste -sd' ') in $out"
