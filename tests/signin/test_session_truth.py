"""The truth about every session, however it was signed in and whatever the service says
(issue 20): a sign-in another program wrote, a service that forgets clients and tokens, a refused
refresh, a damaged token file, a legacy token given a refresh token, and a session's calls never
going to an unrelated default profile's endpoint. Against idc-emulator on 127.0.0.1, with the
real botocore writing the token file as `aws sso login` does."""
import calendar
import concurrent.futures
import http.server
import json
import threading
import time

from emulator_support import REGION, START_URL
from sandbox_support import signed_in

# What `aws sso login --sso-session corp` does, with botocore's own pieces: register the client,
# the device authorization (approved through the emulator's admin API, as the person would in the
# browser), CreateToken, and botocore's SSOTokenLoader writing the sso-session cache file with the
# fields and formats the AWS CLI writes (PROTOCOL.md, "the sso-session cache file").
CLI_LOGIN = """
import datetime, json, os, urllib.request
import botocore.session
from botocore.utils import JSONFileCache, SSOTokenLoader
s = botocore.session.get_session()
oidc = s.create_client("sso-oidc", region_name=%(region)r)
reg = oidc.register_client(clientName="botocore-client-corp", clientType="public",
                           scopes=["sso:account:access"])
auth = oidc.start_device_authorization(clientId=reg["clientId"],
                                       clientSecret=reg["clientSecret"], startUrl=%(start)r)
req = urllib.request.Request(os.environ["AWS_ENDPOINT_URL_SSO_OIDC"]
                             + "/_emulator/approve?user_code=" + auth["userCode"], method="POST")
urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req).read()
tok = oidc.create_token(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                        grantType="urn:ietf:params:oauth:grant-type:device_code",
                        deviceCode=auth["deviceCode"])
def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%%Y-%%m-%%dT%%H:%%M:%%SZ")
now = datetime.datetime.now(datetime.timezone.utc).timestamp()
token = {"startUrl": %(start)r, "region": %(region)r, "accessToken": tok["accessToken"],
         "expiresAt": iso(now + tok["expiresIn"]), "clientId": reg["clientId"],
         "clientSecret": reg["clientSecret"],
         "registrationExpiresAt": iso(reg["clientSecretExpiresAt"])}
if "refreshToken" in tok:
    token["refreshToken"] = tok["refreshToken"]
cache = JSONFileCache(os.path.expanduser(os.path.join("~", ".aws", "sso", "cache")))
SSOTokenLoader(cache=cache).save_token(%(start)r, token, session_name="corp")
print(json.dumps({"clientId": reg["clientId"]}))
""" % {"region": REGION, "start": START_URL}


