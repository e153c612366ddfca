"""How `lanyard login` chooses to sign in (issue 7), end to end against idc-emulator: BROWSER
and a session's browser command are used when set (even over SSH or with no display), WSL opens
the page with `wslview`, an SSH session or a machine with no display falls back to the device
code and says why, and `sso_use_device_code = true` (written by `configure sso-session
--use-device-code`) makes the device code the session's way in with no flag.

The machine's markers are faked through the environment only: DISPLAY, WAYLAND_DISPLAY,
SSH_CONNECTION, SSH_TTY, WSL_DISTRO_NAME. `xdg-open` and `wslview` are recorder scripts put first
on PATH, so a test sees every page the platform opener would have opened."""
import json
import os
import re
import sys

import pytest

from sandbox_support import BROWSER

MARKERS = ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY",
           "WSL_DISTRO_NAME", "BROWSER")
NO_DISPLAY = "No display (DISPLAY and WAYLAND_DISPLAY are unset): signing in with a device code instead."


def recorder(sb, name, mode="follow"):
    """A browser script at tmp/<name> that logs each URL to tmp/<name>.log and (in follow mode)
    follows an authorize URL to the loopback redirect, like the person's browser would."""
    path = sb.tmp / name
    log = sb.tmp / f"{name}.log"
    path.write_text(BROWSER.format(python=sys.executable, log=str(log), mode=mode))
    path.chmod(0o755)
    return path, log


