"""make demo's sandbox: the config it writes for a running emulator names an account and role
the emulator's user really holds, botocore reads it as intended, and Lanyard finds no problem."""
import subprocess
import sys

import botocore.configloader

from testlib import REPO, binary


def test_demo_config_names_a_real_assignment_and_reads_cleanly(start_emulator, home, sandbox_env):
    emu = start_emulator("--accounts", "36", "--seed", "7")
    config = home / ".aws" / "config"
    subprocess.run([sys.executable, str(REPO / "scripts" / "demo-config.py"), emu.url, str(config)],
                   check=True, env=sandbox_env, timeout=60)
    profile = botocore.configloader.load_config(str(config))["profiles"]["demo"]
    assert profile["sso_session"] == "demo"
    assert len(profile["sso_account_id"]) == 12 and profile["sso_role_name"]
    check = subprocess.run([str(binary("lanyard")), "config", "check"], env=sandbox_env,
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr
    # A second run keeps the person's (possibly edited) file.
    config.write_text(config.read_text() + "# edited\n")
    subprocess.run([sys.executable, str(REPO / "scripts" / "demo-config.py"), emu.url, str(config)],
                   check=True, env=sandbox_env, timeout=60)
    assert config.read_text().endswith("# edited\n")
