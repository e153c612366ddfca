"""Secure mode (issue 14): a session whose tokens, client registration and role credentials live
in the OS keychain — here gnome-keyring's Secret Service on a private D-Bus session bus — signed
in to idc-emulator, with its profiles resolved by boto3 through `credential_process`."""
import json
import re
import subprocess
import time
from pathlib import Path

from emulator_support import http
from testlib import binary


def access_token(sb):
    return json.loads(sb.lanyard("token", "--sso-session", "corp", "--json").stdout)["accessToken"]


def assignment(sb, token):
    """(account id, role name) of the first account the signed-in user holds."""
    headers = {"x-amz-sso_bearer_token": token}
    _, _, body = http("GET", f"{sb.emu.url}/assignment/accounts?max_result=1", headers=headers,
                      ca=sb.emu.ca)
    account = json.loads(body)["accountList"][0]["accountId"]
    _, _, body = http("GET", f"{sb.emu.url}/assignment/roles?account_id={account}",
                      headers=headers, ca=sb.emu.ca)
    return account, json.loads(body)["roleList"][0]["roleName"]


def cache_files(sb):
    """Every file under ~/.aws/sso/cache and ~/.aws/cli/cache."""
    aws = sb.home / ".aws"
    return sorted(str(p.relative_to(aws)) for d in ("sso/cache", "cli/cache")
                  if (aws / d).is_dir() for p in (aws / d).rglob("*") if p.is_file())


def files_containing(root: Path, values):
    """(file, which value) for every file under root holding one of the values."""
    hits = []
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            data = p.read_bytes()
            hits += [(str(p.relative_to(root)), name) for name, v in values.items()
                     if v and v.encode() in data]
    return hits


def sections(text):
    """{header line: the section's text} (the text before the first header under '')."""
    out, name = {"": ""}, ""
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            name = line.strip()
            out[name] = ""
        out[name] += line
    return out


def boto3_identity(sb, profile="dev"):
    return sb.python(f"""
import json, boto3
s = boto3.Session(profile_name={profile!r})
c = s.get_credentials()
ident = s.client("sts").get_caller_identity()
print(json.dumps({{"method": c.method, "akid": c.get_frozen_credentials().access_key,
                  "account": ident["Account"]}}))
""")


def test_a_secure_session_keeps_every_secret_in_the_keychain_and_boto3_uses_credential_process(secure):
    sb, bus = secure
    sb.lanyard("configure", "sso-session", "--name", "corp", "--storage", "keychain")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    token = bus.item("corp:token")
    assert token and token["accessToken"] == access_token(sb)
    account, role = assignment(sb, token["accessToken"])
    # The editor writes the secure form for a secure session's profile.
    sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", f"sso_role_name={role}")
    dev = sections((sb.home / ".aws" / "config").read_text())["[profile dev]"]
    assert f"credential_process = {binary('lanyard')} credentials --profile dev\n" in dev
    assert "lanyard_sso_session = corp\n" in dev
    assert f"lanyard_account_id = {account}\n" in dev and f"lanyard_role_name = {role}\n" in dev
    assert not re.search(r"^sso_", dev, re.M), dev

    got = boto3_identity(sb)
    assert got["method"] == "custom-process" and got["account"] == account
    creds = json.loads(sb.lanyard("credentials", "--profile", "dev").stdout)
    assert creds["AccessKeyId"] == got["akid"], "served from the keychain's cache"
    assert sb.emu.state()["calls"]["GetRoleCredentials"] == 1

    # Every command works the same in secure mode.
    assert sb.status()["corp"]["state"] == "valid"
    assert f"export AWS_ACCESS_KEY_ID={creds['AccessKeyId']}\n" in sb.lanyard(
        "export", "--profile", "dev", "--format", "env").stdout
    assert json.loads(sb.lanyard("whoami", "--profile", "dev", "--json").stdout)["Account"] == account
    assert sb.lanyard("console", "--profile", "dev", "--print").stdout.startswith("http")

    # Switching the default profile mirrors the secure form; restoring gives the bytes back.
    config = sb.home / ".aws" / "config"
    before_switch = config.read_bytes()
    sb.lanyard("profiles", "use", "dev")
    default = sections(config.read_text())["[default]"]
    assert "lanyard_account_id" in default and not re.search(r"^sso_", default, re.M), default
    got = boto3_identity(sb, "default")
    assert got["method"] == "custom-process" and got["account"] == account
    sb.lanyard("profiles", "use", "--restore")
    assert config.read_bytes() == before_switch

    # The keychain holds one item per thing...
    assert bus.accounts() == sorted(["corp:token", "corp:registration",
                                     f"corp:role:{account}:{role}"])
    registration = bus.item("corp:registration")["registration"]
    # The token item leaves the client secret to the registration item: each stays small.
    assert "clientSecret" not in token and token["clientId"] == registration["clientId"]
    role_item = bus.item(f"corp:role:{account}:{role}")["Credentials"]
    assert role_item["SecretAccessKey"] == creds["SecretAccessKey"]
    # ...and nothing of the session is in the AWS caches, nor any secret anywhere under HOME
    # (logs at trace level, Lanyard's state, the keyring's own encrypted file included).
    assert cache_files(sb) == []
    secrets = {"accessToken": token["accessToken"], "refreshToken": token["refreshToken"],
               "clientSecret": registration["clientSecret"],
               "SecretAccessKey": creds["SecretAccessKey"], "SessionToken": creds["SessionToken"],
               "AccessKeyId": creds["AccessKeyId"]}
    assert all(secrets.values())
    assert list((sb.home / ".local" / "share" / "lanyard" / "logs").iterdir()), "logs were written"
    assert files_containing(sb.home, secrets) == []


