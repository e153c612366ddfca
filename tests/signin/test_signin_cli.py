"""`lanyard login | logout | status | token` end to end against idc-emulator on 127.0.0.1, and
interop with botocore/boto3 from tests/.venv (issue 6)."""
import concurrent.futures
import hashlib
import json
import re
import stat
import time

from sandbox_support import LEGACY_URL

CLI_TOKEN_KEYS = ["startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret",
                  "registrationExpiresAt", "refreshToken"]
CLI_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

RESOLVE_AND_CALL_STS = """
import json, boto3
s = boto3.Session(profile_name="dev")
print(json.dumps(s.client("sts").get_caller_identity()))
"""


def test_pkce_login_then_boto3_uses_the_profile_with_no_further_login(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    out = sb.lanyard("login", "--profile", "dev")
    assert "Successfully logged into Start URL: https://d-1234567890.awsapps.com/start" in out.stderr
    # The browser got the CLI's authorize URL: its parameters in its order, plural `scopes`.
    url = sb.browser_log.read_text().splitlines()[0]
    assert re.match(
        re.escape(sb.emu.url) + r"/authorize\?response_type=code&client_id=[^&]+"
        r"&redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Foauth%2Fcallback&state=[0-9a-f-]{36}"
        r"&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge=[A-Za-z0-9_-]{43}$",
        url), url
    assert sb.emu.state()["calls"]["CreateToken"]["authorization_code"] == 1
    account, role = sb.first_assignment()
    sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", f"sso_role_name={role}")
    calls_before = sb.emu.state()["calls"]["CreateToken"]
    ident = sb.python(RESOLVE_AND_CALL_STS)
    assert ident["Account"] == account
    assert f":assumed-role/AWSReservedSSO_{role}_" in ident["Arn"]
    # boto3 used Lanyard's token as it was: no sign-in, no refresh.
    assert sb.emu.state()["calls"]["CreateToken"] == calls_before


def test_the_token_file_is_exactly_the_aws_cli_format(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    path = sb.token_path("corp")
    text = path.read_text()
    data = json.loads(text)
    assert list(data) == CLI_TOKEN_KEYS
    # One line of Python json.dumps text: ", " and ": " separators.
    assert text == json.dumps(data)
    assert data["startUrl"] == "https://d-1234567890.awsapps.com/start"
    assert data["region"] == "us-east-1"
    assert CLI_TIME.match(data["expiresAt"]) and CLI_TIME.match(data["registrationExpiresAt"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(sb.cache.stat().st_mode) == 0o700
    # The client registration is cached where the CLI looks for it, under its key.
    key = json.dumps({"region": "us-east-1", "scopes": ["sso:account:access"],
                      "session_name": "corp", "startUrl": "https://d-1234567890.awsapps.com/start",
                      "tool": "botocore"}, sort_keys=True)
    reg = json.loads((sb.cache / (hashlib.sha1(key.encode()).hexdigest() + ".json")).read_text())
    assert list(reg)[:3] == ["clientId", "clientSecret", "expiresAt"]
    assert reg["grantTypes"] == ["authorization_code", "refresh_token"]


def test_device_code_login_shows_the_code_and_polls_until_approved(sandbox):
    sb = sandbox()  # approves after 2 polls
    out = sb.lanyard("login", "--sso-session", "corp", "--use-device-code", "--no-browser")
    assert re.search(r"Then enter the code:\n\n[A-Z]{4}-[A-Z]{4}\n", out.stderr), out.stderr
    assert sb.emu.url + "/device" in out.stderr
    assert sb.emu.state()["calls"]["CreateToken"]["device_code"] >= 2
    assert sb.status()["corp"]["state"] == "valid"


def test_sso_use_device_code_in_the_session_makes_login_use_the_device_flow(sandbox):
    sb = sandbox()
    sb.lanyard("configure", "sso-session", "--name", "corp", "--start-url",
               "https://d-1234567890.awsapps.com/start", "--region", "us-east-1")
    cfg = sb.home / ".aws" / "config"
    cfg.write_text(cfg.read_text().replace("[sso-session corp]\n",
                                           "[sso-session corp]\nsso_use_device_code = true\n"))
    sb.lanyard("login", "--sso-session", "corp", "--no-browser")
    calls = sb.emu.state()["calls"]["CreateToken"]
    assert calls["device_code"] >= 1 and calls["authorization_code"] == 0


def test_legacy_profile_signs_in_with_the_device_code_under_its_start_url(sandbox):
    sb = sandbox()
    out = sb.lanyard("login", "--profile", "legacy", "--no-browser")
    assert "Then enter the code" in out.stderr
    token = sb.token(LEGACY_URL)
    assert "refreshToken" not in token, "a registration without scopes gets no refresh token"
    legacy = sb.status()[LEGACY_URL]
    assert legacy["kind"] == "legacy" and legacy["refreshable"] is False
    assert legacy["session_ends_at"] == token["expiresAt"], "a legacy token's expiry is the end"


def test_status_json_has_the_documented_shape(sandbox):
    sb = sandbox("--auto-approve")
    before = sb.status()
    assert before["corp"] == {
        "name": "corp", "kind": "sso-session", "start_url": "https://d-1234567890.awsapps.com/start",
        "region": "us-east-1", "storage": "file", "state": "signed-out", "expires_at": None,
        "session_ends_at": None, "end_is_estimate": False, "refreshable": False,
        "needs_sign_in": False, "reason": None, "signed_in_at": None,
        "signed_in_elsewhere": False, "profiles": ["dev"]}
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    after = sb.status()["corp"]
    assert after["state"] == "valid" and after["refreshable"] is True
    assert CLI_TIME.match(after["expires_at"]) and CLI_TIME.match(after["session_ends_at"])
    prompt = sb.lanyard("status", "--prompt").stdout
    assert re.fullmatch(r"corp \dh\d\dm\n", prompt), prompt


def test_botocore_refreshing_the_token_shows_in_lanyard_status(sandbox):
    # A 9-minute access token: inside botocore's mandatory refresh window.
    sb = sandbox("--auto-approve", "--token-ttl", "540")
    sb.browser("follow")
    sb.lanyard("login", "--profile", "dev")
    account, role = sb.first_assignment()
    sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", f"sso_role_name={role}")
    before = sb.status()["corp"]["expires_at"]
    old = sb.token()
    time.sleep(1.1)  # so that botocore's new expiresAt (now + 540 s) differs by at least 1 s
    sb.python(RESOLVE_AND_CALL_STS)
    assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == 1, "botocore refreshed"
    new = sb.token()
    assert new["accessToken"] != old["accessToken"]
    assert new["refreshToken"] != old["refreshToken"], "the refresh token rotated"
    after = sb.status()["corp"]
    assert after["expires_at"] == new["expiresAt"] and after["expires_at"] > before
    assert after["state"] == "valid"
    # And Lanyard can refresh from the file botocore wrote (the rotated refresh token works).
    # (A token just obtained is not due while half its life is left: let a minute remain.)
    sb.expire_soon(60)
    sb.lanyard("token", "--sso-session", "corp")
    assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == 2


def test_twenty_parallel_token_calls_on_an_expiring_session_refresh_exactly_once(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    sb.expire_soon(300)  # five minutes left: every caller finds the session due for refresh
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        runs = list(pool.map(lambda _: sb.lanyard("token", "--sso-session", "corp", "--json",
                                                   check=False), range(20)))
    assert [r.returncode for r in runs] == [0] * 20, [r.stderr for r in runs if r.returncode]
    tokens = {json.loads(r.stdout)["accessToken"] for r in runs}
    assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == 1
    assert len(tokens) == 1, "every caller got the one refreshed token"
    assert tokens == {sb.token()["accessToken"]}, "and it is what the cache holds"
    assert list(sb.token()) == CLI_TOKEN_KEYS
    # The one refresh's token is fresh: a later call uses it as it is.
    sb.lanyard("token", "--sso-session", "corp")
    assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == 1


def test_the_identity_center_session_ending_makes_the_session_expired(sandbox):
    sb = sandbox("--auto-approve", "--session-ttl", "3600")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    sb.emu.advance(3700)  # the emulator's Identity Center session is now over
    # The access token has run out too (one with time left is still served: issue 20).
    sb.expire_soon(-5)
    out = sb.lanyard("token", "--sso-session", "corp", check=False)
    assert out.returncode == 1
    assert "session corp has ended" in out.stderr
    assert "lanyard login --sso-session corp" in out.stderr
    corp = sb.status()["corp"]
    assert corp["state"] == "expired" and corp["refreshable"] is False


def test_logout_revokes_and_removes_the_token_and_the_sessions_role_credentials(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--profile", "dev")
    account, role = sb.first_assignment()
    sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", f"sso_role_name={role}")
    # A role-credential entry as the AWS CLI caches it for this profile, and one of another tool.
    cli_cache = sb.home / ".aws" / "cli" / "cache"
    cli_cache.mkdir(parents=True)
    key = json.dumps({"accountId": account, "roleName": role, "sessionName": "corp"},
                     sort_keys=True, separators=(",", ":"))
    ours = cli_cache / (hashlib.sha1(key.encode()).hexdigest() + ".json")
    ours.write_text(json.dumps({"ProviderType": "sso", "Credentials": {
        "AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T",
        "Expiration": "2099-01-01T00:00:00Z"}}))
    other = cli_cache / "assume-role.json"
    other.write_text(json.dumps({"Credentials": {"AccessKeyId": "B"}}))
    regs = {p.name for p in sb.cache.iterdir()} - {sb.token_path().name}
    sb.lanyard("logout", "--sso-session", "corp")
    state = sb.emu.state()
    assert state["calls"]["Logout"] == 1 and state["tokens"]["revoked"] >= 1
    assert not sb.token_path().exists()
    assert {p.name for p in sb.cache.iterdir()} == regs, "registrations are kept"
    assert not ours.exists() and other.exists()
    assert sb.status()["corp"]["state"] == "signed-out"


def test_trace_logs_of_full_logins_hold_no_secret_value(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    first = sb.token()
    sb.expire_soon(60)
    sb.lanyard("token", "--sso-session", "corp")  # a refresh too
    sb.lanyard("login", "--sso-session", "corp", "--use-device-code", "--no-browser")
    last = sb.token()
    code = re.search(r"[?&]code=([^&]+)", (sb.tmp / "browser.log.redirects").read_text()).group(1)
    secrets = {first["accessToken"], first["refreshToken"], first["clientSecret"],
               last["accessToken"], last["refreshToken"], last["clientSecret"], code}
    logs = sb.home / ".local" / "share" / "lanyard" / "logs"
    text = "".join(p.read_text() for p in logs.iterdir())
    assert "signed in" in text and "refreshed" in text, "trace logs were written"
    for value in secrets:
        assert value and value not in text


def test_a_malformed_token_file_is_a_clear_error_and_is_left_as_it_is(sandbox):
    sb = sandbox()
    sb.cache.mkdir(parents=True)
    sb.token_path().write_text('{"accessToken": "x", "expiresAt": ')
    out = sb.lanyard("token", "--sso-session", "corp", check=False)
    assert out.returncode == 1
    assert str(sb.token_path()) in out.stderr and "not a valid cache file" in out.stderr
    assert sb.token_path().read_text() == '{"accessToken": "x", "expiresAt": '


def test_a_missing_sso_session_is_named_in_botocores_words(sandbox):
    sb = sandbox()
    out = sb.lanyard("login", "--sso-session", "ghost", check=False)
    assert out.returncode == 1
    assert 'The specified sso-session does not exist: "ghost"' in out.stderr
    out = sb.lanyard("login", "--profile", "nobody", check=False)
    assert "The config profile (nobody) could not be found" in out.stderr


def test_an_unreachable_endpoint_fails_clearly_and_writes_nothing(sandbox):
    sb = sandbox()
    out = sb.lanyard("login", "--sso-session", "corp", "--no-browser", check=False,
                     env={"AWS_ENDPOINT_URL_SSO_OIDC": "http://127.0.0.1:9"})
    assert out.returncode == 1
    assert "cannot reach the sign-in service at http://127.0.0.1:9" in out.stderr
    assert not sb.cache.exists() or not any(sb.cache.iterdir())


def test_a_denied_authorization_is_an_error_and_no_token(sandbox):
    sb = sandbox()  # shows Approve / Deny
    sb.browser("deny")
    out = sb.lanyard("login", "--sso-session", "corp", check=False)
    assert out.returncode == 1
    assert "access_denied" in out.stderr
    assert not sb.token_path().exists()


SECOND_SESSION = """
[profile lab]
sso_session = lab
region = us-east-1

[sso-session lab]
sso_start_url = https://d-5555555555.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
"""


def test_login_all_signs_in_to_every_session_one_after_another(sandbox):
    sb = sandbox("--auto-approve", "--device-approve-after", "0")
    (sb.home / ".aws" / "config").write_text((sb.home / ".aws" / "config").read_text() + SECOND_SESSION)
    sb.browser("follow")
    out = sb.lanyard("login", "--all")
    assert out.stderr.count("Successfully logged into Start URL") == 3, out.stderr
    assert "Signing in to corp..." in out.stderr and "Signing in to lab..." in out.stderr
    status = sb.status()
    assert {n: s["state"] for n, s in status.items()} == {
        "corp": "valid", "lab": "valid", LEGACY_URL: "valid"}


def test_logout_all_and_bare_logout_sign_out_of_everything(sandbox):
    sb = sandbox("--auto-approve", "--device-approve-after", "0")
    (sb.home / ".aws" / "config").write_text((sb.home / ".aws" / "config").read_text() + SECOND_SESSION)
    sb.browser("follow")
    for args in (["logout", "--all"], ["logout"]):
        sb.lanyard("login", "--all")
        cli_cache = sb.home / ".aws" / "cli" / "cache"
        cli_cache.mkdir(parents=True, exist_ok=True)
        (cli_cache / "some-sso-entry.json").write_text(json.dumps({"ProviderType": "sso", "Credentials": {
            "AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": "T",
            "Expiration": "2099-01-01T00:00:00Z"}}))
        (cli_cache / "assume-role.json").write_text(json.dumps({"Credentials": {"AccessKeyId": "B"}}))
        sb.lanyard(*args)
        assert {s["state"] for s in sb.status().values()} == {"signed-out"}, args
        assert not (cli_cache / "some-sso-entry.json").exists(), "every SSO role credential goes"
        assert (cli_cache / "assume-role.json").exists(), "other tools' entries stay"
    assert sb.emu.state()["calls"]["Logout"] == 6, "the portal was told for each sign-in"


def test_redirect_port_fixes_the_loopback_port_of_the_pkce_redirect(sandbox):
    import socket
    with socket.socket() as s:  # a free port on 127.0.0.1, released before lanyard binds it
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp", "--redirect-port", str(port))
    url = sb.browser_log.read_text().splitlines()[0]
    assert f"redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Foauth%2Fcallback" in url
    assert sb.status()["corp"]["state"] == "valid"


def test_a_sessions_duration_in_the_settings_sets_its_estimated_end(sandbox):
    """Issue 11/12: `[sessions.NAME] duration` (Settings in the window) is the estimate's length."""
    import datetime
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")

    def hours_left():
        end = sb.status()["corp"]["session_ends_at"]
        end = datetime.datetime.fromisoformat(end.replace("Z", "+00:00"))
        return (end - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 3600

    assert 7.9 < hours_left() <= 8.0
    settings = sb.home / ".config" / "lanyard" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('[sessions.corp]\nduration = "12h"\n')
    assert 11.9 < hours_left() <= 12.0
