"""Shared fixtures for every cross-language test: a sandbox HOME and environment, and the
shared fixture corpus. Plain helpers (where the built binaries are) live in testlib.py.

Each area keeps its own fixtures in its folder's conftest.py (tests/emulator/, tests/config/, ...).
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

from emulator_support import Emulator, read_first_line
from sandbox_support import CONFIG, Sandbox
from testlib import binary, shared_dir


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fresh, empty HOME for one test."""
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def sandbox_env(home: Path) -> dict:
    """An environment for running our binaries and botocore against the sandbox HOME only:
    nothing of the real ~/.aws, no proxy, no AWS variables inherited from the caller."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "LANYARD_", "XDG_"))
           and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["HOME"] = str(home)
    env["AWS_CONFIG_FILE"] = str(home / ".aws" / "config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(home / ".aws" / "credentials")
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


@pytest.fixture
def fixtures_dir() -> Path:
    """shared/fixtures/aws-config: botocore's own reading of each config file."""
    return shared_dir() / "fixtures" / "aws-config"


@pytest.fixture
def start_emulator(sandbox_env, tmp_path):
    """start(*flags) -> Emulator; every emulator started is killed at teardown."""
    procs = []

    def start(*flags, expect_line=True):
        log = tmp_path / f"emulator-{len(procs)}.log"
        proc = subprocess.Popen([str(binary("idc-emulator")), "--port", "0", *map(str, flags)],
                                stdout=subprocess.PIPE, stderr=open(log, "wb"),
                                env=sandbox_env)
        procs.append(proc)
        line = read_first_line(proc)
        if not expect_line:
            return proc, line
        assert line, f"no listening line; log:\n{log.read_text()}"
        info = json.loads(line)
        assert info["listening"].startswith(("http://127.0.0.1:", "https://127.0.0.1:")), info
        return Emulator(proc, info["listening"], info.get("ca"), log)

    yield start
    for p in procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if p.stdout:
            p.stdout.close()


@pytest.fixture
def emulator(start_emulator):
    return start_emulator()


@pytest.fixture
def sandbox(start_emulator, sandbox_env, home, tmp_path):
    """sandbox(*emulator_flags) -> Sandbox with the config written and the emulator running."""
    def make(*flags):
        emu = start_emulator(*flags)
        (home / ".aws").mkdir(exist_ok=True)
        (home / ".aws" / "config").write_text(CONFIG)
        env = emu.env(sandbox_env)
        env["LANYARD_LOG"] = "trace"
        return Sandbox(emu, env, home, tmp_path)
    return make
