"""`lanyard populate` and `lanyard accounts list` against idc-emulator, read back by botocore
(issue 8): one profile per account x role under one shared rate limit, prune, remove,
idempotence, the accounts JSON, and bad input that writes nothing."""
import json
import os
import pty
import re
import select
import subprocess
import time

import pytest

from emulator_support import http
from sandbox_support import CONFIG
from testlib import binary

MARKER = "lanyard_generated = corp"


def signed_in(sb):
    sb.browser("follow")
    sb.lanyard("login", "--sso-session", "corp")
    return sb


def config_text(sb):
    return (sb.home / ".aws" / "config").read_text()


def backups(sb):
    """The rotation of backups (the last good version, kept apart since issue 19, aside)."""
    d = sb.home / ".local" / "share" / "lanyard" / "backups"
    return sorted(p.name for p in d.iterdir() if not p.name.endswith("-last-good.bak")) \
        if d.is_dir() else []


def portal_lists(sb):
    """Every (account id, account name, role) the emulator gives the signed-in user, read
    straight from the portal API (not through Lanyard)."""
    headers = {"x-amz-sso_bearer_token": sb.token()["accessToken"]}
    out, token = [], None
    while True:
        q = "max_result=100" + (f"&next_token={token}" if token else "")
        _, _, body = http("GET", f"{sb.emu.url}/assignment/accounts?{q}", headers=headers)
        page = json.loads(body)
        for a in page["accountList"]:
            _, _, rb = http("GET", f"{sb.emu.url}/assignment/roles?account_id={a['accountId']}"
                                  "&max_result=100", headers=headers)
            for r in json.loads(rb)["roleList"]:
                out.append((a["accountId"], a["accountName"], r["roleName"]))
        token = page.get("nextToken")
        if not token:
            return out


def botocore_profiles(sb):
    """The profiles botocore reads from the sandbox config."""
    return sb.python("""
import json, botocore.session
print(json.dumps(botocore.session.Session().full_config["profiles"]))
""")


def generated(profiles):
    return {n: p for n, p in profiles.items() if p.get("lanyard_generated") == "corp"}


def test_populate_1000_accounts_x_3_roles_at_20_per_second(sandbox):
    sb = signed_in(sandbox("--auto-approve", "--accounts", 1000, "--roles-per-account", 3,
                           "--rate-limit", 20, "--latency-ms", 50))
    settings = sb.home / ".config" / "lanyard" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("portal_rate_limit = 20\n")
    start = time.monotonic()
    r = sb.lanyard("populate", "--sso-session", "corp", "--yes", timeout=240)
    elapsed = time.monotonic() - start
    state = sb.emu.state()
    calls = state["calls"]["ListAccounts"] + state["calls"]["ListAccountRoles"]
    throttled = state["responses"].get("429", 0)
    failed = sum(v for k, v in state["responses"].items() if k.startswith("5"))
    # 10 pages of accounts + 1,000 role lists; every refused call was sent again.
    assert state["calls"]["ListAccounts"] >= 10
    assert calls == 1010 + throttled + failed, state
    assert throttled < 0.01 * calls, state
    assert f"({calls} portal calls, {throttled + failed} retried)" in r.stderr, r.stderr
    # Bounded below by 1,010 calls / 20 per s; well under twice that.
    assert 1010 / 20 - 1 < elapsed < 2 * 1010 / 20, elapsed

    profiles = botocore_profiles(sb)
    gen = generated(profiles)
    assert len(gen) == 3000
    listed = json.loads(sb.lanyard("accounts", "list", "--sso-session", "corp", "--json").stdout)
    want = {(a["account_id"], role): f"{a['account_name']}.{role}"
            for a in listed["accounts"] for role in a["roles"]}
    assert len(want) == 3000 and len(listed["accounts"]) == 1000
    got = {(p["sso_account_id"], p["sso_role_name"]): n for n, p in gen.items()}
    assert got == want
    for p in gen.values():
        assert p["sso_session"] == "corp" and set(p) == {
            "sso_session", "sso_account_id", "sso_role_name", "lanyard_generated"}
    # The hand-made profiles are as they were, and a generated one really works in boto3.
    assert profiles["dev"] == {"sso_session": "corp", "region": "us-east-1"}
    assert config_text(sb).startswith(CONFIG)
    name = sorted(gen)[0]
    ident = sb.python(f"""
import json, boto3
print(json.dumps(boto3.Session(profile_name={name!r}).client("sts").get_caller_identity()))
""")
    assert ident["Account"] == gen[name]["sso_account_id"]


