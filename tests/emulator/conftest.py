"""Fixtures for the idc-emulator tests: start the built binary on a free 127.0.0.1 port (first
stdout line gives the URL), kill it at teardown, and point botocore at it through the endpoint
variables of a sandboxed environment."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from emulator_support import REGION, Emulator, read_first_line

from testlib import binary


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
def aws_env(monkeypatch, sandbox_env):
    """Make this process's environment the sandbox one (no real ~/.aws, no AWS_* variables).
    Returns a function that adds an emulator's endpoint variables."""
    for k in list(os.environ):
        if k.startswith("AWS_") or k.lower() in ("http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.delenv(k)
    for k, v in sandbox_env.items():
        monkeypatch.setenv(k, v)

    def point_at(emu):
        for k, v in emu.env({}).items():
            monkeypatch.setenv(k, v)
        return emu

    return point_at


@pytest.fixture
def clients(aws_env):
    """clients(emu) -> (sso-oidc client, sso client) built by a fresh botocore session that finds
    the emulator only through AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL_SSO."""
    import botocore.session
    from botocore import UNSIGNED
    from botocore.config import Config

    def make(emu, **config):
        aws_env(emu)
        session = botocore.session.get_session()
        cfg = Config(signature_version=UNSIGNED, region_name=REGION, **config)
        return (session.create_client("sso-oidc", config=cfg),
                session.create_client("sso", config=cfg))

    return make
