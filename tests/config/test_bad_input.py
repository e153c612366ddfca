"""Issue 20: bad input is refused, not warned about. Each value that cannot work — an http,
empty or non-URL start URL, a region botocore refuses, an account id that is not 12 digits, an
output format the AWS CLI does not have, a console region or destination that is not AWS's — is
refused by the real `lanyard`: non-zero exit, the value named on stderr, its code with --json,
and the config file byte for byte as it was (no backup made). `config check` reports the same
values as errors in the same words. A profile contradicting its sso-session is refused by
lanyard and by botocore alike. An account or role the portal does not list is written, with a
warning naming what it does list."""
import json
import subprocess
import sys

import pytest

from sandbox_support import CONFIG, signed_in

START = "https://d-1234567890.awsapps.com/start"

# (arguments, the value the message must name, the --json code)
REFUSED = [
    (["configure", "sso-session", "--name", "new", "--start-url",
      "http://d-1234567890.awsapps.com/start", "--region", "us-east-1"],
     '"http://d-1234567890.awsapps.com/start"', "invalid_start_url"),
    (["configure", "sso-session", "--name", "new", "--start-url", "", "--region", "us-east-1"],
     '""', "invalid_start_url"),
    (["configure", "sso-session", "--name", "new", "--start-url", "d-1234567890.awsapps.com/start",
      "--region", "us-east-1"], '"d-1234567890.awsapps.com/start"', "invalid_start_url"),
    (["configure", "sso-session", "--name", "corp", "--start-url", "my portal"],
     '"my portal"', "invalid_start_url"),
    (["configure", "sso-session", "--name", "new", "--start-url", START, "--region", "US East"],
     '"US East"', "invalid_region"),
    (["profiles", "set", "dev", "region=US East"], '"US East"', "invalid_region"),
    (["profiles", "set", "dev", "sso_region=us east 1"], '"us east 1"', "invalid_region"),
    (["profiles", "set", "dev", "sso_start_url=http://d-1.awsapps.com/start"],
     '"http://d-1.awsapps.com/start"', "invalid_start_url"),
    (["profiles", "set", "dev", "sso_account_id=12345678901"], '"12345678901"', "invalid_account_id"),
    (["profiles", "set", "dev", "sso_account_id=1234567890123"], '"1234567890123"',
     "invalid_account_id"),
    (["profiles", "set", "dev", "sso_account_id=12345678901a"], '"12345678901a"',
     "invalid_account_id"),
    (["profiles", "set", "new", "region=us-east-1", "output=xml"], '"xml"', "invalid_output"),
    (["configure", "sso", "--sso-session", "corp", "--account-id", "12345678901",
      "--role-name", "R"], '"12345678901"', "invalid_account_id"),
    (["configure", "sso", "--sso-session", "corp", "--account-id", "123456789012",
      "--role-name", "R", "--region", "US East"], '"US East"', "invalid_region"),
    (["configure", "sso", "--sso-session", "corp", "--account-id", "123456789012",
      "--role-name", "R", "--output", "xml"], '"xml"', "invalid_output"),
    (["populate", "--sso-session", "corp", "--region", "US East", "--yes"], '"US East"',
     "invalid_region"),
    (["populate", "--sso-session", "corp", "--output", "xml", "--yes"], '"xml"', "invalid_output"),
    (["console", "--profile", "dev", "--region", "US East", "--print"], '"US East"',
     "invalid_region"),
    (["console", "--profile", "dev", "--destination", "https://evil.example/", "--print"],
     '"https://evil.example/"', "invalid_destination"),
    (["console", "--profile", "dev", "--destination", "http://console.aws.amazon.com/", "--print"],
     '"http://console.aws.amazon.com/"', "invalid_destination"),
    (["console", "--profile", "dev", "--destination", "javascript:alert(1)", "--print"],
     '"javascript:alert(1)"', "invalid_destination"),
]


def backups_dir(home):
    return home / ".local" / "share" / "lanyard" / "backups"


