"""boto3 resolving an SSO profile end to end against the emulator, in a fresh interpreter whose
HOME is a sandbox: the token cache file written in the AWS CLI's format, role credentials from the
portal, STS GetCallerIdentity, and botocore's own token refresh rewriting the cache file."""
import datetime as dt
import hashlib
import json
import re
import urllib.parse

from emulator_support import REGION, START_URL, device_token, run_python

SESSION = "my-sso"

RESOLVE = r'''
import json, boto3
s = boto3.Session(profile_name="dev")
c = s.get_credentials().get_frozen_credentials()
ident = s.client("sts").get_caller_identity()
print(json.dumps({"akid": c.access_key,
                  "ident": {k: ident[k] for k in ("Account", "Arn", "UserId")}}))
'''


def cli_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_profile(home, account, role, reg, tok, expires_in):
    aws = home / ".aws"
    (aws / "sso" / "cache").mkdir(parents=True, exist_ok=True)
    (aws / "config").write_text(
        "[profile dev]\n"
        f"sso_session = {SESSION}\nsso_account_id = {account}\nsso_role_name = {role}\n"
        f"region = {REGION}\noutput = json\n"
        f"[sso-session {SESSION}]\n"
        f"sso_start_url = {START_URL}\nsso_region = {REGION}\n"
        "sso_registration_scopes = sso:account:access\n")
    now = dt.datetime.now(dt.timezone.utc)
    token = {
        "startUrl": START_URL, "region": REGION, "accessToken": tok["accessToken"],
        "expiresAt": cli_time(now + dt.timedelta(seconds=expires_in)),
        "clientId": reg["clientId"], "clientSecret": reg["clientSecret"],
        "registrationExpiresAt": cli_time(dt.datetime.fromtimestamp(
            reg["clientSecretExpiresAt"], dt.timezone.utc)),
        "refreshToken": tok["refreshToken"],
    }
    path = aws / "sso" / "cache" / (hashlib.sha1(SESSION.encode()).hexdigest() + ".json")
    path.write_text(json.dumps(token))
    return path


def first_account(sso, access_token):
    return sso.list_accounts(accessToken=access_token)["accountList"][0]


def test_boto3_resolves_a_profile_from_the_token_cache(emulator, clients, home, sandbox_env):
    oidc, sso = clients(emulator)
    reg, tok = device_token(emulator, oidc)
    acct = first_account(sso, tok["accessToken"])
    cache = write_profile(home, acct["accountId"], "AdministratorAccess", reg, tok, 3600)
    before = cache.read_text()
    out = run_python(RESOLVE, emulator.env(sandbox_env))
    assert out["akid"].startswith("ASIA")
    assert out["ident"]["Account"] == acct["accountId"]
    assert re.fullmatch(
        rf"arn:aws:sts::{acct['accountId']}:assumed-role/AWSReservedSSO_AdministratorAccess_"
        r"[0-9a-f]{16}/jane\.doe@acme\.example", out["ident"]["Arn"])
    assert re.fullmatch(r"AROA[A-Z2-7]{17}:jane\.doe@acme\.example", out["ident"]["UserId"])
    # A token far from expiry is used as is: no refresh, file untouched.
    assert cache.read_text() == before
    st = emulator.state()
    assert st["calls"]["CreateToken"]["refresh_token"] == 0
    assert st["calls"]["GetRoleCredentials"] == 1 and st["calls"]["GetCallerIdentity"] == 1


def test_botocore_refresh_rewrites_the_cache_file(emulator, clients, home, sandbox_env):
    oidc, sso = clients(emulator)
    reg, tok = device_token(emulator, oidc)
    acct = first_account(sso, tok["accessToken"])
    # Five minutes left: inside botocore's mandatory refresh window.
    cache = write_profile(home, acct["accountId"], "ReadOnlyAccess", reg, tok, 300)
    # Only a refreshed token can work from here on.
    emulator.admin("POST", "expire?access_token=" + urllib.parse.quote(tok["accessToken"]))
    out = run_python(RESOLVE, emulator.env(sandbox_env))
    assert out["ident"]["Account"] == acct["accountId"]
    assert "AWSReservedSSO_ReadOnlyAccess_" in out["ident"]["Arn"]
    new = json.loads(cache.read_text())
    assert new["accessToken"] != tok["accessToken"]
    assert new["refreshToken"] != tok["refreshToken"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", new["expiresAt"])
    left = dt.datetime.strptime(new["expiresAt"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=dt.timezone.utc) - dt.datetime.now(dt.timezone.utc)
    assert 3500 < left.total_seconds() <= 3600
    st = emulator.state()
    assert st["calls"]["CreateToken"]["refresh_token"] == 1
    # The rotated refresh token is the one that works now.
    assert oidc.create_token(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                             grantType="refresh_token",
                             refreshToken=new["refreshToken"])["accessToken"]


def test_an_ended_session_fails_as_botocore_reports_it(start_emulator, clients, home,
                                                       sandbox_env):
    emu = start_emulator("--session-ttl", "60")
    oidc, sso = clients(emu)
    reg, tok = device_token(emu, oidc)
    acct = first_account(sso, tok["accessToken"])
    write_profile(home, acct["accountId"], "AdministratorAccess", reg, tok, -10)
    emu.advance(120)
    out = run_python(r'''
import json, boto3
try:
    boto3.Session(profile_name="dev").get_credentials().get_frozen_credentials()
    print(json.dumps({"error": None}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__, "message": str(e)}))
''', emu.env(sandbox_env))
    assert out["error"] == "TokenRetrievalError", out
    assert "Token has expired and refresh failed" in out["message"]
    assert emu.state()["calls"]["CreateToken"]["refresh_token"] == 1
