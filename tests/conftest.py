"""Shared fixtures for every cross-language test: where the built binaries are, and a sandbox HOME.

Each area keeps its own fixtures in its folder's conftest.py (tests/emulator/, tests/config/, ...).
Binaries are the debug builds `make test` produced; set LANYARD_TARGET_DIR to use another
target folder.
"""
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def target_dir() -> Path:
    return Path(os.environ.get("LANYARD_TARGET_DIR", REPO / "target" / "debug"))


def binary(name: str) -> Path:
    """Absolute path of a built binary; fails the test clearly when it was not built."""
    path = target_dir() / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make build` (or `cargo build --workspace`) first")
    return path


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
           if not k.startswith(("AWS_", "LANYARD_", "XDG_")) and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["HOME"] = str(home)
    env["AWS_CONFIG_FILE"] = str(home / ".aws" / "config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(home / ".aws" / "credentials")
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


@pytest.fixture
def fixtures_dir() -> Path:
    d = SHARED / "fixtures" / "aws-config"
    if not d.is_dir():
        pytest.fail(f"{d} is missing: the shared/ folder must sit beside the checkout")
    return d
