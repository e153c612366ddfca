"""Fixtures for the config-engine interop tests: the corpus (found beside or above the
checkout), a sandbox config file, and helpers that run `lanyard` and botocore on it."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from testlib import binary

HERE = Path(__file__).resolve()


@pytest.fixture
def config_path(sandbox_env) -> Path:
    p = Path(sandbox_env["AWS_CONFIG_FILE"])
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


@pytest.fixture
def lanyard(sandbox_env):
    def run(*args, check=True, stdin=None):
        proc = subprocess.run([str(binary("lanyard")), *args], env=sandbox_env, capture_output=True,
                              text=True, input=stdin, timeout=60)
        if check and proc.returncode != 0:
            pytest.fail(f"lanyard {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
        return proc
    return run


@pytest.fixture
def botocore_reads(sandbox_env, config_path):
    """botocore's view of the sandbox config, in a clean process with the sandbox environment
    (so nothing of the caller's ~/.aws leaks in)."""
    def read(profile=None):
        code = (
            "import json, sys\n"
            "from botocore.configloader import load_config\n"
            "import botocore.session\n"
            "out = {'load_config': load_config(sys.argv[1])}\n"
            "if len(sys.argv) > 2:\n"
            "    out['scoped'] = botocore.session.Session(profile=sys.argv[2]).get_scoped_config()\n"
            "print(json.dumps(out))\n"
        )
        args = ["python", "-c", code, str(config_path)] + ([profile] if profile else [])
        import sys
        args[0] = sys.executable
        proc = subprocess.run(args, env=sandbox_env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)
    return read