def test_populate_against_a_portal_slower_than_its_rate_limit_retries_every_429(sandbox):
    """Issue 8 (in the 1,000 x 3 run the portal never refused a call): Lanyard's limit set to
    twice what the portal allows, so the portal answers many calls 429; every one is sent again
    after a backoff and the profiles come out complete and exact."""
    sb = signed_in(sandbox("--auto-approve", "--accounts", 120, "--roles-per-account", 2,
                           "--rate-limit", 10))
    settings = sb.home / ".config" / "lanyard" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text("portal_rate_limit = 20\n")
    r = sb.lanyard("populate", "--sso-session", "corp", "--yes", timeout=240)
    state = sb.emu.state()
    calls = state["calls"]["ListAccounts"] + state["calls"]["ListAccountRoles"]
    throttled = state["responses"].get("429", 0)
    failed = sum(v for k, v in state["responses"].items() if k.startswith("5"))
    assert throttled >= 10, state
    # Every call answered 429 was sent again: the calls that succeeded are exactly the
    # listing's, 2 pages of accounts and 120 role lists.
    assert calls == 2 + 120 + throttled + failed, state
    listed = json.loads(sb.lanyard("accounts", "list", "--sso-session", "corp", "--json").stdout)
    assert len(listed["accounts"]) == 120
    assert f"({calls} portal calls, {throttled + failed} retried)" in r.stderr, r.stderr
    gen = generated(botocore_profiles(sb))
    want = {(a["account_id"], role): f"{a['account_name']}.{role}"
            for a in listed["accounts"] for role in a["roles"]}
    assert len(want) == 240
    assert {(p["sso_account_id"], p["sso_role_name"]): n for n, p in gen.items()} == want


def test_generated_profiles_follow_the_cli_key_order_and_the_portal(sandbox):
    sb = signed_in(sandbox("--auto-approve", "--accounts", 4, "--roles-per-account", 2))
    sb.lanyard("populate", "--sso-session", "corp", "--region", "eu-west-1", "--output", "json",
               "--yes")
    text = config_text(sb)
    assert text.startswith(CONFIG), "appended after the hand-made file, untouched"
    blocks = re.findall(r"^\[profile ([^\]]+)\]\n((?:[^\[].*\n)*)", text[len(CONFIG):], re.M)
    assert len(blocks) == 8
    for name, body in blocks:
        keys = [line.split(" = ")[0] for line in body.splitlines()]
        assert keys == ["sso_session", "sso_account_id", "sso_role_name", "region", "output",
                        "lanyard_generated"], (name, body)
    gen = generated(botocore_profiles(sb))
    assert {(p["sso_account_id"], p["sso_role_name"]) for p in gen.values()} == \
        {(a, r) for a, _, r in portal_lists(sb)}
    assert all(p["region"] == "eu-west-1" and p["output"] == "json" for p in gen.values())


def test_a_second_run_with_nothing_changed_writes_nothing(sandbox):
    sb = signed_in(sandbox("--auto-approve", "--accounts", 5, "--roles-per-account", 2))
    sb.lanyard("populate", "--sso-session", "corp", "--yes")
    path = sb.home / ".aws" / "config"
    before, mtime, saved = path.read_bytes(), path.stat().st_mtime_ns, backups(sb)
    assert len(saved) == 1
    r = sb.lanyard("populate", "--sso-session", "corp", "--yes")
    assert "10 already up to date" in r.stderr and "Nothing to change" in r.stderr, r.stderr
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime
    assert backups(sb) == saved, "no backup made when nothing is written"


def test_prune_removes_profiles_whose_account_or_role_is_gone(sandbox):
    sb = signed_in(sandbox("--auto-approve", "--accounts", 6, "--roles-per-account", 2))
    sb.lanyard("populate", "--sso-session", "corp", "--yes")
    lists = portal_lists(sb)
    (gone_account, gone_name, _), (partial, partial_name, lost_role) = lists[0], lists[4]
    assert gone_account != partial
    sb.emu.admin("POST", "assignments", {"remove": [
        {"account_id": gone_account},
        {"account_id": partial, "role_name": lost_role}]})
    # Without --prune nothing is removed (and the person is told).
    before = config_text(sb)
    r = sb.lanyard("populate", "--sso-session", "corp", "--yes")
    assert "--prune" in r.stderr and "3 profiles generated for corp no longer wanted" in r.stderr, \
        r.stderr
    assert config_text(sb) == before
    r = sb.lanyard("populate", "--sso-session", "corp", "--prune", "--yes")
    assert "remove 3 profiles" in r.stderr, r.stderr
    profiles = botocore_profiles(sb)
    gen = generated(profiles)
    assert len(gen) == 12 - 3
    pairs = {(p["sso_account_id"], p["sso_role_name"]) for p in gen.values()}
    assert not any(a == gone_account for a, _ in pairs)
    assert (partial, lost_role) not in pairs
    assert pairs == {(a, r) for a, _, r in portal_lists(sb)}
    assert "dev" in profiles and "legacy" in profiles
    assert config_text(sb).startswith(CONFIG)