def listing(home):
    d = backups_dir(home)
    return sorted(p.name for p in d.iterdir()) if d.is_dir() else []


@pytest.mark.parametrize("args,named,code", REFUSED, ids=[" ".join(a[:2]) + f" {c} {n}"
                                                           for a, n, c in REFUSED])
def test_a_bad_value_is_refused_named_coded_and_nothing_is_written(
        args, named, code, config_path, lanyard, home):
    config_path.write_text(CONFIG)
    before, mtime, saved = config_path.read_bytes(), config_path.stat().st_mtime_ns, listing(home)
    r = lanyard(*args, check=False)
    assert r.returncode == 1, r.stderr
    assert named in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and "panicked" not in r.stderr
    assert config_path.read_bytes() == before
    assert config_path.stat().st_mtime_ns == mtime
    assert listing(home) == saved, "no backup made for a refused edit"
    out = json.loads(lanyard(*args, "--json", check=False).stdout)
    assert out["error"]["code"] == code, out
    assert named in out["error"]["message"]
    assert config_path.read_bytes() == before


def test_an_output_format_a_newer_cli_knows_is_written_with_force(config_path, lanyard):
    config_path.write_text(CONFIG)
    r = lanyard("profiles", "set", "dev", "output=off", check=False)
    assert r.returncode == 1 and "--force" in r.stderr, r.stderr
    assert config_path.read_text() == CONFIG
    lanyard("profiles", "set", "dev", "output=off", "--force")
    assert "output = off\n" in config_path.read_text()
    # Nothing else is forced: a region or an account id still is not.
    r = lanyard("profiles", "set", "dev", "region=US East", "--force", check=False)
    assert r.returncode == 1 and '"US East"' in r.stderr


def test_config_check_reports_the_refused_values_as_errors_in_the_same_words(config_path, lanyard):
    config_path.write_text(CONFIG)
    refusals = {}
    for key, value in [("region", "US East"), ("sso_account_id", "12345678901"),
                       ("output", "xml"), ("sso_start_url", "http://d-1.awsapps.com/start")]:
        r = lanyard("profiles", "set", "dev", f"{key}={value}", "--json", check=False)
        refusals[key] = json.loads(r.stdout)["error"]
    config_path.write_text(
        "[profile dev]\nregion = US East\nsso_account_id = 12345678901\noutput = xml\n"
        "sso_start_url = http://d-1.awsapps.com/start\nsso_region = us-east-1\n"
        "sso_role_name = R\n[profile odd]\nregion = Tokyo\n")
    r = lanyard("config", "check", "--json", check=False)
    assert r.returncode == 1
    found = {f["key"]: f for f in json.loads(r.stdout)["findings"] if f["section"] == "profile dev"}
    for key, refusal in refusals.items():
        assert found[key]["severity"] == "error", found[key]
        assert found[key]["code"] == refusal["code"]
        # The refusal's words (the CLI may say first how to get past it: --force).
        assert refusal["message"].endswith(found[key]["message"]), (refusal, found[key])
    # A name botocore accepts that is no region is still only a warning.
    odd = [f for f in json.loads(r.stdout)["findings"] if f["section"] == "profile odd"]
    assert [(f["code"], f["severity"]) for f in odd] == [("region_format", "warning")]


CONTRADICTING = """\
[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
{extra}
[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1
"""

BOTOCORE = """
import json, sys, botocore.session
try:
    botocore.session.Session(profile="dev").get_credentials()
    print(json.dumps({"raised": None}))
except Exception as e:
    print(json.dumps({"raised": type(e).__name__, "message": str(e)}))
"""


