"""Issue 20: the default follows its profile. While `[default]` mirrors a profile
(`lanyard profiles use NAME`), every Lanyard write to that profile (`profiles set`, `rename`,
`remove`, `populate`) updates `[default]` in the same save, so botocore with no profile named
reads the new values; a hand edit of `[default]` (`aws configure set` without --profile) stays
the person's; `config check` reports a default that no longer matches its profile, line by
line; and "Restore my default" (`profiles use --restore`) still gives back the person's own
default byte for byte. (The window's editor path and the app's re-mirror of a hand edit are
shown in crates/lanyard-core/tests/default_follows.rs.)"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox_support import CONFIG
from testlib import run_aws as aws
from testlib import run_lanyard as run

OWN = """\
# my config, by hand
[default]
region = us-west-2
output = text

[profile dev]
region = us-east-1

[profile prod]
region = eu-central-1
"""


@pytest.fixture
def cfg(sandbox_env):
    p = Path(sandbox_env["AWS_CONFIG_FILE"])
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(OWN)
    return p


def botocore(env, key, profile=None):
    """What botocore reads for `key` with `profile` (None: no profile named, the default)."""
    code = ("import botocore.session\n"
            f"s = botocore.session.Session(profile={profile!r})\n"
            f"print(s.get_scoped_config().get({key!r}))\n")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def diverged(env):
    r = run(env, "config", "check", "--json")
    return [f for f in json.loads(r.stdout)["findings"] if f["code"] == "default_diverged"]


def line_of(text, section, key):
    """The 1-based line of `key` in `[section]` of `text`."""
    lines = text.splitlines()
    start = lines.index(f"[{section}]")
    for n, line in enumerate(lines[start + 1:], start + 2):
        if line.startswith("["):
            break
        if line.split("=")[0].strip() == key:
            return n
    raise AssertionError(f"no {key} in [{section}]")


def test_issue_20_profiles_set_and_rename_update_the_default_and_restore_gives_it_back(
        sandbox_env, cfg):
    run(sandbox_env, "profiles", "use", "dev")
    assert botocore(sandbox_env, "region") == "us-east-1"
    run(sandbox_env, "profiles", "set", "dev", "region=ap-south-1", "output=json")
    assert botocore(sandbox_env, "region") == "ap-south-1"
    assert botocore(sandbox_env, "output") == "json"
    assert diverged(sandbox_env) == []
    run(sandbox_env, "profiles", "rename", "dev", "develop")
    assert "lanyard_mirrors = develop" in cfg.read_text()
    assert botocore(sandbox_env, "region") == "ap-south-1"
    # Restore asks nothing (nothing of [default] is the person's) and gives back every byte of
    # the person's default; the profile keeps its edits.
    run(sandbox_env, "profiles", "use", "--restore")
    assert cfg.read_text() == OWN.replace(
        "[profile dev]\nregion = us-east-1\n",
        "[profile develop]\nregion = ap-south-1\noutput = json\n")
    assert botocore(sandbox_env, "region") == "us-west-2"


def test_issue_20_config_check_names_the_lines_of_a_hand_edit_and_the_next_write_follows(
        sandbox_env, cfg):
    run(sandbox_env, "profiles", "use", "dev")
    # The AWS CLI edits the profile by hand, behind Lanyard's back.
    aws(sandbox_env, "configure", "set", "region", "eu-north-1", "--profile", "dev")
    text = cfg.read_text()
    mine, theirs = line_of(text, "default", "region"), line_of(text, "profile dev", "region")
    found = diverged(sandbox_env)
    assert [(f["line"], f["key"], f["severity"]) for f in found] == [(mine, "region", "warning")]
    assert f"region (line {mine}) differs from region in [profile dev] (line {theirs})" \
        in found[0]["message"]
    r = run(sandbox_env, "config", "check")
    assert f":{mine}: warning (default_diverged) [default] region:" in r.stdout, r.stdout
    assert "eu-north-1" not in found[0]["message"], "values are not shown"
    # The next Lanyard write to the profile mirrors all of it again.
    run(sandbox_env, "profiles", "set", "dev", "output=json")
    assert botocore(sandbox_env, "region") == "eu-north-1"
    assert botocore(sandbox_env, "output") == "json"
    assert diverged(sandbox_env) == []
    run(sandbox_env, "profiles", "use", "--restore")
    assert cfg.read_text() == OWN.replace(
        "[profile dev]\nregion = us-east-1\n", "[profile dev]\nregion = eu-north-1\noutput = json\n")


def test_issue_20_a_hand_edit_of_the_default_is_kept_when_the_profile_changes(sandbox_env, cfg):
    run(sandbox_env, "profiles", "use", "dev")
    aws(sandbox_env, "configure", "set", "region", "ap-northeast-1")  # writes [default]
    run(sandbox_env, "profiles", "set", "dev", "output=yaml")
    assert botocore(sandbox_env, "region") == "ap-northeast-1", "the person's change stays"
    assert botocore(sandbox_env, "output") == "yaml", "the profile's change arrives"
    assert [f["key"] for f in diverged(sandbox_env)] == ["region"]
    # Still the person's: restore asks, and --discard-changes gives back their default.
    before = cfg.read_text()
    r = run(sandbox_env, "profiles", "use", "--restore", check=False)
    assert r.returncode != 0 and "+region = ap-northeast-1" in r.stderr, r.stderr
    assert cfg.read_text() == before
    run(sandbox_env, "profiles", "use", "--restore", "--discard-changes")
    assert cfg.read_text() == OWN.replace(
        "[profile dev]\nregion = us-east-1\n", "[profile dev]\nregion = us-east-1\noutput = yaml\n")


def test_issue_20_removing_the_mirrored_profile_leaves_the_default_as_it_is(sandbox_env, cfg):
    run(sandbox_env, "profiles", "use", "dev")
    run(sandbox_env, "profiles", "remove", "dev")
    assert "lanyard_mirrors = dev" in cfg.read_text()
    assert botocore(sandbox_env, "region") == "us-east-1", "tools go on using its keys"
    found = diverged(sandbox_env)
    assert [(f["key"], f["line"]) for f in found] == [("lanyard_mirrors", 3)]
    assert "no profile dev" in found[0]["message"]
    run(sandbox_env, "profiles", "use", "--restore")
    assert cfg.read_text() == OWN.replace("[profile dev]\nregion = us-east-1\n\n", "")


def test_issue_20_populate_changing_the_mirrored_profile_updates_the_default(sandbox):
    sb = sandbox("--auto-approve", "--accounts", 2, "--roles-per-account", 1)
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    sb.lanyard("populate", "--sso-session", "corp", "--region", "eu-west-1", "--yes")
    cfg = sb.home / ".aws" / "config"
    generated = [line[len("[profile "):-1] for line in cfg.read_text().splitlines()
                 if line.startswith("[profile ") and line[len("[profile "):-1] not in
                 ("dev", "legacy")]
    assert len(generated) == 2, cfg.read_text()
    chosen = generated[0]
    env = {k: v for k, v in sb.env.items() if k not in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")}
    sb.lanyard("profiles", "use", chosen)
    assert botocore(env, "region") == "eu-west-1"
    # The dry run's diff shows [default] changing with the profile, as the write does.
    r = sb.lanyard("populate", "--sso-session", "corp", "--region", "ap-south-1", "--dry-run")
    assert r.stdout.count("+region = ap-south-1") == 3, r.stdout  # two profiles, the default
    sb.lanyard("populate", "--sso-session", "corp", "--region", "ap-south-1", "--yes")
    assert botocore(env, "region") == "ap-south-1"
    assert botocore(env, "sso_account_id") == botocore(env, "sso_account_id", chosen)
    assert diverged(env) == []
    # Populate removing it: the default keeps its keys; restore gives the file back.
    sb.lanyard("populate", "--sso-session", "corp", "--remove", "--yes")
    assert botocore(env, "region") == "ap-south-1"
    assert botocore(env, "lanyard_mirrors") == chosen
    sb.lanyard("profiles", "use", "--restore")
    assert cfg.read_text() == CONFIG
