"""SSO OIDC through botocore's own sso-oidc client, found via AWS_ENDPOINT_URL_SSO_OIDC:
RegisterClient, the device flow, the authorization-code flow with PKCE, refresh rotation."""
import base64
import hashlib
import http.server as httpserver
import secrets
import string
import threading
import time
import urllib.parse
import uuid

import pytest
from botocore.exceptions import ClientError

from emulator_support import START_URL, device_token, http, register

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def error_of(excinfo):
    e = excinfo.value
    return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]


def test_register_client_as_the_cli_does(emulator, clients):
    oidc, _ = clients(emulator)
    before = int(time.time())
    reg = register(oidc, ["sso:account:access"])
    assert reg["clientId"] and reg["clientSecret"]
    # Epoch seconds, not milliseconds; the registration lasts 90 days.
    assert before - 5 <= reg["clientIdIssuedAt"] <= before + 5
    assert reg["clientSecretExpiresAt"] - reg["clientIdIssuedAt"] == 90 * 24 * 3600
    assert emulator.state()["calls"]["RegisterClient"] == 1


def test_register_client_rejects_a_confidential_client(emulator, clients):
    oidc, _ = clients(emulator)
    with pytest.raises(oidc.exceptions.InvalidClientMetadataException) as ei:
        oidc.register_client(clientName="x", clientType="confidential")
    assert error_of(ei) == ("InvalidClientMetadataException", 400)
    assert ei.value.response["error"] == "invalid_client_metadata"


def test_register_client_rejects_a_non_loopback_http_redirect(emulator, clients):
    oidc, _ = clients(emulator)
    with pytest.raises(oidc.exceptions.InvalidRedirectUriException):
        register(oidc, ["sso:account:access"], grantTypes=["authorization_code"],
                 redirectUris=["http://example.com/callback"])


def test_device_flow_pending_slow_down_then_success(start_emulator, clients):
    emu = start_emulator("--device-approve-after", "2")
    oidc, _ = clients(emu)
    reg = register(oidc, ["sso:account:access"])
    auth = oidc.start_device_authorization(clientId=reg["clientId"],
                                           clientSecret=reg["clientSecret"], startUrl=START_URL)
    assert auth["verificationUri"] == f"{emu.url}/device"
    assert auth["verificationUriComplete"] == f"{emu.url}/device?user_code={auth['userCode']}"
    assert auth["interval"] >= 1 and auth["expiresIn"] == 600
    args = dict(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                grantType=DEVICE_GRANT, deviceCode=auth["deviceCode"])

    with pytest.raises(oidc.exceptions.AuthorizationPendingException) as ei:
        oidc.create_token(**args)
    assert error_of(ei) == ("AuthorizationPendingException", 400)
    assert ei.value.response["error"] == "authorization_pending"
    # Polling again at once is too fast.
    with pytest.raises(oidc.exceptions.SlowDownException):
        oidc.create_token(**args)
    emu.advance(auth["interval"] + 1)
    with pytest.raises(oidc.exceptions.AuthorizationPendingException):
        oidc.create_token(**args)
    emu.advance(auth["interval"] + 1)
    tok = oidc.create_token(**args)
    assert tok["tokenType"] == "Bearer" and tok["expiresIn"] == 3600
    assert tok["accessToken"] and tok["refreshToken"]
    # A device code is good for one token only.
    emu.advance(auth["interval"] + 1)
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        oidc.create_token(**args)
    st = emu.state()
    assert st["calls"]["CreateToken"] == {"device_code": 5, "authorization_code": 0,
                                          "refresh_token": 0}
    assert st["tokens"]["issued"] == 1


def test_device_flow_expired_token(start_emulator, clients):
    emu = start_emulator("--device-approve-after", "-1")
    oidc, _ = clients(emu)
    reg = register(oidc)
    auth = oidc.start_device_authorization(clientId=reg["clientId"],
                                           clientSecret=reg["clientSecret"], startUrl=START_URL)
    emu.advance(auth["expiresIn"] + 1)
    with pytest.raises(oidc.exceptions.ExpiredTokenException) as ei:
        oidc.create_token(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                          grantType=DEVICE_GRANT, deviceCode=auth["deviceCode"])
    assert ei.value.response["error"] == "expired_token"