def machine(sb, **markers):
    """Clears every marker of the caller's machine, sets the given ones, and puts recorders for
    `xdg-open` and `wslview` first on PATH. Returns their logs."""
    for k in MARKERS:
        sb.env.pop(k, None)
    sb.env.update(markers)
    bin_dir = sb.tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    logs = {}
    for opener in ("xdg-open", "wslview"):
        _, logs[opener] = recorder(sb, f"bin/{opener}")
    sb.env["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    return logs


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


def calls(sb):
    return sb.emu.state()["calls"]["CreateToken"]


def assert_pkce(sb, out):
    assert calls(sb)["authorization_code"] == 1 and calls(sb).get("device_code", 0) == 0, out.stderr
    assert "device code" not in out.stderr, out.stderr
    assert sb.status()["corp"]["state"] == "valid"


def assert_device(sb, out, reason):
    assert calls(sb)["device_code"] >= 1 and calls(sb)["authorization_code"] == 0, out.stderr
    assert reason in out.stderr, out.stderr
    assert re.search(r"Then enter the code:\n\n[A-Z]{4}-[A-Z]{4}\n", out.stderr), out.stderr
    assert sb.status()["corp"]["state"] == "valid"


def test_on_a_desktop_the_platform_opener_shows_the_sign_in_page(sandbox):
    sb = sandbox("--auto-approve")
    logs = machine(sb, DISPLAY=":0")
    out = sb.lanyard("login", "--sso-session", "corp")
    assert_pkce(sb, out)
    assert [u.split("?")[0] for u in lines(logs["xdg-open"])] == [sb.emu.url + "/authorize"]
    assert lines(logs["wslview"]) == []


@pytest.mark.parametrize("markers", [
    {},  # no display
    {"SSH_CONNECTION": "10.0.0.1 50000 10.0.0.2 22", "DISPLAY": ":0"},
], ids=["no-display", "ssh"])
def test_browser_set_means_a_browser_was_chosen_even_over_ssh_or_with_no_display(sandbox, markers):
    sb = sandbox("--auto-approve")
    logs = machine(sb, **markers)
    sb.browser("follow")
    out = sb.lanyard("login", "--sso-session", "corp")
    assert_pkce(sb, out)
    assert lines(sb.browser_log)[0].startswith(sb.emu.url + "/authorize?response_type=code&")
    assert lines(logs["xdg-open"]) == []


def test_with_no_display_the_device_code_is_used_and_the_message_says_why(sandbox):
    sb = sandbox()  # device codes approve after 2 polls
    logs = machine(sb)
    out = sb.lanyard("login", "--sso-session", "corp")
    assert_device(sb, out, NO_DISPLAY)
    assert lines(logs["xdg-open"]) == [], "no browser is started where none can appear"
    assert "Open the following URL on any device" in out.stderr
    assert sb.token()["refreshToken"], "a device-code sign-in of an sso-session is refreshable too"


@pytest.mark.parametrize("marker", [
    {"SSH_CONNECTION": "10.0.0.1 50000 10.0.0.2 22"},
    {"SSH_TTY": "/dev/pts/3"},
], ids=["SSH_CONNECTION", "SSH_TTY"])
def test_in_an_ssh_session_the_device_code_is_used_and_the_message_says_why(sandbox, marker):
    sb = sandbox()
    # A forwarded X display does not make the loopback redirect reachable from the laptop.
    logs = machine(sb, DISPLAY="localhost:10.0", **marker)
    out = sb.lanyard("login", "--sso-session", "corp")
    var = next(iter(marker))
    assert_device(sb, out, f"In an SSH session ({var} is set): signing in with a device code instead")
    assert "set BROWSER to sign in with a browser anyway" in out.stderr
    assert lines(logs["xdg-open"]) == []


def test_on_wsl_wslview_opens_the_sign_in_page(sandbox):
    sb = sandbox("--auto-approve")
    logs = machine(sb, WSL_DISTRO_NAME="Ubuntu-22.04")  # and no DISPLAY, as on WSL without WSLg
    out = sb.lanyard("login", "--sso-session", "corp")
    assert_pkce(sb, out)
    assert [u.split("?")[0] for u in lines(logs["wslview"])] == [sb.emu.url + "/authorize"]
    assert lines(logs["xdg-open"]) == []


def test_on_wsl_over_ssh_the_device_code_is_used(sandbox):
    sb = sandbox()
    logs = machine(sb, WSL_DISTRO_NAME="Ubuntu", SSH_CONNECTION="10.0.0.1 50000 10.0.0.2 22")
    out = sb.lanyard("login", "--sso-session", "corp")
    assert_device(sb, out, "In an SSH session (SSH_CONNECTION is set)")
    assert lines(logs["wslview"]) == []


def test_the_sessions_browser_command_opens_its_page_and_wins_over_browser(sandbox):
    sb = sandbox("--auto-approve")
    logs = machine(sb, SSH_CONNECTION="10.0.0.1 50000 10.0.0.2 22")  # chosen browser wins
    sb.browser("record")  # BROWSER: must not be used for this session
    work, work_log = recorder(sb, "work-browser")
    settings = sb.home / ".config" / "lanyard" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text(f'[sessions.corp]\nbrowser = "{work} %s --profile work"\n')
    out = sb.lanyard("login", "--sso-session", "corp")
    assert_pkce(sb, out)
    assert [u.split("?")[0] for u in lines(work_log)] == [sb.emu.url + "/authorize"]
    assert lines(sb.browser_log) == [] and lines(logs["xdg-open"]) == []


def test_sso_use_device_code_written_by_configure_makes_login_use_the_device_code(sandbox):
    sb = sandbox("--auto-approve")
    machine(sb, DISPLAY=":0")
    sb.browser("record")
    cfg = sb.home / ".aws" / "config"
    before = cfg.read_text()
    sb.lanyard("configure", "sso-session", "--name", "corp", "--use-device-code")
    after = cfg.read_text()
    assert after == before.replace("sso_registration_scopes = sso:account:access\n",
                                   "sso_registration_scopes = sso:account:access\n"
                                   "sso_use_device_code = true\n")
    out = sb.lanyard("login", "--sso-session", "corp")  # no flag
    assert_device(sb, out, "sso-session corp sets sso_use_device_code = true: "
                           "signing in with a device code.")
    # The chosen browser still shows the verification page, as `aws sso login` does.
    assert [u.split("?")[0] for u in lines(sb.browser_log)] == [sb.emu.url + "/device"]
    # And back: the key goes, every byte is as it was, and the browser redirect is used again.
    sb.lanyard("configure", "sso-session", "--name", "corp", "--no-use-device-code")
    assert cfg.read_text() == before
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    assert calls(sb)["authorization_code"] == 1


def test_config_check_flags_a_device_code_value_that_is_not_true_or_false(sandbox):
    sb = sandbox()
    cfg = sb.home / ".aws" / "config"
    cfg.write_text(cfg.read_text() + "sso_use_device_code = yes\n")
    out = sb.lanyard("config", "check", "--json", check=False)
    codes = {f["code"]: f for f in json.loads(out.stdout)["findings"]}
    assert codes["use_device_code_format"]["severity"] == "warning"
    assert codes["use_device_code_format"]["section"] == "sso-session corp"
