"""Interop with botocore (the AWS CLI's parser): `lanyard config show --json` equals
botocore's load_config on every corpus file botocore accepts; files edited by `lanyard profiles
...` and `lanyard configure sso-session` read in botocore exactly as intended; and a diff of the
file before and after shows only the intended lines."""
import difflib
import json
import shutil

import pytest
from botocore.configloader import load_config


def corpus(fixtures_dir):
    return sorted(fixtures_dir.glob("*.ini"))


def changed_lines(before: str, after: str):
    """(removed, added) lines of a diff."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    return ([l[2:] for l in diff if l.startswith("- ")], [l[2:] for l in diff if l.startswith("+ ")])


def test_config_show_json_equals_botocore_for_every_fixture(fixtures_dir, config_path, lanyard):
    accepted = refused = 0
    for ini in corpus(fixtures_dir):
        shutil.copyfile(ini, config_path)
        try:
            want = load_config(str(config_path))
        except Exception:
            proc = lanyard("config", "show", "--json", check=False)
            assert proc.returncode != 0, ini.name
            assert "line" in proc.stderr and proc.stdout == "", ini.name
            refused += 1
            continue
        got = json.loads(lanyard("config", "show", "--json").stdout)
        assert got == want, ini.name
        accepted += 1
    assert accepted == 15 and refused == 5


def test_profiles_set_is_read_by_botocore_and_changes_only_intended_lines(
        fixtures_dir, config_path, lanyard, botocore_reads):
    original = (fixtures_dir / "03-comments-and-blank-lines.ini").read_text()
    config_path.write_text(original)
    lanyard("profiles", "set", "dev", "region=us-west-2", "output=json",
            "s3.max_concurrent_requests=20")
    after = config_path.read_text()
    removed, added = changed_lines(original, after)
    assert removed == ["region = eu-west-1\n"]
    assert added == ["region = us-west-2\n", "output = json\n", "s3 =\n", "    max_concurrent_requests = 20\n"]
    seen = botocore_reads("dev")
    dev = seen["load_config"]["profiles"]["dev"]
    assert dev["region"] == "us-west-2" and dev["output"] == "json"
    assert dev["s3"] == {"max_concurrent_requests": "20"}
    assert seen["scoped"]["region"] == "us-west-2"
    assert seen["scoped"]["sso_role_name"] == "Developer"
    # Every other profile and session reads as before.
    before = load_config(str(fixtures_dir / "03-comments-and-blank-lines.ini"))
    assert seen["load_config"]["profiles"]["default"] == before["profiles"]["default"]
    assert seen["load_config"]["sso_sessions"] == before["sso_sessions"]


def test_set_then_unset_gives_back_the_original_bytes(fixtures_dir, config_path, lanyard):
    for name in ["03-comments-and-blank-lines.ini", "07-crlf-line-endings.ini", "08-no-trailing-newline.ini",
                 "05-nested-subsections-and-services.ini"]:
        original = (fixtures_dir / name).read_bytes()
        config_path.write_bytes(original)
        profile = json.loads(lanyard("profiles", "list", "--json").stdout)["profiles"][0]["name"]
        lanyard("profiles", "set", profile, "lanyard_generated=corp", "dynamodb.endpoint_url=http://localhost:8000")
        assert config_path.read_bytes() != original
        lanyard("profiles", "unset", profile, "lanyard_generated", "dynamodb.endpoint_url")
        assert config_path.read_bytes() == original, name


def test_new_profile_with_spaces_and_new_keys_in_crlf_file(fixtures_dir, config_path, lanyard, botocore_reads):
    original = (fixtures_dir / "07-crlf-line-endings.ini").read_bytes()
    config_path.write_bytes(original)
    lanyard("profiles", "set", "team alpha", "region=eu-central-1", "lanyard_generated=corp")
    after = config_path.read_bytes()
    assert after == original + b"[profile 'team alpha']\r\nregion = eu-central-1\r\nlanyard_generated = corp\r\n"
    seen = botocore_reads("team alpha")
    assert seen["scoped"]["region"] == "eu-central-1"
    listed = json.loads(lanyard("profiles", "list", "--json").stdout)["profiles"]
    team = next(p for p in listed if p["name"] == "team alpha")
    assert team == {"name": "team alpha", "kind": "other", "sso_session": None, "account_id": None,
                    "role_name": None, "region": "eu-central-1", "generated": "corp"}


def test_default_profile_is_written_as_default(config_path, lanyard, botocore_reads):
    lanyard("profiles", "set", "default", "region=us-east-1")
    assert config_path.read_text() == "[default]\nregion = us-east-1\n"
    assert botocore_reads("default")["scoped"]["region"] == "us-east-1"


def test_remove_and_rename_touch_only_their_sections(fixtures_dir, config_path, lanyard, botocore_reads):
    original = (fixtures_dir / "20-multiple-sessions-many-profiles.ini").read_text()
    config_path.write_text(original)
    lanyard("profiles", "rename", "corp-ro", "corp-readonly")
    removed, added = changed_lines(original, config_path.read_text())
    assert (removed, added) == (["[profile corp-ro]\n"], ["[profile corp-readonly]\n"])
    lanyard("profiles", "remove", "partner-dev")
    seen = botocore_reads("corp-readonly")["load_config"]
    assert "partner-dev" not in seen["profiles"] and "corp-ro" not in seen["profiles"]
    assert seen["profiles"]["corp-readonly"]["sso_role_name"] == "ReadOnlyAccess"
    before = load_config(str(fixtures_dir / "20-multiple-sessions-many-profiles.ini"))
    for keep in ["corp-admin", "assume-from-corp"]:
        assert seen["profiles"][keep] == before["profiles"][keep]
    assert lanyard("profiles", "rename", "corp-admin", "corp-readonly", check=False).returncode == 1


def test_configure_sso_session_creates_then_updates_in_place(fixtures_dir, config_path, lanyard, botocore_reads):
    original = (fixtures_dir / "02-legacy-sso-profile.ini").read_text()
    config_path.write_text(original)
    lanyard("configure", "sso-session", "--name", "corp", "--start-url", "https://d-1.awsapps.com/start",
            "--region", "us-east-1")
    created = config_path.read_text()
    assert created == original + ("[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\n"
                                  "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n")
    assert botocore_reads()["load_config"]["sso_sessions"]["corp"] == {
        "sso_start_url": "https://d-1.awsapps.com/start", "sso_region": "us-east-1",
        "sso_registration_scopes": "sso:account:access"}
    lanyard("configure", "sso-session", "--name", "corp", "--region", "eu-west-1")
    removed, added = changed_lines(created, config_path.read_text())
    assert (removed, added) == (["sso_region = us-east-1\n"], ["sso_region = eu-west-1\n"])


def test_configure_sso_session_without_a_terminal_says_what_is_missing(config_path, lanyard):
    proc = lanyard("configure", "sso-session", "--name", "corp", check=False, stdin="")
    assert proc.returncode != 0
    assert "--start-url" in proc.stderr and "--region" in proc.stderr and "terminal" in proc.stderr
    assert not config_path.exists()


def test_values_with_line_breaks_are_refused_and_nothing_is_written(fixtures_dir, config_path, lanyard):
    original = (fixtures_dir / "03-comments-and-blank-lines.ini").read_bytes()
    config_path.write_bytes(original)
    proc = lanyard("profiles", "set", "dev", "region=us-east-1\n[profile evil]", check=False)
    assert proc.returncode != 0 and "line break" in proc.stderr
    assert config_path.read_bytes() == original


def test_edits_of_a_file_botocore_refuses_exit_non_zero_naming_the_line(fixtures_dir, config_path, lanyard):
    original = (fixtures_dir / "13-duplicate-section-is-error.ini").read_bytes()
    config_path.write_bytes(original)
    proc = lanyard("profiles", "set", "other", "output=json", check=False)
    assert proc.returncode == 1
    assert "line 5" in proc.stderr
    assert config_path.read_bytes() == original


def test_config_check_json_and_exit_codes(fixtures_dir, config_path, lanyard):
    shutil.copyfile(fixtures_dir / "10-tabs-case-and-equals-in-values.ini", config_path)
    proc = lanyard("config", "check", "--json", check=False)
    # Issue 20: the indented line makes region "us-east-1\ncredential_process = ...", a region
    # botocore refuses (InvalidRegionError): an error, so exit 1.
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)["findings"]
    assert [(f["code"], f["line"]) for f in findings if f["severity"] == "error"] == [
        ("invalid_region", 2)]
    f = next(f for f in findings if f["code"] == "indented_key_in_value")
    assert f == {"code": "indented_key_in_value", "severity": "warning", "file": str(config_path), "line": 3,
                 "section": "profile Tools", "key": "region", "message": f["message"]}
    shutil.copyfile(fixtures_dir / "14-duplicate-key-is-error.ini", config_path)
    proc = lanyard("config", "check", "--json", check=False)
    assert proc.returncode == 1
    assert [(f["code"], f["line"], f["severity"]) for f in json.loads(proc.stdout)["findings"]] == [
        ("duplicate_key", 3, "error")]


def test_restore_puts_back_the_previous_version(fixtures_dir, config_path, lanyard):
    original = (fixtures_dir / "03-comments-and-blank-lines.ini").read_bytes()
    config_path.write_bytes(original)
    lanyard("profiles", "set", "dev", "region=us-west-2")
    lanyard("profiles", "remove", "default")
    lanyard("config", "restore", "2")
    assert config_path.read_bytes() == original
