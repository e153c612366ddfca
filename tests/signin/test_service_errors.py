"""The truth whatever the service says (issue 20), with the real `lanyard` binary against
idc-emulator: a throttled or failing portal is ridden out with the AWS CLI's retries, and an
unreachable endpoint, an untrusted certificate or an STS answer that is not STS's is reported
with a code that says which (`lanyard whoami --json` → {"error": {"code", "message"}})."""
import http.server
import json
import socket
import threading

import pytest

from sandbox_support import signed_in


def drop_role_credentials(sb):
    """Forgets the cached role credentials (~/.aws/cli/cache), so the next call fetches."""
    cache = sb.home / ".aws" / "cli" / "cache"
    for f in cache.glob("*.json") if cache.exists() else []:
        if json.loads(f.read_text()).get("ProviderType") == "sso":
            f.unlink()


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def whoami_error(sb, env=None):
    r = sb.lanyard("whoami", "--profile", "dev", "--json", check=False, env=env)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    error = json.loads(r.stdout)["error"]
    assert error["message"] in r.stderr
    return error


def test_every_second_portal_call_throttled_loses_no_credentials_issue_20(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    sb.emu.admin("POST", "faults?throttle_every=2")
    before = sb.emu.state()["responses"].get("429", 0)
    for _ in range(8):
        drop_role_credentials(sb)
        out = sb.lanyard("credentials", "--profile", "dev")
        assert json.loads(out.stdout)["AccessKeyId"].startswith("ASIA")
    # Every call after the first met a 429 and retried past it.
    assert sb.emu.state()["responses"]["429"] - before == 7


def test_a_portal_failing_thirty_percent_of_the_time_loses_no_credentials_issue_20(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    sb.emu.admin("POST", "faults?fail_rate=0.3")
    before = sb.emu.state()["responses"].get("500", 0)
    for _ in range(10):
        drop_role_credentials(sb)
        out = sb.lanyard("credentials", "--profile", "dev")
        assert json.loads(out.stdout)["AccessKeyId"].startswith("ASIA")
    assert sb.emu.state()["responses"]["500"] > before, "some calls did fail and were retried"


def test_an_unreachable_portal_is_unreachable_naming_the_host_issue_20(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    drop_role_credentials(sb)
    port = closed_port()
    error = whoami_error(sb, env={"AWS_ENDPOINT_URL_SSO": f"http://127.0.0.1:{port}"})
    assert error["code"] == "unreachable", error
    assert f"127.0.0.1:{port} refused the connection" in error["message"], error


def test_an_unreachable_sign_in_service_is_unreachable_naming_the_host_issue_20(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    drop_role_credentials(sb)
    sb.expire_soon(-60)
    port = closed_port()
    error = whoami_error(sb, env={"AWS_ENDPOINT_URL_SSO_OIDC": f"http://127.0.0.1:{port}"})
    assert error["code"] == "unreachable", error
    assert f"127.0.0.1:{port}" in error["message"], error


def test_a_ca_bundle_that_did_not_sign_the_certificate_is_tls_naming_the_bundle_issue_20(
        sandbox, start_emulator):
    sb = sandbox("--tls")
    sb.browser("record")
    # The device flow: the recording browser cannot follow an https redirect itself.
    sb.lanyard("login", "--profile", "dev", "--use-device-code")
    account, role = sb.first_assignment()
    sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", f"sso_role_name={role}")
    drop_role_credentials(sb)
    other = start_emulator("--tls")
    assert other.ca != sb.emu.ca
    error = whoami_error(sb, env={"AWS_CA_BUNDLE": other.ca})
    assert error["code"] == "tls", error
    assert f"the CA bundle {other.ca} (AWS_CA_BUNDLE)" in error["message"], error
    assert "not trusted" in error["message"], error


class NotSts(http.server.BaseHTTPRequestHandler):
    """Plays a gateway in front of STS that answers an HTML error page."""
    posts = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).posts += 1
        body = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>\r\n"
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def not_sts():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotSts)
    NotSts.posts = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_sts_answer_that_is_not_sts_quotes_its_status_issue_20(sandbox, not_sts):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    error = whoami_error(sb, env={"AWS_ENDPOINT_URL_STS": not_sts})
    assert error["code"] == "service_unexpected", error
    assert "HTTP 502" in error["message"] and "502 Bad Gateway" in error["message"], error
    assert "Unknown" not in error["message"], error
    assert NotSts.posts == 5, "a 502 is tried 5 times, as the AWS CLI does"
