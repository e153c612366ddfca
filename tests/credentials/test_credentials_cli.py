"""`lanyard credentials` and `lanyard export` against idc-emulator, read by boto3 (issue 9)."""
import concurrent.futures
import hashlib
import json
import re
import stat
import time

from sandbox_support import signed_in

PROCESS_LINES = [r'\{', r'  "Version": 1,', r'  "AccessKeyId": "[A-Z0-9]+",',
                 r'  "SecretAccessKey": "[^"]+",', r'  "SessionToken": "[^"]+",',
                 r'  "Expiration": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"', r'\}']
EXPORT_FORMATS = {
    "env": 'export {k}={v}',
    "env-no-export": '{k}={v}',
    "fish": 'set -gx {k} "{v}"',
    "powershell": '$Env:{k}="{v}"',
    "windows-cmd": 'set {k}={v}',
    "dotenv": '{k}="{v}"',
}


def cli_cache_path(sb, account, role, session="corp"):
    key = json.dumps({"accountId": account, "roleName": role, "sessionName": session},
                     sort_keys=True, separators=(",", ":"))
    return sb.home / ".aws" / "cli" / "cache" / (hashlib.sha1(key.encode()).hexdigest() + ".json")


def role_credential_calls(sb):
    return sb.emu.state()["calls"]["GetRoleCredentials"]


def test_credential_process_profile_resolves_in_boto3_through_lanyard(sandbox):
    sb = sandbox("--auto-approve")
    account, role = signed_in(sb)
    from testlib import binary
    config = sb.home / ".aws" / "config"
    config.write_text(config.read_text() +
                      f"\n[profile proc]\ncredential_process = {binary('lanyard')} credentials --profile dev\n")
    got = sb.python("""
import json, boto3
s = boto3.Session(profile_name="proc")
c = s.get_credentials()
ident = s.client("sts").get_caller_identity()
print(json.dumps({"method": c.method, "akid": c.get_frozen_credentials().access_key,
                  "account": ident["Account"]}))
""")
    assert got["method"] == "custom-process"
    assert got["account"] == account
    # Lanyard was the one called: it fetched once and cached exactly what boto3 got.
    assert role_credential_calls(sb) == 1
    cached = json.loads(cli_cache_path(sb, account, role).read_text())
    assert cached["Credentials"]["AccessKeyId"] == got["akid"]


