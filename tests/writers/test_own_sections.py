"""Issue 19: the person's sections are theirs. `credentials --write` never takes over a section
it did not create, sign-out removes only what Lanyard wrote (and the role secrets in the
backups), a change made to a mirrored [default] (`aws configure set` without --profile writes
there) is never thrown away, and the file's identity (owner, group, mode) is kept."""
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testlib import run_aws as aws
from testlib import run_lanyard as run
from sandbox_support import signed_in

HAND_MADE = """\
# my long-term keys, by hand
[dev]
aws_access_key_id = AKIAMINE
aws_secret_access_key = my-own-secret
region = eu-west-1

[regional]
region = ap-south-1
"""


def backups(sb):
    return sorted((sb.home / ".local" / "share" / "lanyard" / "backups").glob("credentials*"))


def test_write_refuses_a_hand_made_section_and_sign_out_keeps_the_persons_keys(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    creds = sb.home / ".aws" / "credentials"
    creds.write_text(HAND_MADE)
    for section in ("dev", "regional"):
        r = sb.lanyard("credentials", "--profile", "dev", "--write", "--as", section, check=False)
        assert r.returncode != 0
        assert f"[{section}]" in r.stderr and "--as" in r.stderr and "--force" in r.stderr
        assert creds.read_text() == HAND_MADE, "nothing written"
    # --force writes the three keys; the section's other key and the comment above stay.
    sb.lanyard("credentials", "--profile", "dev", "--write", "--force")
    text = creds.read_text()
    assert "my-own-secret" not in text and "# my long-term keys, by hand" in text
    assert "region = eu-west-1" in text and "replaced=yes" in text
    assert any("my-own-secret" in p.read_text() for p in backups(sb)), \
        "the original is kept in a backup"
    # Writing again (a refresh) goes on writing into the section Lanyard now manages.
    sb.lanyard("credentials", "--profile", "dev", "--write")
    # Sign-out: the person's own keys are back, byte for byte the file they had.
    sb.lanyard("logout", "--sso-session", "corp")
    assert creds.read_text() == HAND_MADE
    for p in backups(sb):
        assert "lanyard: profile=" not in p.read_text(), f"role secrets left in {p.name}"
        assert not re.search(r"aws_session_token", p.read_text()), p.name
    # The credentials file's versions can be listed and put back too.
    listing = sb.lanyard("config", "restore", "--credentials", "--list").stdout
    assert str(creds) in listing and re.search(r"^\s+1\s+\d{4}-", listing, re.M), listing
    creds.write_text("")
    sb.lanyard("config", "restore", "--credentials", "--last-good")
    assert "aws_access_key_id = AKIAMINE" in creds.read_text()


def test_sign_out_keeps_what_the_person_added_to_a_section_lanyard_wrote(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    creds = sb.home / ".aws" / "credentials"
    sb.lanyard("credentials", "--profile", "dev", "--write", "--as", "ci")
    # The person adds a key and a comment to the section Lanyard wrote.
    subprocess.run([str(Path(sys.executable).parent / "aws"), "configure", "set", "region",
                    "us-west-1", "--profile", "ci"], env=sb.env, check=True, capture_output=True)
    with open(creds, "a") as f:
        f.write("# a note of mine\n")
    sb.lanyard("logout", "--sso-session", "corp")
    text = creds.read_text()
    assert "[ci]" in text and "# a note of mine" in text
    assert "aws_access_key_id" not in text and "lanyard:" not in text
    assert "region" in (sb.home / ".aws" / "config").read_text() or "region" in text


MIRRORED = """\
[default]
# my own default
region = us-west-2
output = json

[profile dev]
region = us-east-1
output = text

[profile prod]
region = eu-central-1
"""


@pytest.fixture
def cfg(sandbox_env):
    p = Path(sandbox_env["AWS_CONFIG_FILE"])
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(MIRRORED)
    return p


def botocore_region(env, profile=None):
    code = ("import botocore.session, sys\n"
            f"s = botocore.session.Session(profile={profile!r})\n"
            "print(s.get_config_variable('region'))\n")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_a_change_to_the_mirrored_default_is_refused_shown_then_kept(sandbox_env, cfg):
    run(sandbox_env, "profiles", "use", "dev")
    aws(sandbox_env, "configure", "set", "region", "ap-northeast-1")  # writes [default]
    before = cfg.read_text()
    for args in (("use", "prod"), ("use", "--restore")):
        r = run(sandbox_env, "profiles", *args, check=False)
        assert r.returncode != 0
        assert "-region = us-east-1" in r.stderr and "+region = ap-northeast-1" in r.stderr
        assert "--keep-changes" in r.stderr and "--discard-changes" in r.stderr
        assert cfg.read_text() == before, "nothing written"
    run(sandbox_env, "profiles", "use", "prod", "--keep-changes")
    assert botocore_region(sandbox_env) == "ap-northeast-1"
    # Kept changes are asked about again, never dropped silently.
    r = run(sandbox_env, "profiles", "use", "--restore", check=False)
    assert r.returncode != 0 and "+region = ap-northeast-1" in r.stderr
    run(sandbox_env, "profiles", "use", "--restore", "--discard-changes")
    assert cfg.read_text() == MIRRORED
    assert botocore_region(sandbox_env) == "us-west-2"


def test_an_unchanged_mirror_switches_and_restores_without_asking(sandbox_env, cfg):
    run(sandbox_env, "profiles", "use", "dev")
    run(sandbox_env, "profiles", "use", "prod")
    assert botocore_region(sandbox_env) == "eu-central-1"
    run(sandbox_env, "profiles", "use", "--restore")
    assert cfg.read_text() == MIRRORED


def test_restore_lists_versions_and_the_last_good_one_survives_a_wipe_and_ten_writes(
        sandbox_env, cfg):
    for i in range(12):
        run(sandbox_env, "profiles", "set", f"p{i}", "region=us-east-1",
            "sso_start_url=https://d-1111111111.awsapps.com/start", "sso_region=us-east-1")
    listing = run(sandbox_env, "config", "restore", "--list").stdout
    assert "--last-good" in listing and re.search(r"^\s+10\s+\d{4}-", listing, re.M), listing
    assert re.search(r"\d+ bytes", listing)
    # An empty config (another writer's moment, or a mistake) is never backed up over a good one.
    cfg.write_text("")
    old = time.time() - 60
    os.utime(cfg, (old, old))
    for i in range(11):
        run(sandbox_env, "profiles", "set", f"after-empty-{i}", "region=us-east-1")
    for b in (cfg.parent.parent / ".local/share/lanyard/backups").glob("config-*"):
        assert b.stat().st_size > 0, "an empty file is never a backup"
    run(sandbox_env, "config", "restore", "--last-good")
    text = cfg.read_text()
    assert "[profile p11]" in text and "[default]" in text


@pytest.mark.skipif(os.geteuid() != 0, reason="changing owners needs root")
def test_an_edit_as_root_keeps_the_owner_group_and_mode_of_the_persons_file(sandbox_env, cfg):
    os.chown(cfg, 1000, 1000)
    os.chmod(cfg, 0o640)
    run(sandbox_env, "profiles", "set", "dev", "region=eu-west-1")
    st = cfg.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1000, 1000, 0o640)
    # A new file Lanyard makes as root in the person's folder is theirs too (0600).
    os.chown(cfg.parent, 1000, 1000)
    cfg.unlink()
    run(sandbox_env, "profiles", "set", "fresh", "region=eu-west-1")
    st = cfg.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1000, 1000, 0o600)
    assert cfg.read_text() == "[profile fresh]\nregion = eu-west-1\n"


def test_a_hard_link_a_read_only_file_and_a_read_only_folder_are_refused_by_name(
        sandbox_env, cfg):
    link = cfg.parent / "config.link"
    os.link(cfg, link)
    r = run(sandbox_env, "profiles", "set", "dev", "region=eu-west-1", check=False)
    assert r.returncode != 0 and "hard link" in r.stderr and str(cfg) in r.stderr
    link.unlink()
    os.chmod(cfg, 0o444)
    r = run(sandbox_env, "profiles", "set", "dev", "region=eu-west-1", check=False)
    assert r.returncode != 0 and "read-only" in r.stderr and str(cfg) in r.stderr
    os.chmod(cfg, 0o600)
    os.chmod(cfg.parent, 0o555)
    try:
        r = run(sandbox_env, "profiles", "set", "dev", "region=eu-west-1", check=False)
    finally:
        os.chmod(cfg.parent, 0o755)
    assert r.returncode != 0 and "folder is read-only" in r.stderr
    assert f"{cfg.parent}:" in r.stderr
    assert cfg.read_text() == MIRRORED