def test_remove_takes_every_generated_profile_and_leaves_the_file_as_it_was(sandbox):
    sb = signed_in(sandbox("--auto-approve", "--accounts", 3, "--roles-per-account", 2))
    path = sb.home / ".aws" / "config"
    # A profile generated for another session is not ours to remove.
    path.write_text(CONFIG + "[profile other.x]\nlanyard_generated = other\n")
    original = path.read_bytes()
    sb.lanyard("populate", "--sso-session", "corp", "--yes")
    assert len(generated(botocore_profiles(sb))) == 6
    calls = sb.emu.state()["calls"]["ListAccounts"]
    r = sb.lanyard("populate", "--sso-session", "corp", "--remove", "--yes")
    assert "remove 6 profiles" in r.stderr, r.stderr
    assert path.read_bytes() == original
    assert sb.emu.state()["calls"]["ListAccounts"] == calls, "--remove needs no portal call"
    r = sb.lanyard("populate", "--sso-session", "corp", "--remove", "--yes")
    assert "Nothing to change" in r.stderr


def test_dry_run_prints_the_unified_diff_and_writes_nothing(sandbox, tmp_path):
    sb = signed_in(sandbox("--auto-approve", "--accounts", 3, "--roles-per-account", 2))
    path = sb.home / ".aws" / "config"
    before = path.read_bytes()
    r = sb.lanyard("populate", "--sso-session", "corp", "--dry-run")
    assert path.read_bytes() == before and backups(sb) == []
    diff = r.stdout
    assert diff.startswith(f"--- {path}\n+++ {path}\n@@ "), diff
    assert diff.count("\n+[profile ") == 6
    # The diff is exact: applied to the old file it gives what a real run writes.
    copy = tmp_path / "copy"
    copy.write_bytes(before)
    subprocess.run(["patch", "-s", str(copy)], input=diff + "\n", text=True, check=True)
    sb.lanyard("populate", "--sso-session", "corp", "--yes")
    assert copy.read_bytes() == path.read_bytes()


def test_accounts_list_json_has_the_documented_shape_and_uses_the_cache(sandbox):
    sb = signed_in(sandbox("--auto-approve", "--accounts", 4, "--roles-per-account", 3))
    out = json.loads(sb.lanyard("accounts", "list", "--sso-session", "corp", "--json").stdout)
    assert list(out) == ["sso_session", "fetched_at", "accounts"]
    assert out["sso_session"] == "corp"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", out["fetched_at"])
    for a in out["accounts"]:
        assert list(a) == ["account_id", "account_name", "email", "roles"]
        assert re.fullmatch(r"\d{12}", a["account_id"])
        assert all(isinstance(r, str) for r in a["roles"]) and len(a["roles"]) == 3
    assert {(a["account_id"], a["account_name"], r) for a in out["accounts"] for r in a["roles"]} \
        == set(portal_lists(sb))
    # From the cache: no portal call, same answer. --refresh fetches again.
    calls = sb.emu.state()["calls"]["ListAccounts"]
    again = json.loads(sb.lanyard("accounts", "list", "--json").stdout)
    assert again == out and sb.emu.state()["calls"]["ListAccounts"] == calls
    sb.lanyard("accounts", "list", "--refresh", "--json")
    assert sb.emu.state()["calls"]["ListAccounts"] == calls + 1
    text = sb.lanyard("accounts", "list").stdout
    assert text.splitlines()[0].split() == ["ACCOUNT", "ID", "NAME", "EMAIL", "ROLES"]
    assert len(text.splitlines()) == 5


@pytest.mark.parametrize("args, message", [
    (["--sso-session", "nope"], 'The specified sso-session does not exist: "nope"'),
    (["--sso-session", "corp", "--template", "{account}.{role_name}"],
     "unknown field {account}"),
    (["--sso-session", "corp", "--template", "{role_name"], "unmatched {"),
    (["--sso-session", "corp", "--template", "***"],
     'gives the name "---" for account'),
    (["--sso-session", "corp", "--template", "{account_name}"],
     "gives the same name"),
])
def test_bad_input_is_named_and_nothing_is_written(sandbox, args, message):
    sb = signed_in(sandbox("--auto-approve", "--accounts", 2, "--roles-per-account", 2))
    before = config_text(sb)
    r = sb.lanyard("populate", *args, "--yes", check=False)
    assert r.returncode == 1, r.stderr
    assert message in r.stderr, r.stderr
    assert config_text(sb) == before and backups(sb) == []


