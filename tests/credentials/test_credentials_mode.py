"""Issue 20: `lanyard credentials --write` keeps ~/.aws/credentials readable by its owner alone.

A credentials file that others may read (0644, as many tutorials leave it) is made 0600 before
role secrets go into it, its owner kept; the CLI says so once (the run that changed the mode),
not again; botocore still reads the file. A new file is 0600 from the start."""
import os
import stat

from sandbox_support import signed_in

MINE = """[ci]
aws_access_key_id = AKIACI
aws_secret_access_key = ci-secret
"""

NOTE = "readable by you alone (mode 0600, was 0644)"


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_0644_credentials_file_becomes_0600_said_once_and_botocore_still_reads_it(sandbox):
    sb = sandbox("--auto-approve")
    account, _ = signed_in(sb)
    creds_file = sb.home / ".aws" / "credentials"
    creds_file.write_text(MINE)
    creds_file.chmod(0o644)
    owner = (creds_file.stat().st_uid, creds_file.stat().st_gid)

    first = sb.lanyard("credentials", "--profile", "dev", "--write", "--as", "dev-static")
    assert mode(creds_file) == 0o600
    assert (creds_file.stat().st_uid, creds_file.stat().st_gid) == owner
    assert first.stderr.count(NOTE) == 1, first.stderr
    assert str(creds_file) in first.stderr
    assert creds_file.read_text().startswith(MINE), "the person's section is byte-identical"

    second = sb.lanyard("credentials", "--profile", "dev", "--write", "--as", "dev-static")
    assert "mode 0600" not in second.stderr, second.stderr
    assert mode(creds_file) == 0o600

    got = sb.python("""
import json, boto3
s = boto3.Session(profile_name="dev-static")
mine = boto3.Session(profile_name="ci").get_credentials()
print(json.dumps({"method": s.get_credentials().method,
                  "account": s.client("sts").get_caller_identity()["Account"],
                  "mine": mine.access_key}))
""")
    assert got == {"method": "shared-credentials-file", "account": account, "mine": "AKIACI"}


def test_a_new_credentials_file_is_0600_with_nothing_to_say(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    creds_file = sb.home / ".aws" / "credentials"
    assert not creds_file.exists()
    out = sb.lanyard("credentials", "--profile", "dev", "--write")
    assert mode(creds_file) == 0o600
    assert "mode 0600" not in out.stderr, out.stderr
    assert creds_file.stat().st_uid == os.getuid()
