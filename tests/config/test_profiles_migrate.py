"""`lanyard profiles migrate` (issue 7): a legacy SSO profile becomes an sso-session profile
that botocore resolves with a refreshable token, with every other byte of the config kept;
bad input is refused with nothing written."""
import json

from emulator_support import REGION, START_URL, http
from sandbox_support import LEGACY_URL

# A hand-written file around the legacy profile: comments, odd spacing, a nested block and a
# file that does not end in a blank line. Only the two legacy lines may change.
LEGACY_CONFIG = """\
# Hand-written; every comment must survive.
[profile dev]
sso_session = corp
region = {region}

; the old way, from before sso-sessions
[profile legacy]
# signed in every morning
sso_start_url = {legacy_url}
sso_region   =   {region}
sso_account_id = {account}
sso_role_name = {role}
region = eu-west-1
s3 =
    max_concurrent_requests = 20

[sso-session corp]
sso_start_url = {start_url}
sso_region = {region}
sso_registration_scopes = sso:account:access
"""

BOTOCORE_CREDENTIALS = """
import json, botocore.session
s = botocore.session.Session(profile="legacy")
c = s.get_credentials().get_frozen_credentials()
print(json.dumps({"access_key": c.access_key, "method": s.get_credentials().method}))
"""


def assignment(sb, token):
    headers = {"x-amz-sso_bearer_token": token}
    _, _, body = http("GET", f"{sb.emu.url}/assignment/accounts?max_result=1", headers=headers)
    account = json.loads(body)["accountList"][0]["accountId"]
    _, _, body = http("GET", f"{sb.emu.url}/assignment/roles?account_id={account}",
                      headers=headers)
    return account, json.loads(body)["roleList"][0]["roleName"]


def write_legacy(sb, account="111122223333", role="Admin"):
    cfg = sb.home / ".aws" / "config"
    cfg.write_text(LEGACY_CONFIG.format(region=REGION, legacy_url=LEGACY_URL, start_url=START_URL,
                                        account=account, role=role))
    return cfg


def test_a_legacy_profile_becomes_a_refreshable_sso_session_profile_for_botocore(sandbox):
    # A 9-minute access token: inside botocore's refresh window, so botocore refreshes it.
    sb = sandbox("--auto-approve", "--token-ttl", "540")
    sb.browser("follow")
    # The account and role the emulator's user holds, from a first sign-in to corp.
    sb.lanyard("login", "--sso-session", "corp")
    account, role = assignment(sb, sb.token("corp")["accessToken"])
    cfg = write_legacy(sb, account, role)
    before = cfg.read_text()

    out = sb.lanyard("profiles", "migrate", "legacy")
    after = cfg.read_text()
    session = "d-9999999999"  # from the start URL's subdomain
    assert after == before.replace(
        f"sso_start_url = {LEGACY_URL}\nsso_region   =   {REGION}\n",
        f"sso_session = {session}\n",
    ) + (f"[sso-session {session}]\nsso_start_url = {LEGACY_URL}\nsso_region = {REGION}\n"
         "sso_registration_scopes = sso:account:access\n"), out.stderr
    assert f"lanyard login --sso-session {session}" in out.stderr

    login = sb.lanyard("login", "--sso-session", session)
    assert f"Successfully logged into Start URL: {LEGACY_URL}" in login.stderr
    token = sb.token(session)  # keyed by the session name, not the start URL
    assert token["refreshToken"] and token["startUrl"] == LEGACY_URL
    assert not sb.token_path(LEGACY_URL).exists(), "no legacy (start-URL-keyed) token"

    refreshes = sb.emu.state()["calls"]["CreateToken"].get("refresh_token", 0)
    issued = sb.emu.state()["calls"]["GetRoleCredentials"]
    got = sb.python(BOTOCORE_CREDENTIALS)
    assert got["method"] == "sso" and got["access_key"].startswith("ASIA"), got
    assert sb.emu.state()["calls"]["GetRoleCredentials"] == issued + 1, "from the emulator"
    # botocore found the token refreshable and refreshed it through the session.
    assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == refreshes + 1
    assert sb.token(session)["accessToken"] != token["accessToken"]
    assert sb.lanyard("profiles", "show", "legacy", "--json").stdout.count(session) >= 1


def test_a_session_with_the_same_start_url_and_region_is_reused(sandbox):
    sb = sandbox()
    cfg = write_legacy(sb)
    cfg.write_text(cfg.read_text().replace(LEGACY_URL, START_URL))
    before = cfg.read_text()
    out = sb.lanyard("profiles", "migrate", "legacy")
    assert "the existing [sso-session corp]" in out.stderr
    assert cfg.read_text() == before.replace(
        f"sso_start_url = {START_URL}\nsso_region   =   {REGION}\n", "sso_session = corp\n", 1)


def test_a_named_session_is_created_or_must_match(sandbox):
    sb = sandbox()
    cfg = write_legacy(sb)
    before = cfg.read_text()
    out = sb.lanyard("profiles", "migrate", "legacy", "--sso-session", "corp", check=False)
    assert out.returncode == 1
    assert (f"sso-session corp has sso_start_url = {START_URL}, but profile legacy has "
            f"{LEGACY_URL}; choose another --sso-session (nothing was written)") in out.stderr
    assert cfg.read_text() == before
    sb.lanyard("profiles", "migrate", "legacy", "--sso-session", "old-portal")
    assert cfg.read_text().endswith(
        f"[sso-session old-portal]\nsso_start_url = {LEGACY_URL}\nsso_region = {REGION}\n"
        "sso_registration_scopes = sso:account:access\n")
    assert "sso_session = old-portal\nsso_account_id" in cfg.read_text()


def test_bad_input_is_refused_and_nothing_is_written(sandbox):
    sb = sandbox()
    cfg = write_legacy(sb)
    cfg.write_text(cfg.read_text() + "[profile static]\naws_access_key_id = AKIAEXAMPLE\n")
    before = cfg.read_text()
    cases = {
        "dev": "profile dev already uses sso-session corp; there is nothing to migrate",
        "static": "profile static is not a legacy SSO profile: its section has no sso_start_url",
        "nobody": 'no profile named "nobody" in the config',
    }
    for profile, message in cases.items():
        out = sb.lanyard("profiles", "migrate", profile, check=False)
        assert out.returncode == 1 and message in out.stderr, (profile, out.stderr)
        assert out.stdout == ""
        assert cfg.read_text() == before, profile
    backups = sb.home / ".local" / "share" / "lanyard" / "backups"
    assert not backups.exists() or not any(backups.iterdir()), "no save was attempted"