def test_a_hand_made_profile_keeps_its_name_and_when_both_names_are_taken_nothing_is_written(
        sandbox):
    sb = signed_in(sandbox("--auto-approve", "--accounts", 2, "--roles-per-account", 1))
    account, name, role = portal_lists(sb)[0]
    path = sb.home / ".aws" / "config"
    mine = f"[profile {name}.{role}]\nregion = ap-south-1\n"
    path.write_text(CONFIG + mine)
    r = sb.lanyard("populate", "--sso-session", "corp", "--yes")
    assert "taken by profiles not generated" in r.stderr, r.stderr
    profiles = botocore_profiles(sb)
    assert profiles[f"{name}.{role}"] == {"region": "ap-south-1"}, "never overwritten"
    assert profiles[f"{name}.{role}-{account}"]["sso_account_id"] == account
    # Both the name and the name with the account id are the person's: a clear error.
    path.write_text(CONFIG + mine + f"[profile {name}.{role}-{account}]\nregion = x\n")
    before = path.read_bytes()
    r = sb.lanyard("populate", "--sso-session", "corp", "--yes", check=False)
    assert r.returncode == 1
    assert f'profile "{name}.{role}-{account}"' in r.stderr and "never overwrites" in r.stderr, \
        r.stderr
    assert path.read_bytes() == before


def test_without_a_terminal_yes_is_required_and_signed_out_says_how_to_sign_in(sandbox):
    sb = sandbox("--auto-approve", "--accounts", 2, "--roles-per-account", 1)
    before = config_text(sb)
    r = sb.lanyard("populate", "--sso-session", "corp", "--yes", check=False)
    assert r.returncode == 1 and "lanyard login --sso-session corp" in r.stderr, r.stderr
    signed_in(sb)
    r = sb.lanyard("populate", "--sso-session", "corp", check=False)
    assert r.returncode == 1 and "--yes" in r.stderr and "nothing written" in r.stderr, r.stderr
    assert config_text(sb) == before and backups(sb) == []


def run_on_terminal(sb, args, answer):
    """Runs lanyard with stdin and stderr on a pseudo-terminal, answering the prompt; returns
    (exit code, what the terminal showed)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([str(binary("lanyard")), *args], env=sb.env, stdin=follower,
                            stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown, answered = b"", False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        if not answered and b"[y/N]" in shown:
            os.write(leader, answer)
            answered = True
        if proc.poll() is not None and not ready:
            break
    proc.wait(10)
    os.close(leader)
    return proc.returncode, shown.decode(errors="replace")


def test_on_a_terminal_it_shows_progress_and_the_summary_and_asks_first(sandbox):
    sb = signed_in(sandbox("--auto-approve", "--accounts", 30, "--roles-per-account", 2,
                           "--latency-ms", 20))
    before = config_text(sb)
    code, shown = run_on_terminal(sb, ["populate", "--sso-session", "corp"], b"n\n")
    assert code == 1 and "Nothing written" in shown, shown
    assert re.search(r"Listing roles \[#+\] 30/30 accounts", shown), shown
    assert "Populate corp: add 60 profiles." in shown and "[y/N]" in shown
    assert config_text(sb) == before
    code, shown = run_on_terminal(sb, ["populate", "--sso-session", "corp"], b"y\n")
    assert code == 0, shown
    assert len(generated(botocore_profiles(sb))) == 60


def test_a_default_switched_to_a_generated_profile_survives_prune_and_remove(sandbox):
    """Issue 11: the mirrored default is never removed by populate's prune (or --remove)."""
    sb = signed_in(sandbox("--auto-approve", "--accounts", 3, "--roles-per-account", 1))
    sb.lanyard("populate", "--sso-session", "corp", "--yes")
    chosen = sorted(generated(botocore_profiles(sb)))[0]
    account = botocore_profiles(sb)[chosen]["sso_account_id"]
    sb.lanyard("profiles", "use", chosen)
    sb.emu.admin("POST", "assignments", {"remove": [{"account_id": account}]})
    r = sb.lanyard("populate", "--sso-session", "corp", "--prune", "--yes")
    assert "remove 1 profile" in r.stderr, r.stderr
    profiles = botocore_profiles(sb)
    assert chosen not in profiles
    assert profiles["default"]["lanyard_mirrors"] == chosen
    assert profiles["default"]["sso_account_id"] == account
    sb.lanyard("populate", "--sso-session", "corp", "--remove", "--yes")
    assert botocore_profiles(sb)["default"]["lanyard_mirrors"] == chosen
    sb.lanyard("profiles", "use", "--restore")
    assert config_text(sb) == CONFIG