def test_device_flow_expired_through_the_admin_call(start_emulator, clients):
    emu = start_emulator("--device-approve-after", "-1")
    oidc, _ = clients(emu)
    reg = register(oidc)
    auth = oidc.start_device_authorization(clientId=reg["clientId"],
                                           clientSecret=reg["clientSecret"], startUrl=START_URL)
    emu.admin("POST", "expire?device_code=" + urllib.parse.quote(auth["deviceCode"]))
    with pytest.raises(oidc.exceptions.ExpiredTokenException):
        oidc.create_token(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                          grantType=DEVICE_GRANT, deviceCode=auth["deviceCode"])


def test_device_verification_page_approves_and_denies(start_emulator, clients):
    emu = start_emulator("--device-approve-after", "-1")
    oidc, _ = clients(emu)
    reg = oidc.register_client(clientName="page-test-client", clientType="public")

    def start():
        return oidc.start_device_authorization(
            clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=START_URL)

    auth = start()
    args = dict(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                grantType=DEVICE_GRANT, deviceCode=auth["deviceCode"])
    # -1: polls alone never approve.
    for _ in range(3):
        with pytest.raises(oidc.exceptions.AuthorizationPendingException):
            oidc.create_token(**args)
        emu.advance(2)
    status, _, page = http("GET", auth["verificationUriComplete"])
    assert status == 200
    assert b"page-test-client" in page and auth["userCode"].encode() in page
    # A person types the code in lower case without the dash.
    typed = auth["userCode"].replace("-", "").lower()
    status, _, page = http("POST", f"{emu.url}/device",
                           urllib.parse.urlencode({"user_code": typed, "decision": "approve"}),
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and b"Request approved" in page
    assert oidc.create_token(**args)["accessToken"]

    denied = start()
    http("POST", f"{emu.url}/device",
         urllib.parse.urlencode({"user_code": denied["userCode"], "decision": "deny"}),
         {"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(oidc.exceptions.AccessDeniedException) as ei:
        oidc.create_token(**{**args, "deviceCode": denied["deviceCode"]})
    assert ei.value.response["error"] == "access_denied"


def test_wrong_client_secret_is_invalid_client_401(emulator, clients):
    oidc, _ = clients(emulator)
    reg = register(oidc)
    with pytest.raises(oidc.exceptions.InvalidClientException) as ei:
        oidc.start_device_authorization(clientId=reg["clientId"], clientSecret="nope",
                                        startUrl=START_URL)
    assert error_of(ei) == ("InvalidClientException", 401)


# --- authorization code + PKCE -------------------------------------------------------------

def pkce():
    verifier = "".join(secrets.choice(string.ascii_letters + string.digits + "-._~")
                       for _ in range(64))
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode()
    return verifier, challenge.rstrip("=")


def register_pkce(oidc):
    return oidc.register_client(
        clientName="botocore-client-my-sso", clientType="public",
        grantTypes=["authorization_code", "refresh_token"],
        redirectUris=["http://127.0.0.1/oauth/callback"],
        issuerUrl=START_URL, scopes=["sso:account:access"])


def authorize_url(base, client_id, redirect_uri, state, challenge):
    """Exactly the URL the AWS CLI builds (PROTOCOL.md §2), parameter order included."""
    q = urllib.parse.urlencode({"response_type": "code", "client_id": client_id,
                                "redirect_uri": redirect_uri, "state": state,
                                "code_challenge_method": "S256",
                                "scopes": "sso:account:access"})
    return f"{base}/authorize?{q}&code_challenge={challenge}"


def code_from_location(location, state):
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert q["state"] == [state]
    return q["code"][0]


def test_authorization_code_with_pkce(start_emulator, clients):
    emu = start_emulator("--auto-approve")
    oidc, _ = clients(emu)
    reg = register_pkce(oidc)
    redirect_uri = "http://127.0.0.1:49152/oauth/callback"   # a port never registered

    def new_code():
        verifier, challenge = pkce()
        state = str(uuid.uuid4())
        status, headers, _ = http("GET", authorize_url(emu.url, reg["clientId"], redirect_uri,
                                                       state, challenge))
        assert status == 302
        assert headers["Location"].startswith(redirect_uri + "?")
        return verifier, code_from_location(headers["Location"], state)

    def exchange(code, verifier, uri=redirect_uri):
        return oidc.create_token(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                                 grantType="authorization_code", code=code,
                                 redirectUri=uri, codeVerifier=verifier)

    # Wrong verifier.
    verifier, code = new_code()
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        exchange(code, pkce()[0])
    # Redirect URI different from the one sent to /authorize (another port).
    verifier, code = new_code()
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        exchange(code, verifier, "http://127.0.0.1:49153/oauth/callback")
    # Right verifier: tokens, with a refresh token (the client has scopes).
    verifier, code = new_code()
    tok = exchange(code, verifier)
    assert tok["accessToken"] and tok["refreshToken"] and tok["expiresIn"] == 3600
    # Codes are single-use.
    with pytest.raises(oidc.exceptions.InvalidGrantException) as ei:
        exchange(code, verifier)
    assert ei.value.response["error"] == "invalid_grant"
    assert emu.state()["calls"]["CreateToken"]["authorization_code"] == 4


def test_authorize_page_approve_and_deny_through_a_loopback_listener(emulator, clients):
    """The whole browser round trip over plain HTTP: the Approve/Deny page, then the redirect
    to a real 127.0.0.1 callback listener like the AWS CLI's."""
    oidc, _ = clients(emulator)
    reg = register_pkce(oidc)
    received = []

    class Callback(httpserver.BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *a):
            pass

    server = httpserver.HTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/oauth/callback"
        for decision in ("approve", "deny"):
            verifier, challenge = pkce()
            state = str(uuid.uuid4())
            status, _, page = http("GET", authorize_url(emulator.url, reg["clientId"],
                                                        redirect_uri, state, challenge))
            assert status == 200
            assert b"botocore-client-my-sso" in page and b"Approve" in page and b"Deny" in page
            request_id = page.split(b'name="request" value="')[1].split(b'"')[0].decode()
            status, _, body = http("POST", f"{emulator.url}/authorize",
                                   urllib.parse.urlencode({"request": request_id,
                                                           "decision": decision}),
                                   {"Content-Type": "application/x-www-form-urlencoded"},
                                   follow=True)
            assert status == 200 and body == b"ok"
            q = urllib.parse.parse_qs(urllib.parse.urlsplit(received[-1]).query)
            assert q["state"] == [state]
            if decision == "approve":
                tok = oidc.create_token(clientId=reg["clientId"],
                                        clientSecret=reg["clientSecret"],
                                        grantType="authorization_code", code=q["code"][0],
                                        redirectUri=redirect_uri, codeVerifier=verifier)
                assert tok["accessToken"]
            else:
                assert q["error"] == ["access_denied"] and "code" not in q
    finally:
        server.shutdown()


def test_authorize_refuses_an_unregistered_redirect(start_emulator, clients):
    emu = start_emulator("--auto-approve")
    oidc, _ = clients(emu)
    reg = register_pkce(oidc)
    _, challenge = pkce()
    status, headers, page = http("GET", authorize_url(emu.url, reg["clientId"],
                                                      "http://127.0.0.1:5000/elsewhere", "s",
                                                      challenge))
    assert status == 400 and "Location" not in headers
    assert b"does not match" in page


# --- refresh -------------------------------------------------------------------------------

def test_refresh_rotates_the_refresh_token(emulator, clients):
    oidc, _ = clients(emulator)
    reg, tok = device_token(emulator, oidc)
    args = dict(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                grantType="refresh_token")
    new = oidc.create_token(refreshToken=tok["refreshToken"], **args)
    assert new["accessToken"] != tok["accessToken"]
    assert new["refreshToken"] and new["refreshToken"] != tok["refreshToken"]
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        oidc.create_token(refreshToken=tok["refreshToken"], **args)
    assert oidc.create_token(refreshToken=new["refreshToken"], **args)["accessToken"]
    assert emulator.state()["tokens"]["issued"] == 3


def test_no_refresh_token_for_a_client_without_scopes(emulator, clients):
    oidc, _ = clients(emulator)
    _, tok = device_token(emulator, oidc, scopes=None)
    assert tok["accessToken"] and "refreshToken" not in tok


def test_no_refresh_flag(start_emulator, clients):
    emu = start_emulator("--no-refresh")
    oidc, _ = clients(emu)
    _, tok = device_token(emu, oidc)
    assert "refreshToken" not in tok


def test_session_ttl_ends_refresh_with_invalid_grant(start_emulator, clients):
    emu = start_emulator("--session-ttl", "120", "--token-ttl", "60")
    oidc, _ = clients(emu)
    reg, tok = device_token(emu, oidc)
    args = dict(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                grantType="refresh_token")
    emu.advance(61)
    tok = oidc.create_token(refreshToken=tok["refreshToken"], **args)
    assert tok["expiresIn"] == 60
    emu.advance(61)
    with pytest.raises(oidc.exceptions.InvalidGrantException) as ei:
        oidc.create_token(refreshToken=tok["refreshToken"], **args)
    assert ei.value.response["error"] == "invalid_grant"
