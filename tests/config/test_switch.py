"""`lanyard profiles use` (issue 11): the chosen profile is what botocore uses with no profile
named, in either default layout; `--restore` gives back the file byte for byte."""
import pytest

from sandbox_support import CONFIG

CALLER = """
import json, boto3
print(json.dumps(boto3.Session().client("sts").get_caller_identity()))
"""

OWN_DEFAULTS = {
    "[default]": "# my own default, with a comment\n[default]\nregion = eu-west-1\noutput = text\n\n",
    "[profile default]": "[profile default]\n; kept as written\nregion = eu-west-1\n",
    "none": "",
}


@pytest.mark.parametrize("layout", list(OWN_DEFAULTS))
def test_botocore_with_no_profile_uses_the_chosen_one_and_restore_gives_every_byte_back(
        sandbox, layout):
    sb = sandbox("--auto-approve")
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    account, role = sb.first_assignment()
    sb.lanyard("profiles", "set", "dev", f"sso_account_id={account}", f"sso_role_name={role}")
    cfg = sb.home / ".aws" / "config"
    original = OWN_DEFAULTS[layout] + cfg.read_text()
    cfg.write_text(original)
    env = {k: v for k, v in sb.env.items() if k not in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")}
    sb.env = env
    sb.lanyard("profiles", "use", "dev")
    ident = sb.python(CALLER)
    assert ident["Account"] == account
    assert f"AWSReservedSSO_{role}_" in ident["Arn"]
    # The tray and status see which profile is in use.
    assert "lanyard_mirrors = dev" in cfg.read_text()
    # Switching to the same profile again writes nothing.
    before = cfg.read_bytes()
    r = sb.lanyard("profiles", "use", "dev")
    assert "already" in r.stderr and cfg.read_bytes() == before
    sb.lanyard("profiles", "use", "--restore")
    assert cfg.read_text() == original


def test_refusals_leave_the_file_alone(sandbox):
    sb = sandbox()
    cfg = sb.home / ".aws" / "config"
    before = cfg.read_bytes()
    r = sb.lanyard("profiles", "use", "--restore", check=False)
    assert r.returncode != 0 and "nothing to restore" in r.stderr
    r = sb.lanyard("profiles", "use", "ghost", check=False)
    assert r.returncode != 0 and 'no profile named "ghost"' in r.stderr
    assert cfg.read_bytes() == before
    assert CONFIG.startswith("# Written by hand")
