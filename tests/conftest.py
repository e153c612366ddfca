"""Shared fixtures for every cross-language test: a sandbox HOME and environment, and the
shared fixture corpus. Plain helpers (where the built binaries are) live in testlib.py.

Each area keeps its own fixtures in its folder's conftest.py (tests/emulator/, tests/config/, ...).
"""
import os
from pathlib import Path

import pytest

from testlib import shared_dir


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
