"""Fixtures for the idc-emulator tests: point botocore at an emulator (started by the shared
`start_emulator` / `emulator` fixtures of tests/conftest.py) through the endpoint variables of a
sandboxed environment."""
import os

import pytest

from emulator_support import REGION


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
