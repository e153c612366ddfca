"""`lanyard doctor` (issue 7): on a healthy sandbox it says all is well; on broken ones — a bad
config line, an expired client registration, an unreachable endpoint, a skewed clock (the
emulator's `Date`), no display — it names the problem and what to do."""
import json
import re
import socket

from emulator_support import REGION


def doctor(sb, *args, env=None):
    r = sb.lanyard("doctor", "--json", *args, check=False, env=env)
    report = json.loads(r.stdout)
    assert (r.returncode == 0) == report["ok"], r.stderr
    return report


def find(report, check, subject=None):
    found = [c for c in report["checks"] if c["check"] == check
             and (subject is None or c["subject"] == subject)]
    assert found, (check, subject, report)
    return found


def test_a_healthy_sandbox_is_all_well_with_every_endpoint_and_its_origin(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    report = doctor(sb)
    assert report["ok"] and report["verdict"].startswith("All is well"), report
    assert find(report, "config")[0]["status"] == "ok"
    assert find(report, "session", "corp")[0]["status"] == "ok"
    assert find(report, "registration", "corp")[0]["status"] == "ok"
    oidc = find(report, "endpoint", "sso_oidc")[0]
    assert oidc["detail"].startswith(sb.emu.url) and "AWS_ENDPOINT_URL_SSO_OIDC" in oidc["detail"]
    assert find(report, "reach", REGION)[0]["status"] == "ok"
    assert find(report, "clock", REGION)[0]["status"] == "ok"
    assert find(report, "loopback")[0]["status"] == "ok"
    # The legacy profile's session is listed too (signed out: information, not a problem).
    assert find(report, "session", "legacy")[0]["status"] == "info"
    # Text form: one line per check and the verdict last.
    text = sb.lanyard("doctor").stdout
    assert text.rstrip().splitlines()[-1].startswith("All is well")
    # Nothing secret in either form.
    token = sb.token()
    for secret in (token["accessToken"], token["refreshToken"], token["clientSecret"]):
        assert secret not in text and secret not in json.dumps(report)


def test_a_bad_config_line_is_named_with_its_line(sandbox):
    sb = sandbox()
    cfg = sb.home / ".aws" / "config"
    cfg.write_text(cfg.read_text() + "[profile broken\nregion = x\n")
    r = sb.lanyard("doctor", check=False)
    assert r.returncode == 1
    assert "FAIL  config" in r.stdout and "line" in r.stdout, r.stdout
    assert "problem" in r.stdout.rstrip().splitlines()[-1]


def test_an_expired_registration_is_a_problem_saying_to_sign_in_again(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    regs = [p for p in sb.cache.iterdir()
            if "clientSecret" in (d := json.loads(p.read_text())) and "accessToken" not in d]
    assert len(regs) == 1
    data = json.loads(regs[0].read_text())
    data["expiresAt"] = "2020-01-01T00:00:00Z"
    regs[0].write_text(json.dumps(data))
    report = doctor(sb)
    reg = find(report, "registration", "corp")[0]
    assert reg["status"] == "fail" and "expired" in reg["detail"], reg
    assert reg["fix"].startswith("lanyard login --sso-session corp")
    assert "registration corp" in report["verdict"]


def test_an_unreachable_endpoint_is_named(sandbox):
    sb = sandbox()
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    report = doctor(sb, env={"AWS_ENDPOINT_URL_SSO_OIDC": dead})
    reach = find(report, "reach", REGION)[0]
    assert reach["status"] == "fail" and dead in reach["detail"], reach
    assert "proxy" in reach["fix"]
    assert not report["ok"]


def test_a_skewed_clock_is_measured_against_the_services_date(sandbox):
    sb = sandbox()
    sb.emu.advance(3600)  # the emulator's clock (and its Date header) an hour ahead
    report = doctor(sb)
    clock = find(report, "clock", REGION)[0]
    assert clock["status"] == "fail", clock
    assert "60 min behind" in clock["detail"] or "59 min behind" in clock["detail"], clock
    assert "NTP" in clock["fix"]


def test_no_display_or_ssh_warns_and_points_to_the_device_code(sandbox):
    sb = sandbox()
    sb.browser("record")
    env = {k: v for k, v in sb.env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")}
    env["SSH_CONNECTION"] = "10.0.0.1 5000 10.0.0.2 22"
    r = sb.lanyard("doctor", "--json", check=False)  # with the sandbox's BROWSER: fine
    assert find(json.loads(r.stdout), "browser")[0]["status"] == "ok"
    sb.env = env
    report = doctor(sb)
    browser = find(report, "browser")[0]
    assert browser["status"] == "warn", browser
    assert "device code" in browser["fix"]


def test_a_malformed_settings_file_is_a_visible_warning_and_is_left_alone(sandbox):
    sb = sandbox()
    settings = sb.home / ".config" / "lanyard" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("notifications = true\nwarn_before = [\n")
    report = doctor(sb)
    check = find(report, "settings")[0]
    assert check["status"] == "warn" and re.search(r"settings\.toml line \d+: ", check["detail"]), check
    assert settings.read_text() == "notifications = true\nwarn_before = [\n"