def test_switching_modes_both_ways_keeps_the_session_signed_in_and_the_config_bytes(secure):
    sb, bus = secure
    config = sb.home / ".aws" / "config"
    config.write_text("# top comment\n" + config.read_text() +
                      "\n; another person's profile, untouched\n[profile ops]\nregion = eu-west-1\n"
                      "output = json   \n")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    account, role = assignment(sb, sb.token()["accessToken"])
    sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", f"sso_role_name={role}")
    file_creds = json.loads(sb.lanyard("credentials", "--profile", "dev").stdout)
    before = config.read_text()
    token = sb.token()
    cached = cache_files(sb)
    assert len(cached) == 3, cached  # token, registration, role credentials
    calls = sb.emu.state()["calls"]

    sb.lanyard("configure", "sso-session", "--name", "corp", "--storage", "keychain")
    after = config.read_text()
    b, a = sections(before), sections(after)
    assert set(a) == set(b)
    for name in b:
        if name == "[profile dev]":
            continue
        got = a[name]
        if name == "[sso-session corp]":
            assert "sso_registration_scopes = sso:account:access\nlanyard_storage = keychain\n" in got
            got = got.replace("lanyard_storage = keychain\n", "", 1)
        assert got == b[name], name
    assert "credential_process = " in a["[profile dev]"]
    assert cache_files(sb) == []
    assert bus.item("corp:token") == {k: v for k, v in token.items() if k != "clientSecret"}
    assert bus.item("corp:registration")["registration"]["clientSecret"] == token["clientSecret"]
    assert sb.status()["corp"]["state"] == "valid"
    # The moved role credentials are served as they were: no new sign-in, no new fetch.
    assert json.loads(sb.lanyard("credentials", "--profile", "dev").stdout) == file_creds
    assert boto3_identity(sb)["method"] == "custom-process"
    assert sb.emu.state()["calls"]["CreateToken"] == calls["CreateToken"]
    assert sb.emu.state()["calls"]["GetRoleCredentials"] == calls["GetRoleCredentials"]

    sb.lanyard("configure", "sso-session", "--name", "corp", "--storage", "file")
    assert config.read_text() == before, "back to the original bytes"
    assert bus.accounts() == []
    assert cache_files(sb) == cached
    assert sb.token() == token
    assert json.loads(sb.lanyard("credentials", "--profile", "dev").stdout) == file_creds
    assert boto3_identity(sb)["method"] == "sso"
    assert sb.emu.state()["calls"]["CreateToken"] == calls["CreateToken"]


def test_with_no_secret_service_secure_mode_refuses_and_file_mode_is_untouched(sandbox, bare_bus):
    sb = sandbox("--auto-approve")
    sb.env["DBUS_SESSION_BUS_ADDRESS"] = bare_bus.address
    sb.env.pop("DISPLAY", None)
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    config = sb.home / ".aws" / "config"
    before, token_before, files_before = config.read_bytes(), sb.token_path().read_bytes(), cache_files(sb)

    for env in ({}, {"DBUS_SESSION_BUS_ADDRESS": ""}):  # a bus without it; no bus at all
        r = sb.lanyard("configure", "sso-session", "--name", "corp", "--storage", "keychain",
                       check=False, env=env)
        assert r.returncode == 1
        assert "no keychain is available for session corp" in r.stderr, r.stderr
        assert "Secret Service (gnome-keyring or KWallet)" in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert config.read_bytes() == before
        assert sb.token_path().read_bytes() == token_before and cache_files(sb) == files_before
    assert sb.status()["corp"]["state"] == "valid"

    # A config that already says keychain: sign-in refuses before any browser opens.
    config.write_text(before.decode().replace("sso_registration_scopes = sso:account:access\n",
                                              "sso_registration_scopes = sso:account:access\n"
                                              "lanyard_storage = keychain\n"))
    sb.browser_log.unlink(missing_ok=True)
    r = sb.lanyard("login", "--sso-session", "corp", check=False)
    assert r.returncode == 1 and "no keychain is available for session corp" in r.stderr
    assert not sb.browser_log.exists()
    assert sb.token_path().read_bytes() == token_before


def test_logout_removes_the_sessions_keychain_items_and_forget_removes_the_rest(secure):
    sb, bus = secure
    sb.lanyard("configure", "sso-session", "--name", "corp", "--storage", "keychain")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    account, role = assignment(sb, access_token(sb))
    sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", f"sso_role_name={role}")
    sb.lanyard("credentials", "--profile", "dev")
    assert len(bus.accounts()) == 3
    sb.lanyard("logout", "--sso-session", "corp")
    assert bus.accounts() == ["corp:registration"], "a sign-out keeps the registration, as the CLI's"
    r = sb.lanyard("credentials", "--profile", "dev", check=False)
    assert r.returncode == 1 and "not signed in" in r.stderr
    sb.lanyard("logout", "--sso-session", "corp", "--forget")
    assert bus.accounts() == []
    assert cache_files(sb) == []


def test_a_secure_token_refreshes_with_the_client_secret_of_its_registration(sandbox, keyring_bus):
    sb = sandbox("--auto-approve", "--token-ttl", "2")
    sb.env["DBUS_SESSION_BUS_ADDRESS"] = keyring_bus.address
    sb.env.pop("DISPLAY", None)
    sb.lanyard("configure", "sso-session", "--name", "corp", "--storage", "keychain")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    first = keyring_bus.item("corp:token")
    time.sleep(3)  # the 2-second access token has expired
    assert access_token(sb) != first["accessToken"]
    assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == 1
    second = keyring_bus.item("corp:token")
    assert second["accessToken"] != first["accessToken"] and "clientSecret" not in second
    assert cache_files(sb) == []
    assert sb.status()["corp"]["state"] in ("valid", "expiring")
