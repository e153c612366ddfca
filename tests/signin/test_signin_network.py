"""How Lanyard reaches Identity Center, as botocore does (issue 7): endpoints from `[services]`
blocks and `endpoint_url` in the config, a private CA from AWS_CA_BUNDLE or `ca_bundle`, and
HTTPS proxies with NO_PROXY — each checked against idc-emulator on 127.0.0.1, with botocore
given the same config reaching the same emulator."""
import select
import socket
import socketserver
import threading
import urllib.parse

import pytest

from emulator_support import REGION

RESOLVE_AND_CALL_STS = """
import json, boto3
s = boto3.Session(profile_name="dev")
print(json.dumps(s.client("sts").get_caller_identity()))
"""


def drop_endpoint_variables(sb):
    for k in [k for k in sb.env if k.startswith("AWS_ENDPOINT_URL")]:
        del sb.env[k]


def write_config(sb, profile_extra="", rest=""):
    (sb.home / ".aws" / "config").write_text(f"""\
[profile dev]
sso_session = corp
region = {REGION}
{profile_extra}
[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = {REGION}
sso_registration_scopes = sso:account:access
{rest}""")


def assign(sb):
    account, role = sb.first_assignment()
    sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", f"sso_role_name={role}")
    return account


def test_a_services_block_sends_lanyard_and_botocore_to_the_same_emulator(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    drop_endpoint_variables(sb)
    write_config(sb, "services = emu\n", f"""
[services emu]
sso_oidc =
    endpoint_url = {sb.emu.url}
sso =
    endpoint_url = {sb.emu.url}
sts =
    endpoint_url = {sb.emu.url}
""")
    sb.lanyard("login", "--profile", "dev")
    assert sb.emu.state()["calls"]["CreateToken"]["authorization_code"] == 1
    account = assign(sb)
    # Lanyard's portal call goes where the block says.
    out = sb.lanyard("credentials", "--profile", "dev")
    assert '"AccessKeyId"' in out.stdout
    fetched = sb.emu.state()["calls"]["GetRoleCredentials"]
    assert fetched >= 1
    # botocore, same config, no variables: its SSO provider and STS reach the same emulator.
    (sb.home / ".aws" / "cli" / "cache").mkdir(parents=True, exist_ok=True)
    for f in (sb.home / ".aws" / "cli" / "cache").iterdir():
        f.unlink()
    ident = sb.python(RESOLVE_AND_CALL_STS)
    assert ident["Account"] == account
    assert sb.emu.state()["calls"]["GetRoleCredentials"] == fetched + 1


def test_a_session_signed_in_by_name_uses_the_profile_in_force_for_its_endpoint(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    drop_endpoint_variables(sb)
    write_config(sb, f"endpoint_url = {sb.emu.url}\n")
    # As `aws sso login --sso-session corp` with AWS_PROFILE=dev: dev's endpoint_url applies.
    sb.lanyard("login", "--sso-session", "corp", env={"AWS_PROFILE": "dev"})
    assert sb.emu.state()["calls"]["CreateToken"]["authorization_code"] == 1
    assert sb.token()["startUrl"] == "https://d-1234567890.awsapps.com/start"


def test_a_missing_services_section_is_botocores_error_and_nothing_is_sent(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    drop_endpoint_variables(sb)
    write_config(sb, "services = nowhere\n")
    r = sb.lanyard("login", "--profile", "dev", check=False)
    assert r.returncode != 0
    assert ('The profile is configured to use the services section but the "nowhere" services '
            'configuration does not exist.') in r.stderr
    assert not sb.browser_log.exists()


def test_a_private_ca_is_refused_until_aws_ca_bundle_or_ca_bundle_names_it(sandbox):
    sb = sandbox("--tls", "--auto-approve")
    sb.browser("record")
    ca = sb.env.pop("AWS_CA_BUNDLE")
    assert sb.emu.url.startswith("https://127.0.0.1:")
    r = sb.lanyard("login", "--sso-session", "corp", "--use-device-code", check=False)
    assert r.returncode != 0
    assert "invalid peer certificate" in r.stderr and sb.emu.url in r.stderr, r.stderr
    assert "AWS_CA_BUNDLE" in r.stderr and "ca_bundle" in r.stderr, "says what to do"
    assert not sb.token_path("corp").exists()
    # The variable.
    sb.lanyard("login", "--sso-session", "corp", "--use-device-code",
               env={"AWS_CA_BUNDLE": ca})
    assert sb.token_path("corp").exists()
    sb.lanyard("logout", "--sso-session", "corp", env={"AWS_CA_BUNDLE": ca})
    assert not sb.token_path("corp").exists()
    # The profile's key (here the profile in force names it).
    write_config(sb, f"ca_bundle = {ca}\n")
    sb.lanyard("login", "--profile", "dev", "--use-device-code")
    assert sb.token_path("corp").exists()
    # botocore with the same config trusts the same CA.
    account = assign(sb)
    ident = sb.python(RESOLVE_AND_CALL_STS)
    assert ident["Account"] == account


class ConnectProxy(socketserver.ThreadingTCPServer):
    """An HTTPS proxy on 127.0.0.1: answers CONNECT and relays bytes; records each target."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.targets = []
        super().__init__(("127.0.0.1", 0), ConnectHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class ConnectHandler(socketserver.BaseRequestHandler):
    def handle(self):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        method, target = head.split(b" ")[:2]
        if method != b"CONNECT":
            self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            return
        self.server.targets.append(target.decode())
        host, port = target.decode().rsplit(":", 1)
        assert host == "127.0.0.1"
        upstream = socket.create_connection((host, int(port)))
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        socks = [self.request, upstream]
        while True:
            ready, _, _ = select.select(socks, [], [], 10)
            if not ready:
                break
            for s in ready:
                data = s.recv(65536)
                if not data:
                    upstream.close()
                    return
                (upstream if s is self.request else self.request).sendall(data)


@pytest.fixture
def proxy():
    p = ConnectProxy()
    yield p
    p.shutdown()
    p.server_close()


def test_https_proxy_carries_every_call_unless_no_proxy_names_the_host(sandbox, proxy):
    sb = sandbox("--tls", "--auto-approve")
    sb.browser("record")
    port = sb.emu.url.rsplit(":", 1)[1]
    sb.env.pop("NO_PROXY", None)
    sb.env["https_proxy"] = proxy.url
    sb.lanyard("login", "--sso-session", "corp", "--use-device-code")
    assert proxy.targets and set(proxy.targets) == {f"127.0.0.1:{port}"}
    seen = len(proxy.targets)
    # NO_PROXY naming the host: straight there.
    sb.lanyard("logout", "--sso-session", "corp", env={"NO_PROXY": "127.0.0.1"})
    sb.lanyard("login", "--sso-session", "corp", "--use-device-code",
               env={"NO_PROXY": "127.0.0.1"})
    assert len(proxy.targets) == seen
    assert sb.token_path("corp").exists()


def vanity_config(sb, to, extra=""):
    quoted = urllib.parse.quote(to, safe="")
    url = f"{sb.emu.url}/_emulator/vanity?to={quoted}{extra}"
    (sb.home / ".aws" / "config").write_text(f"""\
[sso-session corp]
sso_start_url = {url}
sso_region = {REGION}
""")
    return url


def test_a_vanity_start_url_is_resolved_once_and_only_the_issuer_carries_it(sandbox):
    sb = sandbox("--tls", "--auto-approve")
    # The person's browser trusts the emulator's CA too (Python's ssl reads SSL_CERT_FILE).
    sb.env["SSL_CERT_FILE"] = sb.env["AWS_CA_BUNDLE"]
    sb.browser("follow")
    configured = vanity_config(sb, "https://ssoins-7.portal.us-east-1.app.aws:443/?from=vanity#x")
    sb.lanyard("login", "--sso-session", "corp")
    state = sb.emu.state()
    assert state["issuer_urls"] == ["https://ssoins-7.portal.us-east-1.app.aws"]
    # Everything else keeps the configured URL: the token file, the cache key (session name).
    assert sb.token()["startUrl"] == configured
    # Device code: the resolved URL is StartDeviceAuthorization's startUrl; HEAD refused -> GET.
    sb.lanyard("logout")
    sb.browser("record")
    vanity_config(sb, "https://d-1234567890.awsapps.com/start", "&head=405")
    sb.lanyard("login", "--sso-session", "corp", "--use-device-code")
    assert sb.emu.state()["device_start_urls"] == ["https://d-1234567890.awsapps.com/start"]


@pytest.mark.parametrize("to,why", [
    ("https://sso.example.com/start", "sso.example.com"),
    ("http://d-1234567890.awsapps.com/start", "http://d-1234567890.awsapps.com/start"),
])
def test_a_vanity_url_leading_anywhere_but_identity_center_is_refused(sandbox, to, why):
    sb = sandbox("--tls", "--auto-approve")
    sb.browser("record")
    vanity_config(sb, to)
    r = sb.lanyard("login", "--sso-session", "corp", "--use-device-code", check=False)
    assert r.returncode != 0
    assert "does not lead to an IAM Identity Center URL" in r.stderr and why in r.stderr, r.stderr
    state = sb.emu.state()
    assert state["calls"]["RegisterClient"] == 0 and not sb.token_path("corp").exists()


def test_an_http_start_url_is_refused_before_any_request(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("record")
    (sb.home / ".aws" / "config").write_text(
        f"[sso-session corp]\nsso_start_url = http://d-1234567890.awsapps.com/start\n"
        f"sso_region = {REGION}\n")
    r = sb.lanyard("login", "--sso-session", "corp", check=False)
    assert r.returncode != 0
    assert "sso_start_url must be an https URL" in r.stderr
    assert sb.emu.state()["calls"]["RegisterClient"] == 0
