"""Issue 19, "Nothing lost, ever": Lanyard among other writers of ~/.aws/config — a writer that
truncates, pauses and writes (as the AWS CLI's ConfigFileWriter does), the real AWS CLI v1
(`aws configure set`, which writes in place), and other Lanyard processes at once. Every
section the file had, every other writer's change and every Lanyard edit that reported success
must be in the file at the end; nothing is refused for mere overlap."""
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from testlib import binary

SEED = """\
# My own config, with a comment that must survive.
[sso-session corp]
sso_start_url = https://d-1111111111.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Dev
region = us-east-1

[default]
region = us-west-2
"""

SEED_SECTIONS = ["[sso-session corp]", "[profile dev]", "[default]"]


def sections(text: str) -> set:
    return {line.strip() for line in text.splitlines() if line.strip().startswith("[")}


@pytest.fixture
def config(sandbox_env) -> Path:
    p = Path(sandbox_env["AWS_CONFIG_FILE"])
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(SEED)
    old = time.time() - 3600
    os.utime(p, (old, old))
    return p


def lanyard_set(env, profile, *kv, timeout=60):
    return subprocess.run([str(binary("lanyard")), "profiles", "set", profile, *kv], env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_truncate_pause_write_writer_racing_profiles_set_50_rounds(sandbox_env, config):
    """The AWS CLI's way of writing, slowed down: read, truncate, pause, write. Lanyard runs in
    the pause. Before issue 19 Lanyard took the empty moment for the file and wiped it."""
    rng = random.Random(19)
    pauses = [0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2]
    lanyard_ok = []
    for i in range(50):
        pause = pauses[i % len(pauses)]
        truncated = threading.Event()

        def writer():
            text = config.read_text()
            with open(config, "w") as f:  # truncates: the in-place writer's empty moment
                f.flush()
                truncated.set()
                time.sleep(pause)
                f.write(text + f"\n[profile w{i}]\nregion = eu-central-1\n")

        t = threading.Thread(target=writer)
        t.start()
        truncated.wait(5)
        time.sleep(pause * rng.random() * 0.8)
        proc = lanyard_set(sandbox_env, f"l{i}", "region=ap-south-1")
        t.join()
        if proc.returncode == 0:
            lanyard_ok.append(i)
        else:
            assert "file_busy" in proc.stderr or "being written" in proc.stderr, proc.stderr
        text = config.read_text()
        have = sections(text)
        for s in SEED_SECTIONS:
            assert s in have, f"round {i} (pause {pause}s): {s} lost:\n{text}"
        assert "# My own config" in text
        for j in range(i + 1):
            assert f"[profile w{j}]" in have, f"round {i}: the other writer's w{j} lost:\n{text}"
        for j in lanyard_ok:
            assert f"[profile l{j}]" in have, f"round {i}: Lanyard's l{j} reported success but is missing"
    assert len(lanyard_ok) >= 45, f"Lanyard refused {50 - len(lanyard_ok)} of 50 rounds"


def test_real_aws_cli_writer_beside_lanyard_for_60_seconds(sandbox_env, config):
    """`aws configure set` (AWS CLI v1 from PyPI, in place like v2) in a loop beside
    `lanyard profiles set` in a loop: no section lost, every edit of either that reported
    success present."""
    aws = Path(sys.executable).parent / "aws"
    assert aws.exists(), "the AWS CLI v1 is installed in tests/.venv (tests/requirements.txt)"
    seconds = float(os.environ.get("LANYARD_WRITERS_SECONDS", "60"))
    deadline = time.monotonic() + seconds
    cli_ok, lanyard_ok, failures = [], [], []

    def cli_loop():
        j = 0
        while time.monotonic() < deadline:
            p = subprocess.run([str(aws), "configure", "set", f"profile.cli{j}.region", "eu-west-3"],
                               env=sandbox_env, capture_output=True, text=True, timeout=60)
            (cli_ok if p.returncode == 0 else failures).append(("cli", j, p.stderr))
            j += 1

    def lanyard_loop():
        i = 0
        while time.monotonic() < deadline:
            p = lanyard_set(sandbox_env, f"lan{i}", "region=ap-south-1")
            (lanyard_ok if p.returncode == 0 else failures).append(("lanyard", i, p.stderr))
            i += 1

    threads = [threading.Thread(target=cli_loop), threading.Thread(target=lanyard_loop)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    text = config.read_text()
    have = sections(text)
    assert not failures, failures[:3]
    for s in SEED_SECTIONS:
        assert s in have, f"{s} lost"
    lost_lanyard = [i for _, i, _ in lanyard_ok if f"[profile lan{i}]" not in have]
    lost_cli = [j for _, j, _ in cli_ok if f"[profile cli{j}]" not in have]
    assert not lost_lanyard, f"Lanyard edits that reported success are missing: {lost_lanyard}"
    assert not lost_cli, f"AWS CLI edits are missing: {lost_cli}"
    assert len(lanyard_ok) > 20 and len(cli_ok) > 20, (len(lanyard_ok), len(cli_ok))


@pytest.mark.parametrize("writers", [2, 5])
def test_lanyard_processes_editing_different_profiles_at_once_lose_and_refuse_nothing(
        sandbox_env, config, writers):
    """Before issue 19, two `profiles set` started together lost an edit in 13 of 50 rounds."""
    for r in range(50):
        procs = [subprocess.Popen([str(binary("lanyard")), "profiles", "set", f"p{r}-{k}",
                                   f"region=us-east-{1 + k % 2}"], env=sandbox_env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for k in range(writers)]
        for p in procs:
            _, err = p.communicate(timeout=60)
            assert p.returncode == 0, f"round {r}: refused: {err}"
    have = sections(config.read_text())
    missing = [f"p{r}-{k}" for r in range(50) for k in range(writers)
               if f"[profile p{r}-{k}]" not in have]
    assert not missing, f"lost: {missing}"
    for s in SEED_SECTIONS:
        assert s in have


def test_a_file_that_keeps_changing_is_refused_clearly_and_left_alone(sandbox_env, config):
    stop = threading.Event()

    def churn():
        n = 0
        while not stop.is_set():
            n += 1
            config.write_text(SEED + f"# churn {n}\n")
            time.sleep(0.05)

    t = threading.Thread(target=churn)
    t.start()
    try:
        proc = lanyard_set(sandbox_env, "busy", "region=us-east-1")
    finally:
        stop.set()
        t.join()
    assert proc.returncode != 0
    assert "being written by another program" in proc.stderr
    assert str(config) in proc.stderr
    assert "[profile busy]" not in config.read_text()


def test_no_temp_file_or_lock_is_left_in_the_aws_folder(sandbox_env, config):
    assert lanyard_set(sandbox_env, "a", "region=us-east-1").returncode == 0
    assert sorted(p.name for p in config.parent.iterdir()) == ["config"]


def test_a_temp_file_a_killed_save_left_is_gone_after_the_next_run(sandbox_env, config):
    """SIGKILL mid-save leaves `.config.lanyard-PID-N.tmp` in ~/.aws; the next `lanyard` run
    (any command but the credential hot path) removes it when no writer is at work."""
    stale = config.parent / ".config.lanyard-99999-0.tmp"
    stale.write_text("[profile half")
    other = config.parent / "notes.txt"
    other.write_text("mine")
    r = subprocess.run([str(binary("lanyard")), "profiles", "list"], env=sandbox_env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert not stale.exists()
    assert other.read_text() == "mine"
