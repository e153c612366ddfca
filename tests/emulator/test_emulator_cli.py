"""The binary's contract: the first stdout line, logs on stderr, 127.0.0.1 only, the admin state
shape, injected failures and latency, --tls with AWS_CA_BUNDLE, and a clean exit on SIGTERM."""
import json
import os
import re
import signal
import ssl
import time
import urllib.request

import pytest
from botocore.exceptions import SSLError

from emulator_support import device_token, http, register


def test_first_line_is_exactly_one_compact_json_line(start_emulator):
    emu = start_emulator()
    emu.proc.send_signal(signal.SIGTERM)
    assert emu.proc.wait(5) == 0
    rest = emu.proc.stdout.read()
    assert rest == b"", "nothing but the first line goes to stdout"
    assert "listening" in emu.log.read_text(), "logs go to stderr"
    line = json.dumps({"listening": emu.url}, separators=(",", ":"))
    assert re.fullmatch(r'\{"listening":"http://127\.0\.0\.1:\d+"\}', line)


def test_first_line_format_as_printed(start_emulator):
    proc, line = start_emulator(expect_line=False)
    assert re.fullmatch(r'\{"listening":"http://127\.0\.0\.1:\d+"\}\n', line), repr(line)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "localhost"])
def test_refuses_to_bind_anything_but_loopback(start_emulator, host):
    proc, line = start_emulator("--host", host, expect_line=False)
    assert proc.wait(5) != 0
    assert line == ""


def test_explicit_loopback_host_and_fixed_port(start_emulator):
    emu = start_emulator("--host", "127.0.0.1")
    port = int(emu.url.rsplit(":", 1)[1])
    assert port > 0
    status, _, _ = http("GET", emu.url + "/")
    assert status == 200


def test_state_shape_and_reset(emulator, clients):
    oidc, sso = clients(emulator)
    _, tok = device_token(emulator, oidc)
    sso.list_accounts(accessToken=tok["accessToken"])
    st = emulator.state()
    assert set(st) == {"calls", "responses", "tokens", "role_credentials_issued",
                       "max_portal_requests_in_any_second", "issuer_urls", "device_start_urls"}
    assert st["device_start_urls"] == ["https://d-1234567890.awsapps.com/start"]
    assert st["calls"]["CreateToken"] == {"device_code": 1, "authorization_code": 0,
                                          "refresh_token": 0}
    assert st["calls"]["ListAccounts"] == 1 and st["calls"]["RegisterClient"] == 1
    assert all(isinstance(v, int) for k, v in st["calls"].items() if k != "CreateToken")
    assert st["responses"] == {"200": 4}
    assert st["tokens"] == {"issued": 1, "revoked": 0}
    assert st["max_portal_requests_in_any_second"] == 1
    emulator.admin("POST", "reset")
    st = emulator.state()
    assert st["responses"] == {} and st["tokens"] == {"issued": 0, "revoked": 0}
    assert st["device_start_urls"] == []
    # Reset forgets every token.
    with pytest.raises(sso.exceptions.UnauthorizedException):
        sso.list_accounts(accessToken=tok["accessToken"])


def test_fail_rate_one_gives_internal_server_errors(start_emulator, clients):
    emu = start_emulator("--fail-rate", "1")
    oidc, _ = clients(emu, retries={"total_max_attempts": 1})
    with pytest.raises(oidc.exceptions.InternalServerException) as ei:
        register(oidc)
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    # Retried by botocore before giving up.
    oidc, _ = clients(emu, retries={"mode": "standard", "total_max_attempts": 2})
    with pytest.raises(oidc.exceptions.InternalServerException):
        register(oidc)
    assert emu.state()["responses"]["500"] == 3


def test_latency(start_emulator, clients):
    emu = start_emulator("--latency-ms", "300")
    oidc, _ = clients(emu)
    t = time.monotonic()
    register(oidc)
    assert time.monotonic() - t >= 0.3


def test_unknown_path_is_a_404(emulator):
    status, headers, body = http("GET", emulator.url + "/nope")
    assert status == 404 and headers["x-amzn-ErrorType"] == "UnknownOperationException"


def test_tls_first_line(start_emulator):
    proc, line = start_emulator("--tls", expect_line=False)
    assert re.fullmatch(r'\{"listening":"https://127\.0\.0\.1:\d+","ca":"[^"]+\.pem"\}\n', line), line


def test_tls_with_aws_ca_bundle(start_emulator, clients, monkeypatch):
    emu = start_emulator("--tls")
    assert emu.url.startswith("https://127.0.0.1:")
    assert emu.ca and os.path.isfile(emu.ca)
    with open(emu.ca) as f:
        assert f.read().startswith("-----BEGIN CERTIFICATE-----")
    oidc, sso = clients(emu)          # AWS_CA_BUNDLE points at the emulator's CA
    assert os.environ["AWS_CA_BUNDLE"] == emu.ca
    reg = register(oidc, ["sso:account:access"])
    auth = oidc.start_device_authorization(clientId=reg["clientId"],
                                           clientSecret=reg["clientSecret"],
                                           startUrl="https://d-1234567890.awsapps.com/start")
    assert auth["verificationUri"].startswith("https://127.0.0.1:")
    # The Python stdlib agrees the certificate is valid for 127.0.0.1 under that CA.
    ctx = ssl.create_default_context(cafile=emu.ca)
    with urllib.request.urlopen(emu.url + "/_emulator/state", context=ctx, timeout=5) as r:
        assert json.load(r)["calls"]["RegisterClient"] == 1
    # Without the CA bundle the certificate is not trusted.
    monkeypatch.delenv("AWS_CA_BUNDLE")
    import botocore.session
    from botocore import UNSIGNED
    from botocore.config import Config
    untrusting = botocore.session.get_session().create_client(
        "sso-oidc", config=Config(signature_version=UNSIGNED, region_name="us-east-1",
                                  retries={"total_max_attempts": 1}))
    with pytest.raises(SSLError):
        register(untrusting)
