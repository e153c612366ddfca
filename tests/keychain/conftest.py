"""Secure-mode fixtures: a private D-Bus session bus, started here (pytest itself runs with no
session bus), with gnome-keyring's Secret Service unlocked on it and its keyrings under the
test's fresh HOME; every process is stopped by its PID at teardown. The bus activates nothing
(no service folders), so "no Secret Service on the bus" means exactly that."""
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

BUS_CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={tmp}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def _stop(pid):
    try:
        os.kill(pid, 15)
    except ProcessLookupError:
        return
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass


class Bus:
    """A session bus, optionally with the Secret Service; `env` is what a client needs."""

    def __init__(self, address, home):
        self.address, self.home = address, home
        self.env = {"DBUS_SESSION_BUS_ADDRESS": address, "HOME": str(home),
                    "PATH": os.environ.get("PATH", "/usr/bin:/bin")}

    def has_owner(self, name):
        r = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                            "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                            f"string:{name}"], env=self.env, capture_output=True, text=True)
        return "boolean true" in r.stdout

    def accounts(self, service="lanyard"):
        """The account names of every item of `service` (what `secret-tool search` shows)."""
        r = subprocess.run(["secret-tool", "search", "--all", "--unlock", "service", service],
                           env=self.env, capture_output=True, text=True, timeout=20)
        lines = (r.stdout + r.stderr).splitlines()
        return sorted(l.split(" = ", 1)[1] for l in lines if l.startswith("attribute.username = "))

    def lookup(self, account, service="lanyard"):
        r = subprocess.run(["secret-tool", "lookup", "service", service, "username", account],
                           env=self.env, capture_output=True, text=True, timeout=20)
        return r.stdout if r.returncode == 0 else None

    def item(self, account):
        text = self.lookup(account)
        return json.loads(text) if text else None


def start_bus(tmp_path, home, keyring):
    conf = tmp_path / "bus.conf"
    conf.write_text(BUS_CONFIG.format(tmp=tmp_path))
    out = subprocess.run(["dbus-daemon", f"--config-file={conf}", "--fork", "--print-address=1",
                          "--print-pid=1"], capture_output=True, text=True, check=True, timeout=20)
    address, pid = out.stdout.split()[:2]
    pids = [int(pid)]
    bus = Bus(address, home)
    if keyring:
        env = {**bus.env, "XDG_DATA_HOME": str(home / ".local" / "share")}
        gk = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock",
                               "--components=secrets"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        pids.append(gk.pid)
        gk.stdin.write(b"keychain-tests")
        gk.stdin.close()
        for _ in range(100):
            if bus.has_owner("org.freedesktop.secrets"):
                break
            time.sleep(0.05)
        else:
            pytest.fail("gnome-keyring-daemon did not appear on the bus")
    return bus, pids


@pytest.fixture
def keyring_bus(tmp_path, home):
    """A private session bus with an unlocked gnome-keyring (Secret Service) on it."""
    bus, pids = start_bus(tmp_path, home, keyring=True)
    yield bus
    for pid in reversed(pids):
        _stop(pid)


@pytest.fixture
def bare_bus(tmp_path, home):
    """A private session bus with no Secret Service on it."""
    bus, pids = start_bus(tmp_path, home, keyring=False)
    yield bus
    for pid in reversed(pids):
        _stop(pid)


@pytest.fixture
def secure(sandbox, keyring_bus):
    """(Sandbox, Bus): the sign-in sandbox whose lanyard and boto3 see the keyring's bus."""
    sb = sandbox("--auto-approve")
    sb.env["DBUS_SESSION_BUS_ADDRESS"] = keyring_bus.address
    sb.env.pop("DISPLAY", None)
    return sb, keyring_bus
