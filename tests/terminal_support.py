"""Driving `lanyard` on a real pseudo-terminal, as a person at a keyboard would (the prompts
of `configure sso-session` and the `configure sso` wizard)."""
import os
import pty
import select
import subprocess
import time

from testlib import binary


def converse(args, env, script, timeout=20):
    """Runs lanyard on a pseudo-terminal; for each (prompt, answer) waits for the prompt text,
    then types the answer. Returns (exit code, everything the terminal showed)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(binary("lanyard")), *args], stdin=slave, stdout=slave,
                            stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + timeout

    def read_until(text):
        nonlocal seen
        while text.encode() not in seen:
            left = deadline - time.monotonic()
            assert left > 0, f"timed out waiting for {text!r}; screen so far:\n{seen.decode()}"
            ready, _, _ = select.select([master], [], [], left)
            if ready:
                try:
                    seen += os.read(master, 4096)
                except OSError:
                    break

    try:
        for prompt, answer in script:
            read_until(prompt)
            os.write(master, answer.encode() + b"\n")
        code = proc.wait(timeout=max(1, deadline - time.monotonic()))
        try:
            while select.select([master], [], [], 0.2)[0]:
                seen += os.read(master, 4096)
        except OSError:
            pass
        return code, seen.decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