def test_credentials_use_and_fill_the_aws_clis_own_cache(sandbox):
    sb = sandbox("--auto-approve")
    account, role = signed_in(sb)
    out = sb.lanyard("credentials", "--profile", "dev").stdout
    assert [bool(re.fullmatch(p, l)) for p, l in zip(PROCESS_LINES, out.splitlines())] == [True] * 7
    assert out.endswith("}\n")
    path = cli_cache_path(sb, account, role)
    text = path.read_text()
    entry = json.loads(text)
    assert text == json.dumps(entry), "one line of json.dumps text, as the CLI writes it"
    assert list(entry) == ["ProviderType", "Credentials"] and entry["ProviderType"] == "sso"
    assert list(entry["Credentials"]) == ["AccessKeyId", "SecretAccessKey", "SessionToken",
                                          "Expiration", "AccountId"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["Credentials"]["Expiration"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # A second call is served from the cache, and so is an entry the AWS CLI wrote.
    assert sb.lanyard("credentials", "--profile", "dev").stdout == out
    assert role_credential_calls(sb) == 1
    entry["Credentials"]["AccessKeyId"] = "ASIAWRITTENBYAWSCLI"
    path.write_text(json.dumps(entry))
    assert '"AccessKeyId": "ASIAWRITTENBYAWSCLI"' in sb.lanyard("credentials", "--profile", "dev").stdout
    assert role_credential_calls(sb) == 1


def test_export_prints_every_format_as_the_aws_cli_does(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    process = json.loads(sb.lanyard("export", "--profile", "dev").stdout)
    assert process == json.loads(sb.lanyard("credentials", "--profile", "dev").stdout)
    values = {"AWS_ACCESS_KEY_ID": process["AccessKeyId"],
              "AWS_SECRET_ACCESS_KEY": process["SecretAccessKey"],
              "AWS_SESSION_TOKEN": process["SessionToken"],
              "AWS_CREDENTIAL_EXPIRATION": process["Expiration"]}
    for fmt, line in EXPORT_FORMATS.items():
        out = sb.lanyard("export", "--profile", "dev", "--format", fmt).stdout
        assert out == "".join(line.format(k=k, v=v) + "\n" for k, v in values.items()), fmt


def test_twenty_parallel_credential_calls_on_an_expiring_session_refresh_once(sandbox):
    sb = sandbox("--auto-approve")
    account, role = signed_in(sb)
    sb.expire_soon(300)
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        runs = list(pool.map(lambda _: sb.lanyard("credentials", "--profile", "dev", check=False),
                             range(20)))
    assert [r.returncode for r in runs] == [0] * 20, [r.stderr for r in runs if r.returncode]
    assert all(json.loads(r.stdout)["Version"] == 1 for r in runs)
    assert sb.emu.state()["calls"]["CreateToken"]["refresh_token"] == 1
    entry = json.loads(cli_cache_path(sb, account, role).read_text())
    assert entry["ProviderType"] == "sso"
    assert json.loads(sb.token_path().read_text())["refreshToken"]


def test_login_flag_signs_in_once_for_ten_callers(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    sb.lanyard("logout", "--sso-session", "corp")
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        runs = list(pool.map(lambda _: sb.lanyard("credentials", "--profile", "dev", "--login",
                                                   check=False), range(10)))
    assert [r.returncode for r in runs] == [0] * 10, [r.stderr for r in runs if r.returncode]
    assert sb.emu.state()["calls"]["CreateToken"]["authorization_code"] == 2  # first login + one


def test_problems_are_one_line_errors_with_a_non_zero_exit(sandbox):
    sb = sandbox("--auto-approve")
    config = sb.home / ".aws" / "config"
    config.write_text(config.read_text() + "\n[profile static]\naws_access_key_id = AKIAX\n")
    cases = {
        ("credentials", "--profile", "nobody"): "The config profile (nobody) could not be found",
        ("credentials", "--profile", "static"): "is not configured to use SSO",
        ("credentials", "--profile", "dev"): "missing required configuration: sso_account_id, sso_role_name",
    }
    for args, message in cases.items():
        out = sb.lanyard(*args, check=False)
        assert out.returncode == 1 and message in out.stderr, (args, out.stderr)
        assert out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
    # A signed-out session without --login never opens a browser: it names what to run.
    sb.lanyard("profiles", "set", "dev", "sso_account_id=111111111111", "sso_role_name=X")
    sb.browser("record")
    out = sb.lanyard("credentials", "--profile", "dev", check=False)
    assert out.returncode == 1 and out.stdout == ""
    assert "lanyard login --sso-session corp" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not sb.browser_log.exists()


def test_whoami_answers_with_the_roles_account_and_arn(sandbox):
    sb = sandbox("--auto-approve")
    account, role = signed_in(sb)
    ident = json.loads(sb.lanyard("whoami", "--profile", "dev", "--json").stdout)
    assert ident["Account"] == account
    assert re.fullmatch(rf"arn:aws:sts::{account}:assumed-role/AWSReservedSSO_{role}_[0-9a-f]+/.+",
                        ident["Arn"]), ident["Arn"]
    assert sb.emu.state()["calls"]["GetCallerIdentity"] == 1
    # The same answer boto3 gets for the same credentials.
    boto = sb.python("""
import json, boto3
print(json.dumps(boto3.Session(profile_name="dev").client("sts").get_caller_identity()))
""")
    assert {k: boto[k] for k in ("Account", "Arn", "UserId")} == ident
    text = sb.lanyard("whoami", "--profile", "dev").stdout
    assert f"Account: {account}\n" in text


def test_whoami_with_credentials_the_emulator_did_not_issue_is_refused(sandbox):
    sb = sandbox("--auto-approve")
    account, role = signed_in(sb)
    sb.lanyard("credentials", "--profile", "dev")
    path = cli_cache_path(sb, account, role)
    entry = json.loads(path.read_text())
    entry["Credentials"]["SecretAccessKey"] = "not-the-secret-it-issued"
    path.write_text(json.dumps(entry))
    out = sb.lanyard("whoami", "--profile", "dev", check=False)
    assert out.returncode == 1 and "SignatureDoesNotMatch" in out.stderr
    assert "not-the-secret-it-issued" not in out.stderr


def test_console_print_gives_a_login_url_the_federation_endpoint_accepts(sandbox):
    from emulator_support import http
    sb = sandbox("--auto-approve")
    account, role = signed_in(sb)
    url = sb.lanyard("console", "--profile", "dev", "--print").stdout.strip()
    assert url.startswith(sb.emu.url + "/federation?Action=login&Issuer=Lanyard&Destination=")
    assert "Destination=https%3A%2F%2Fus-east-1.console.aws.amazon.com%2F" in url
    status, _, body = http("GET", url)
    assert status == 200, body
    assert account.encode() in body and role.encode() in body
    # Opening it hands the URL to the browser and prints nothing on stdout.
    sb.browser("record")
    out = sb.lanyard("console", "--profile", "dev", "--destination", "https://console.aws.amazon.com/s3/")
    assert out.stdout == ""
    # The browser is started, not waited for: give the recorder up to 10 s to write.
    deadline = time.monotonic() + 10
    while "Action=login" not in sb.browser_log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    opened = sb.browser_log.read_text().splitlines()[-1]
    assert "Destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fs3%2F" in opened


CREDENTIALS_FILE = """\
# My static keys; do not lose this comment.
[personal]
aws_access_key_id = AKIAPERSONAL
aws_secret_access_key = personal-secret ; trailing text stays

; another comment
[ci]
aws_access_key_id = AKIACI
aws_secret_access_key = ci-secret
"""


def test_write_puts_credentials_in_the_credentials_file_and_keeps_every_other_byte(sandbox):
    sb = sandbox("--auto-approve")
    account, _ = signed_in(sb)
    creds_file = sb.home / ".aws" / "credentials"
    creds_file.write_text(CREDENTIALS_FILE)
    out = sb.lanyard("credentials", "--profile", "dev", "--write", "--as", "dev-static")
    assert out.stdout == ""
    text = creds_file.read_text()
    assert text.startswith(CREDENTIALS_FILE), "the person's sections are byte-identical"
    added = text[len(CREDENTIALS_FILE):].splitlines()
    assert added[0] == "[dev-static]"
    assert re.fullmatch(r"# lanyard: profile=dev expires=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ .*", added[1])
    assert [l.split(" = ")[0] for l in added[2:]] == [
        "aws_access_key_id", "aws_secret_access_key", "aws_session_token"]
    # A tool that reads only the credentials file gets them, and they work.
    got = sb.python("""
import json, boto3
s = boto3.Session(profile_name="dev-static")
print(json.dumps({"method": s.get_credentials().method,
                  "account": s.client("sts").get_caller_identity()["Account"]}))
""")
    assert got == {"method": "shared-credentials-file", "account": account}
    # Writing again (fresh credentials) changes only that section's lines.
    cli_cache_path(sb, *sb.first_assignment()).unlink()
    sb.lanyard("credentials", "--profile", "dev", "--write", "--as", "dev-static")
    assert creds_file.read_text().startswith(CREDENTIALS_FILE)
    # Signing out removes exactly what Lanyard wrote.
    sb.lanyard("logout", "--sso-session", "corp")
    assert creds_file.read_text() == CREDENTIALS_FILE


def test_console_opens_in_the_profiles_own_browser_command_from_lanyards_settings(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    sb.browser("record")  # BROWSER: must not be used for this profile
    work = sb.tmp / "work-browser.sh"
    log = sb.tmp / "work-browser.log"
    work.write_text(f'#!/bin/sh\necho "$1 $2" >> {log}\n')
    work.chmod(0o755)
    settings = sb.home / ".config" / "lanyard" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f'[profiles.dev]\nconsole_browser = "{work} --profile-work %s"\n')
    out = sb.lanyard("console", "--profile", "dev")
    assert out.stdout == ""
    deadline = time.monotonic() + 10
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    line = log.read_text().strip()
    assert line.startswith("--profile-work " + sb.emu.url + "/federation?Action=login"), line
    time.sleep(0.3)
    assert not sb.browser_log.exists() or "Action=login" not in sb.browser_log.read_text()


def test_an_ended_session_without_login_is_a_one_line_error_naming_the_command(sandbox):
    sb = sandbox("--auto-approve", "--session-ttl", "3600")
    signed_in(sb)
    sb.emu.advance(3700)  # the Identity Center session is over...
    sb.expire_soon(-60)   # ...and the access token has expired: a refresh is needed and refused
    sb.browser("record")
    before = (sb.tmp / "browser.log").read_text()
    out = sb.lanyard("credentials", "--profile", "dev", check=False)
    assert out.returncode == 1 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "session corp has ended" in out.stderr
    assert "lanyard login --sso-session corp" in out.stderr
    assert (sb.tmp / "browser.log").read_text() == before, "no browser was opened"