@pytest.mark.parametrize("extra,words", [
    ("sso_start_url = https://d-9999999999.awsapps.com/start",
     "The value for sso_start_url is inconsistent between profile "
     "(https://d-9999999999.awsapps.com/start) and sso-session "
     "(https://d-1234567890.awsapps.com/start)."),
    ("sso_region = eu-west-1",
     "The value for sso_region is inconsistent between profile (eu-west-1) and sso-session "
     "(us-east-1)."),
])
def test_a_profile_contradicting_its_session_is_refused_by_lanyard_and_botocore(
        extra, words, config_path, lanyard, sandbox_env):
    config_path.write_text(CONTRADICTING.format(extra=extra))
    r = subprocess.run([sys.executable, "-c", BOTOCORE], env=sandbox_env, capture_output=True,
                       text=True, timeout=60)
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got == {"raised": "InvalidConfigError", "message": words}, got
    for args in (["credentials", "--profile", "dev"], ["export", "--profile", "dev"],
                 ["whoami", "--profile", "dev"], ["console", "--profile", "dev", "--print"],
                 ["login", "--profile", "dev", "--no-browser"]):
        p = lanyard(*args, check=False)
        assert p.returncode == 1, (args, p.stderr)
        assert words in p.stderr, (args, p.stderr)
        assert "ASIA" not in p.stdout
    out = json.loads(lanyard("console", "--profile", "dev", "--print", "--json", check=False).stdout)
    assert out["error"]["code"] == "sso_inconsistent"
    # The same value in both places is no contradiction, for lanyard as for botocore.
    config_path.write_text(CONTRADICTING.format(extra="sso_region = us-east-1"))
    p = lanyard("credentials", "--profile", "dev", check=False)
    assert "inconsistent" not in p.stderr


def test_an_account_or_role_the_portal_does_not_list_is_written_with_a_warning(sandbox):
    sb = sandbox("--auto-approve", "--accounts", 7, "--roles-per-account", 2)
    signed_in(sb)
    listed = json.loads(sb.lanyard("accounts", "list", "--sso-session", "corp", "--json").stdout)
    ids = [a["account_id"] for a in listed["accounts"]]
    path = sb.home / ".aws" / "config"
    calls = sb.emu.state()["calls"]

    r = sb.lanyard("profiles", "set", "dev", "sso_account_id=999999999999")
    assert "warning: account 999999999999 is not among the 7 accounts the portal lists for " \
           "sso-session corp" in r.stderr, r.stderr
    assert ids[0] in r.stderr and "and 2 more" in r.stderr, r.stderr
    assert "sso_account_id = 999999999999\n" in path.read_text()

    account = ids[3]
    roles = listed["accounts"][3]["roles"]
    r = sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", "sso_role_name=NoSuchRole")
    assert f"role NoSuchRole is not among the 2 roles the portal lists in account {account}" \
           in r.stderr, r.stderr
    assert all(role in r.stderr for role in roles), r.stderr
    assert "sso_role_name = NoSuchRole\n" in path.read_text()

    r = sb.lanyard("profiles", "set", "dev", f"sso_role_name={roles[0]}")
    assert "warning" not in r.stderr, r.stderr

    # The wizard, given both by flag, warns the same way and writes the profile.
    r = sb.lanyard("configure", "sso", "--sso-session", "corp", "--profile", "w",
                   "--account-id", "888888888888", "--role-name", "Admin")
    assert "warning: account 888888888888 is not among the 7 accounts" in r.stderr, r.stderr
    assert "[profile w]\nsso_session = corp\nsso_account_id = 888888888888\n" in path.read_text()
    # All of it from the cached listing: no portal call.
    after = sb.emu.state()["calls"]
    assert (after["ListAccounts"], after["ListAccountRoles"]) == \
           (calls["ListAccounts"], calls["ListAccountRoles"])


def test_without_a_listing_nothing_is_asked_of_the_portal_and_nothing_warned(sandbox):
    sb = sandbox("--auto-approve")
    calls = sb.emu.state()["calls"]
    r = sb.lanyard("profiles", "set", "dev", "sso_account_id=999999999999", "sso_role_name=R")
    assert "warning" not in r.stderr, r.stderr
    assert sb.emu.state()["calls"] == calls