def epoch(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def hours_left(session):
    return (epoch(session["session_ends_at"]) - time.time()) / 3600


def test_a_sign_in_written_by_another_program_ends_about_eight_hours_later_issue_20(sandbox):
    sb = sandbox()
    sb.python(CLI_LOGIN)
    corp = sb.status()["corp"]
    assert corp["state"] == "valid", corp
    # Never the registration's 90 days: sign-in (when the file was written) + 8 h, an estimate.
    assert 7.9 < hours_left(corp) <= 8.0, corp
    assert corp["end_is_estimate"] is True and corp["signed_in_elsewhere"] is True
    assert corp["needs_sign_in"] is False
    # Seen once is remembered: a second look gives the same end.
    assert sb.status()["corp"]["session_ends_at"] == corp["session_ends_at"]
    prompt = sb.lanyard("status", "--prompt").stdout.strip()
    assert prompt.startswith("corp 7h5") or prompt.startswith("corp 8h00m"), prompt


def test_a_lanyard_record_older_than_a_new_cli_sign_in_is_dropped_issue_20(sandbox):
    sb = sandbox("--auto-approve", "--session-ttl", "3600")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    sb.emu.advance(3700)  # the service's session is over: the refresh is refused
    sb.expire_soon(-5)
    out = sb.lanyard("token", "--sso-session", "corp", check=False)
    assert out.returncode == 1 and "has ended" in out.stderr
    ended = sb.status()["corp"]
    assert ended["state"] == "expired" and ended["needs_sign_in"] is True
    assert ended["reason"] == "invalid_grant"
    # The person signs in with the AWS CLI: the recorded end is older than that sign-in.
    sb.python(CLI_LOGIN)
    corp = sb.status()["corp"]
    assert corp["state"] == "valid" and corp["needs_sign_in"] is False, corp
    assert corp["reason"] is None
    assert 7.9 < hours_left(corp) <= 8.0
    # And Lanyard serves from it.
    sb.lanyard("token", "--sso-session", "corp")


def test_a_refused_refresh_serves_the_token_until_its_own_expiry_issue_20(sandbox):
    sb = sandbox("--auto-approve", "--session-ttl", "3600")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    sb.emu.advance(3700)
    sb.expire_soon(600)  # ten minutes left: due for refresh, which the service refuses
    token = sb.token()["accessToken"]
    out = sb.lanyard("token", "--sso-session", "corp", check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == token, "served, as the AWS CLI serves it"
    assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == 1
    corp = sb.status()["corp"]
    assert corp["needs_sign_in"] is True and corp["reason"] == "invalid_grant"
    assert corp["state"] == "expiring" and corp["end_is_estimate"] is False
    assert corp["session_ends_at"] == sb.token()["expiresAt"]
    # Refused once is enough: the next call serves without asking again.
    sb.lanyard("token", "--sso-session", "corp")
    assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == 1
    # Once that token has expired too, the session has ended.
    sb.expire_soon(-5)
    out = sb.lanyard("token", "--sso-session", "corp", check=False)
    assert out.returncode == 1 and "has ended" in out.stderr


def test_a_service_that_forgot_the_client_and_token_needs_sign_in_then_registers_again_issue_20(
        sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    first_client = sb.token()["clientId"]
    sb.emu.admin("POST", "forget")
    out = sb.lanyard("credentials", "--profile", "dev", check=False)
    assert out.returncode != 0
    corp = sb.status()["corp"]
    assert corp["state"] == "expired" and corp["needs_sign_in"] is True, corp
    assert corp["reason"] == "token_rejected"
    doctor = sb.lanyard("doctor", check=False)
    assert "All is well" not in doctor.stdout + doctor.stderr
    # Signing in registers again, once, automatically.
    registered = sb.emu.state()["calls"]["RegisterClient"]
    sb.lanyard("login", "--profile", "dev")
    assert sb.token()["clientId"] != first_client
    assert sb.emu.state()["calls"]["RegisterClient"] == registered + 1
    assert sb.status()["corp"]["state"] == "valid"
    creds = json.loads(sb.lanyard("credentials", "--profile", "dev").stdout)
    assert creds["AccessKeyId"]


def test_a_refresh_refused_with_invalid_client_drops_the_registration_issue_20(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    first_client = sb.token()["clientId"]
    sb.emu.admin("POST", "forget")
    sb.expire_soon(-5)
    out = sb.lanyard("token", "--sso-session", "corp", "--json", check=False)
    assert out.returncode == 1
    assert "no longer knows the client registration" in out.stderr
    corp = sb.status()["corp"]
    assert corp["needs_sign_in"] is True and corp["reason"] == "invalid_client"
    registrations = [p for p in sb.cache.glob("*.json") if "clientSecret" in p.read_text()
                     and "accessToken" not in p.read_text()]
    assert registrations == [], "the refused registration was dropped"
    sb.lanyard("login", "--sso-session", "corp")
    assert sb.token()["clientId"] != first_client


def test_login_right_after_the_service_forgot_the_client_registers_again_issue_20(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    first_client = sb.token()["clientId"]
    sb.emu.admin("POST", "forget")
    # No call told Lanyard: the sign-in checks the cached registration before the browser.
    sb.lanyard("login", "--sso-session", "corp", timeout=60)
    assert sb.token()["clientId"] != first_client
    sb.lanyard("token", "--sso-session", "corp")


def test_a_damaged_token_file_needs_sign_in_and_logout_sweeps_the_role_credentials_issue_20(
        sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    sb.lanyard("credentials", "--profile", "dev")
    role_files = list((sb.home / ".aws" / "cli" / "cache").glob("*.json"))
    assert len(role_files) == 1
    sb.token_path().write_text('{"accessToken": "x", "expiresAt": ')
    corp = sb.status()["corp"]
    assert corp["state"] == "expired" and corp["needs_sign_in"] is True
    assert corp["reason"] == "token_unreadable"
    out = sb.lanyard("logout")
    assert out.returncode == 0
    assert not any(p.exists() for p in role_files), "the session's role credentials are swept"
    assert not sb.token_path().exists()
    assert sb.status()["corp"]["state"] == "signed-out"


def test_a_legacy_token_given_a_refresh_token_ends_at_its_own_expiry_issue_20(sandbox):
    sb = sandbox("--legacy-refresh-tokens", "--device-approve-after", "0")
    sb.browser("record")
    sb.lanyard("login", "--profile", "legacy")
    legacy = [s for s in sb.status().values() if s["kind"] == "legacy"][0]
    files = [json.loads(p.read_text()) for p in sb.cache.glob("*.json")]
    token = [f for f in files if f.get("startUrl") != START_URL and "accessToken" in f][0]
    assert "refreshToken" in token, "the service gave the legacy client a refresh token"
    assert legacy["session_ends_at"] == token["expiresAt"], legacy
    assert legacy["end_is_estimate"] is False and legacy["refreshable"] is False
    assert 0.9 < hours_left(legacy) <= 1.0


class CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args):
        pass


def test_a_sessions_calls_never_go_to_an_unrelated_default_profiles_endpoint_issue_20(sandbox):
    """`[default] endpoint_url` of a LocalStack set-up must receive nothing of a session's
    sign-in, refresh, sign-out or token calls: botocore uses the profile actually in use."""
    sb = sandbox("--auto-approve")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    CountingHandler.hits = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        local = f"http://127.0.0.1:{server.server_address[1]}"
        config = sb.home / ".aws" / "config"
        config.write_text(f"[default]\nendpoint_url = {local}\nregion = {REGION}\n\n"
                          + config.read_text().replace(
                              "[profile dev]\n", f"[profile dev]\nendpoint_url = {sb.emu.url}\n"))
        for var in ("AWS_ENDPOINT_URL_SSO_OIDC", "AWS_ENDPOINT_URL_SSO"):
            sb.env.pop(var)
        sb.browser("follow")
        sb.lanyard("login", "--sso-session", "corp")
        sb.expire_soon(300)
        sb.lanyard("token", "--sso-session", "corp")
        assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == 1
        sb.lanyard("logout", "--sso-session", "corp")
        assert CountingHandler.hits == [], CountingHandler.hits
    finally:
        server.shutdown()


def test_doctor_names_a_registration_the_service_refuses_issue_20(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    healthy = json.loads(sb.lanyard("doctor", "--json", check=False).stdout)
    assert any(c["check"] == "session" and c["status"] == "ok"
               and "accepts the session's token" in c["detail"] for c in healthy["checks"])
    sb.emu.admin("POST", "forget")
    out = sb.lanyard("doctor", "--json", check=False)
    assert out.returncode == 1
    report = json.loads(out.stdout)
    refused = [c for c in report["checks"] if c["check"] == "registration"
               and c["status"] == "fail"]
    assert refused and "invalid_client" in refused[0]["detail"], report
    assert "lanyard login --sso-session corp" in refused[0]["fix"]
    # What doctor learned is what every surface shows.
    corp = sb.status()["corp"]
    assert corp["needs_sign_in"] is True and corp["reason"] == "invalid_client"


def test_refreshes_by_other_lanyard_processes_keep_the_session_end_issue_20(sandbox):
    """Never alone: twenty Lanyard processes meet a session due for refresh at once. One refreshes;
    the others, and a later look, read a token they did not make — and still know it for a
    refresh of the same sign-in (the refresh is in the history every process shares), so the
    session's end stays where the sign-in put it and nothing says "signed in elsewhere"."""
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    before = sb.status()["corp"]
    assert before["signed_in_elsewhere"] is False, before
    sb.expire_soon(300)
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        runs = list(pool.map(lambda _: sb.lanyard("token", "--sso-session", "corp",
                                                   check=False), range(20)))
    assert [r.returncode for r in runs] == [0] * 20, [r.stderr for r in runs if r.returncode]
    assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == 1
    after = sb.status()["corp"]
    assert after["session_ends_at"] == before["session_ends_at"], (before, after)
    assert after["signed_in_elsewhere"] is False, after
    assert after["end_is_estimate"] == before["end_is_estimate"]
    assert after["state"] == "valid" and after["needs_sign_in"] is False
