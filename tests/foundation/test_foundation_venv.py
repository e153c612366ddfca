"""The interop oracle is in place: tests/.venv has the pinned botocore and boto3."""
import sys
from pathlib import Path

import botocore
import boto3
import botocore.configloader

REPO = Path(__file__).resolve().parents[2]


def test_botocore_comes_from_the_test_venv_and_is_the_pinned_version():
    venv = (REPO / "tests" / ".venv").resolve()
    assert Path(sys.prefix).resolve() == venv, f"pytest runs outside tests/.venv: {sys.prefix}"
    assert Path(botocore.__file__).resolve().is_relative_to(venv)
    pinned = (REPO / "tests" / "requirements.txt").read_text()
    assert f"botocore=={botocore.__version__}" in pinned
    print(f"botocore {botocore.__version__}, boto3 {boto3.__version__}")


def test_botocore_reads_a_shared_fixture_as_recorded(fixtures_dir):
    import json
    ini = fixtures_dir / "01-cli-written-sso-session.ini"
    recorded = json.loads((fixtures_dir / "01-cli-written-sso-session.botocore.json").read_text())
    assert botocore.configloader.load_config(str(ini)) == recorded["ok"]
