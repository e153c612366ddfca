"""`lanyard configure sso` (issue 8): the AWS CLI's wizard against idc-emulator — driven on a
pseudo-terminal (type to filter, arrows, defaults) and by flags — writing the profile (and a new
session) in the CLI's key order, read back by botocore."""
import re

from sandbox_support import CONFIG
from terminal_support import converse

DOWN = "\x1b[B"

CREDS = """
import json, boto3
c = boto3.Session(profile_name={profile!r}).get_credentials().get_frozen_credentials()
print(json.dumps({{"key": c.access_key}}))
"""


def accounts(sb):
    """(id, name, email, [roles]) of every account, from Lanyard's own listing."""
    out = sb.lanyard("accounts", "list", "--sso-session", "corp", "--refresh", "--json").stdout
    import json
    return [(a["account_id"], a["account_name"], a["email"], a["roles"])
            for a in json.loads(out)["accounts"]]


def test_by_flags_it_writes_the_profile_in_the_cli_order_and_botocore_uses_it(sandbox):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    account, _, _, roles = accounts(sb)[0]
    r = sb.lanyard("configure", "sso", "--sso-session", "corp", "--account-id", account,
                   "--role-name", roles[0], "--region", "eu-west-1", "--output", "json")
    name = f"{roles[0]}-{account}"
    assert f"aws sts get-caller-identity --profile {name}" in r.stderr
    text = (sb.home / ".aws" / "config").read_text()
    assert text == CONFIG + (f"[profile {name}]\nsso_session = corp\nsso_account_id = {account}\n"
                             f"sso_role_name = {roles[0]}\nregion = eu-west-1\noutput = json\n")
    assert sb.python(CREDS.format(profile=name))["key"].startswith("ASIA")


def test_on_a_terminal_type_to_filter_arrows_and_defaults(sandbox):
    sb = sandbox("--auto-approve", "--accounts", 12, "--roles-per-account", 3)
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    listed = accounts(sb)
    target_id, target_name, _, roles = listed[7]
    # Typing part of the id narrows the list to that account; Enter takes it. In the role list,
    # one arrow down takes the second role (sorted by name); Enter keeps the offered defaults.
    code, screen = converse(["configure", "sso"], sb.env, [
        ("SSO session name (Recommended) [corp]: ", ""),
        ("Account (type to filter", target_id[-6:]),
        ("Role (type to filter)", DOWN),
        ("Default client Region [None]: ", "ap-southeast-2"),
        ("CLI default output format (json if not specified) [None]: ", ""),
        (f"Profile name [{sorted(roles, key=str.lower)[1]}-{target_id}]: ", ""),
    ], timeout=40)
    assert code == 0, screen
    assert "There are 12 AWS accounts available to you." in screen
    assert f"Using the account ID {target_id}" in screen
    role = sorted(roles, key=str.lower)[1]
    assert f'Using the role name "{role}"' in screen
    name = f"{role}-{target_id}"
    text = (sb.home / ".aws" / "config").read_text()
    assert text.endswith(f"[profile {name}]\nsso_session = corp\nsso_account_id = {target_id}\n"
                         f"sso_role_name = {role}\nregion = ap-southeast-2\n"), text
    assert sb.python(CREDS.format(profile=name))["key"].startswith("ASIA")
    assert target_name in screen


def test_a_new_session_is_asked_for_signed_in_and_written_after_the_profile(sandbox):
    sb = sandbox("--auto-approve", "--accounts", 1, "--roles-per-account", 1)
    sb.browser("follow")
    code, screen = converse(["configure", "sso", "--profile", "work"], sb.env, [
        ("SSO session name (Recommended)", "newcorp"),
        ("SSO start URL [None]: ", "https://d-7777777777.awsapps.com/start"),
        ("SSO region [None]: ", "us-east-1"),
        ("SSO registration scopes [sso:account:access]: ", ""),
        ("Default client Region [None]: ", ""),
        ("CLI default output format (json if not specified) [None]: ", "text"),
    ], timeout=40)
    assert code == 0, screen
    assert "The only AWS account available to you is:" in screen
    assert "The only role available to you is:" in screen
    text = (sb.home / ".aws" / "config").read_text()
    added = text[len(CONFIG):]
    assert re.fullmatch(
        r"\[profile work\]\nsso_session = newcorp\nsso_account_id = \d{12}\nsso_role_name = \S+\n"
        r"output = text\n\[sso-session newcorp\]\nsso_start_url = "
        r"https://d-7777777777\.awsapps\.com/start\nsso_region = us-east-1\n"
        r"sso_registration_scopes = sso:account:access\n", added), added
    assert sb.python(CREDS.format(profile="work"))["key"].startswith("ASIA")


def test_without_a_terminal_missing_answers_are_errors_and_nothing_is_written(sandbox):
    sb = sandbox("--auto-approve", "--accounts", 3)
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    before = (sb.home / ".aws" / "config").read_text()
    for args, message in [
        ([], "missing --sso-session"),
        (["--sso-session", "nope"], "sso-session nope does not exist"),
        (["--sso-session", "corp"], "missing --account-id: there are 3 accounts"),
    ]:
        r = sb.lanyard("configure", "sso", *args, check=False)
        assert r.returncode == 1 and message in r.stderr, (args, r.stderr)
    assert (sb.home / ".aws" / "config").read_text() == before
