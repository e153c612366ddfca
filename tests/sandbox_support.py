"""The sign-in sandbox shared by the sign-in, credential and desktop tests: a sandbox HOME whose
config has an sso-session `corp` (with a profile `dev`) and a legacy profile, an idc-emulator on
127.0.0.1, a `lanyard` runner pointed at it through the endpoint variables, and a BROWSER script
that plays the person's browser. The `sandbox` fixture (tests/conftest.py) builds one."""
import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from emulator_support import REGION, START_URL, http
from testlib import binary

LEGACY_URL = "https://d-9999999999.awsapps.com/start"

CONFIG = f"""\
# Written by hand, with a comment that must survive.
[profile dev]
sso_session = corp
region = {REGION}

[profile legacy]
sso_start_url = {LEGACY_URL}
sso_region = {REGION}

[sso-session corp]
sso_start_url = {START_URL}
sso_region = {REGION}
sso_registration_scopes = sso:account:access
"""

# The person's browser, as a BROWSER command: records every URL it is given, then (by MODE)
# follows it like a browser would — for an authorize URL that means fetching the page and the
# redirect to the loopback callback, recording the redirect (it carries the authorization code).
BROWSER = textwrap.dedent("""\
    #!{python}
    import re, sys, threading, urllib.parse, urllib.request
    url = sys.argv[1]
    log = {log!r}
    mode = {mode!r}
    open(log, "a").write(url + "\\n")
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({{}}), NoRedirect)
    def fetch(u, data=None):
        try:
            with opener.open(urllib.request.Request(u, data=data), timeout=10) as r:
                return r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode()
    def run():
        if mode == "record" or "/authorize" not in url:
            return
        status, headers, body = fetch(url)
        if mode == "deny":
            req = re.search(r'name="request" value="([^"]+)"', body).group(1)
            status, headers, body = fetch(url.split("?")[0],
                urllib.parse.urlencode({{"request": req, "decision": "deny"}}).encode())
        location = headers.get("Location")
        if location:
            open(log + ".redirects", "a").write(location + "\\n")
            fetch(location)
    run()
""")


class Sandbox:
    def __init__(self, emu, env, home, tmp):
        self.emu, self.env, self.home, self.tmp = emu, env, home, tmp
        self.browser_log = tmp / "browser.log"

    def browser(self, mode="follow"):
        script = self.tmp / f"browser-{mode}.py"
        script.write_text(BROWSER.format(python=sys.executable, log=str(self.browser_log),
                                         mode=mode))
        script.chmod(0o755)
        self.env["BROWSER"] = str(script)

    def lanyard(self, *args, check=True, env=None, timeout=60):
        proc = subprocess.run([str(binary("lanyard")), *args], env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            pytest.fail(f"lanyard {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
        return proc

    @property
    def cache(self):
        return self.home / ".aws" / "sso" / "cache"

    def token_path(self, key="corp"):
        return self.cache / (hashlib.sha1(key.encode()).hexdigest() + ".json")

    def token(self, key="corp"):
        return json.loads(self.token_path(key).read_text())

    def expire_soon(self, seconds_left, key="corp"):
        """Rewrites the cached token's expiresAt to `seconds_left` from now: what the file looks
        like once that much of the token's life has passed (Lanyard's clock cannot be moved
        from outside its process; the Rust tests move an injected clock instead)."""
        data = self.token(key)
        data["expiresAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                          time.gmtime(time.time() + seconds_left))
        self.token_path(key).write_text(json.dumps(data))

    def status(self):
        return {s["name"]: s for s in json.loads(self.lanyard("status", "--json").stdout)["sessions"]}

    def first_assignment(self):
        """(account id, role name) of the first account the signed-in user holds."""
        headers = {"x-amz-sso_bearer_token": self.token()["accessToken"]}
        _, _, body = http("GET", f"{self.emu.url}/assignment/accounts?max_result=1",
                          headers=headers, ca=self.emu.ca)
        account = json.loads(body)["accountList"][0]["accountId"]
        _, _, body = http("GET", f"{self.emu.url}/assignment/roles?account_id={account}",
                          headers=headers, ca=self.emu.ca)
        return account, json.loads(body)["roleList"][0]["roleName"]

    def python(self, code, timeout=60):
        """Runs code in a fresh interpreter with the sandbox environment; returns its last
        stdout line as JSON."""
        r = subprocess.run([sys.executable, "-c", code], env=self.env, capture_output=True,
                           text=True, timeout=timeout)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout.strip().splitlines()[-1])


def signed_in(sb):
    """Signs `dev` in (the browser follows the redirect) and points it at an account and role
    the emulator's user holds; returns (account, role)."""
    sb.browser("follow")
    sb.lanyard("login", "--profile", "dev")
    account, role = sb.first_assignment()
    sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", f"sso_role_name={role}")
    return account, role
