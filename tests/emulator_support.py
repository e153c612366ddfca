"""Helpers shared by the idc-emulator tests: plain HTTP, a handle on a running emulator, and
short botocore recipes (register, device sign-in, run a snippet in a fresh interpreter)."""
import json
import os
import select
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

REGION = "us-east-1"
START_URL = "https://d-1234567890.awsapps.com/start"
PYTHON = sys.executable


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Never through a proxy: every request goes to 127.0.0.1 directly.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_no_redirect = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


def http(method, url, body=None, headers=None, follow=False, ca=None):
    """One plain HTTP request; returns (status, headers, body bytes) without raising on 4xx/5xx.
    `ca`: the PEM to trust for an https emulator (`--tls`)."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    opener = _direct if follow else _no_redirect
    if ca:
        tls = urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=ca))
        handlers = [urllib.request.ProxyHandler({}), tls] + ([] if follow else [NoRedirect])
        opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


class Emulator:
    def __init__(self, proc, url, ca, log):
        self.proc = proc
        self.url = url
        self.ca = ca
        self.log = log

    def admin(self, method, path, body=None):
        status, _, data = http(method, f"{self.url}/_emulator/{path}",
                               json.dumps(body) if body is not None else None,
                               {"Content-Type": "application/json"}, ca=self.ca)
        assert status == 200, (path, status, data)
        return json.loads(data)

    def state(self):
        return self.admin("GET", "state")

    def advance(self, seconds):
        return self.admin("POST", f"advance?seconds={int(seconds)}")

    def env(self, base_env):
        """base_env plus the endpoint variables that send every AWS client here."""
        env = dict(base_env)
        env.update({
            "AWS_ENDPOINT_URL_SSO_OIDC": self.url,
            "AWS_ENDPOINT_URL_SSO": self.url,
            "AWS_ENDPOINT_URL_STS": self.url,
            "AWS_ENDPOINT_URL_SIGNIN": self.url,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_DEFAULT_REGION": REGION,
        })
        if self.ca:
            env["AWS_CA_BUNDLE"] = self.ca
        return env


def read_first_line(proc, timeout=10.0):
    deadline = time.monotonic() + timeout
    buf = b""
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            break
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if not ready:
            break
        chunk = os.read(proc.stdout.fileno(), 1)
        if not chunk:
            break
        buf += chunk
    return buf.decode()


def register(oidc, scopes=None, **extra):
    kw = {"clientName": "botocore-client-test", "clientType": "public", **extra}
    if scopes:
        kw["scopes"] = scopes
    return oidc.register_client(**kw)


def device_token(emu, oidc, scopes=("sso:account:access",)):
    """A full device sign-in (approved through the admin API); returns (registration, token)."""
    reg = register(oidc, list(scopes) if scopes else None)
    auth = oidc.start_device_authorization(clientId=reg["clientId"],
                                           clientSecret=reg["clientSecret"], startUrl=START_URL)
    emu.admin("POST", f"approve?user_code={auth['userCode']}")
    tok = oidc.create_token(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                            grantType="urn:ietf:params:oauth:grant-type:device_code",
                            deviceCode=auth["deviceCode"])
    return reg, tok


def run_python(code, env, timeout=60):
    """Runs code in a fresh interpreter (so botocore reads HOME from the sandbox at import) and
    returns the JSON it prints last."""
    r = subprocess.run([PYTHON, "-c", code], env=env, capture_output=True, text=True,
                       timeout=timeout)
    assert r.returncode == 0, f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}"
    return json.loads(r.stdout.strip().splitlines()[-1])
