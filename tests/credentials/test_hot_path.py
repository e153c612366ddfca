"""Issue 21: `lanyard credentials` on a warm cache — every `credential_process` call — reads the
config and one cache file and prints: no log file is opened when nothing is logged."""
import json
import shutil

from sandbox_support import signed_in


def test_credentials_from_a_warm_cache_open_no_log_file_issue_21(sandbox):
    sb = sandbox("--auto-approve")
    signed_in(sb)
    first = json.loads(sb.lanyard("credentials", "--profile", "dev").stdout)
    logs = sb.home / ".local" / "share" / "lanyard" / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    calls = sb.emu.state()["calls"]["GetRoleCredentials"]
    quiet = {"LANYARD_LOG": "info"}
    again = json.loads(sb.lanyard("credentials", "--profile", "dev", env=quiet).stdout)
    assert again == first, "served from the cache"
    assert sb.emu.state()["calls"]["GetRoleCredentials"] == calls
    assert not logs.exists() or not any(logs.iterdir()), sorted(logs.iterdir())
    # Something worth logging still is: a failing call writes its line.
    sb.lanyard("credentials", "--profile", "nope", env=quiet, check=False)
    sb.lanyard("login", "--profile", "dev", env=quiet)
    assert any(logs.glob("cli.*.log")), "a sign-in is logged"
