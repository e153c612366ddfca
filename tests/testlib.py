"""Plain helpers shared by every test folder (importable as `testlib`: pytest puts tests/ on
sys.path when it loads tests/conftest.py). Fixtures stay in the conftest files."""
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def target_dir() -> Path:
    """The folder of the built binaries: LANYARD_TARGET_DIR, else target/debug."""
    return Path(os.environ.get("LANYARD_TARGET_DIR", REPO / "target" / "debug"))


def binary(name: str) -> Path:
    """Absolute path of a built binary; fails the test clearly when it was not built."""
    path = target_dir() / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make build` (or `cargo build --workspace`) first")
    return path


def shared_dir() -> Path:
    """The project's shared/ folder: $LANYARD_SHARED_DIR, else beside the checkout or beside
    any folder above it (a git worktree lives deeper than the main checkout)."""
    candidates = []
    if os.environ.get("LANYARD_SHARED_DIR"):
        candidates.append(Path(os.environ["LANYARD_SHARED_DIR"]))
    candidates += [p / "shared" for p in REPO.parents]
    for c in candidates:
        if (c / "fixtures" / "aws-config").is_dir():
            return c
    pytest.fail("shared/ (with fixtures/aws-config) not found beside or above the checkout")


def run_lanyard(env, *args, check=True):
    """Runs the built `lanyard` CLI with env; with check, a non-zero exit fails the test."""
    import subprocess
    r = subprocess.run([str(binary("lanyard")), *args], env=env, capture_output=True, text=True,
                       timeout=60)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def run_aws(env, *args):
    """Runs the AWS CLI v1 of the test venv (its `aws configure set` writes in place, as v2)."""
    import subprocess
    import sys
    subprocess.run([str(Path(sys.executable).parent / "aws"), *args], env=env, check=True,
                   capture_output=True, timeout=60)
