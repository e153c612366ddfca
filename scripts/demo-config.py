#!/usr/bin/env python3
"""Writes the demo sandbox's ~/.aws/config for a running idc-emulator: an sso-session `demo` and
a profile `demo` for the first account and role the emulator's user holds. It finds them the
way a person would, by signing in (device code, approved through the emulator's admin API) and
listing accounts; that throwaway sign-in is not cached anywhere. Standard library only."""
import json
import sys
import urllib.request
from pathlib import Path

START_URL = "https://d-0000000000.awsapps.com/start"
direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    with direct.open(req, timeout=10) as r:
        text = r.read().decode()
        return json.loads(text) if text else {}


def main(base, config_path):
    path = Path(config_path)
    if path.exists():
        print(f"[demo] keeping the existing {path}")
        return
    reg = call("POST", f"{base}/client/register", {"clientName": "demo-setup", "clientType": "public"})
    auth = call("POST", f"{base}/device_authorization", {
        "clientId": reg["clientId"], "clientSecret": reg["clientSecret"], "startUrl": START_URL})
    call("POST", f"{base}/_emulator/approve?user_code={auth['userCode']}")
    tok = call("POST", f"{base}/token", {
        "clientId": reg["clientId"], "clientSecret": reg["clientSecret"],
        "grantType": "urn:ietf:params:oauth:grant-type:device_code", "deviceCode": auth["deviceCode"]})
    bearer = {"x-amz-sso_bearer_token": tok["accessToken"]}
    account = call("GET", f"{base}/assignment/accounts?max_result=1", headers=bearer)["accountList"][0]
    role = call("GET", f"{base}/assignment/roles?account_id={account['accountId']}",
                headers=bearer)["roleList"][0]["roleName"]
    call("POST", f"{base}/logout", headers=bearer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Lanyard demo: an IAM Identity Center emulated on 127.0.0.1 (idc-emulator).\n"
        f"# {account.get('accountName', '')} is one of the emulator's made-up accounts.\n"
        "[profile demo]\n"
        "sso_session = demo\n"
        f"sso_account_id = {account['accountId']}\n"
        f"sso_role_name = {role}\n"
        "region = us-east-1\n"
        "output = json\n"
        "\n"
        "[sso-session demo]\n"
        f"sso_start_url = {START_URL}\n"
        "sso_region = us-east-1\n"
        "sso_registration_scopes = sso:account:access\n")
    path.chmod(0o600)
    print(f"[demo] wrote {path}: profile demo -> {account['accountId']} / {role}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
