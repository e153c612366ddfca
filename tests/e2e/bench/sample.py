#!/usr/bin/python3
"""Samples an app's process tree for the idle benchmark (issue 10), reading /proc only.

    sample.py PID SECONDS OUT.json

Every 0.5 s for SECONDS: each thread's voluntary context switches (its wake-ups: each one is a
sleep that ended) in the app and every descendant process. Afterwards: the summed RSS of the
tree (per process too), and the wake-ups per minute per thread group (the thread name with its
digits folded: blocking-1 and blocking-2 are `blocking-#`, in process `lanyard-app`).

The countdown tick: the engine wakes once a minute on a tokio worker to recompute the sessions
and (when a countdown label changed) rebuild the tray menu, which wakes the GTK main thread and
GDBus's thread to export it. A sample in which a tokio worker woke opens a 1.5 s window (from the
sample before it); every wake-up inside such windows is the tick's, everything else is "beyond
the tick", which the issue's goal (≤ 2 per minute) is about. A tick window that is not the
engine's (some other tokio wake) only makes the figure beyond the tick look better, so the
number of tick windows is reported too: more than one a minute means something else uses tokio.
"""
import json
import os
import re
import sys
import time

INTERVAL = 0.5


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def tree(pid):
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += children(p)
    return pids


def comm(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return "?"


def status_field(path, field):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def snapshot(root):
    """{(pid, tid): (process name, thread name, voluntary switches)}"""
    snap = {}
    for pid in tree(root):
        pname = comm(f"/proc/{pid}/comm")
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            base = f"/proc/{pid}/task/{tid}"
            snap[(pid, int(tid))] = (pname, comm(f"{base}/comm"),
                                     status_field(f"{base}/status", "voluntary_ctxt_switches"))
    return snap


def group(pname, tname):
    return f"{pname}/{re.sub(r'[0-9]+', '#', tname)}"


def main():
    root, seconds, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    samples = [snapshot(root)]
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        time.sleep(INTERVAL)
        samples.append(snapshot(root))
    elapsed = time.monotonic() - start

    per_group, beyond_group = {}, {}
    tick_windows, total, beyond = 0, 0, 0
    tick_until = -1
    for i in range(1, len(samples)):
        prev, cur = samples[i - 1], samples[i]
        deltas = {}
        for key, (pname, tname, n) in cur.items():
            d = n - prev.get(key, (pname, tname, 0))[2]
            if d > 0:
                deltas[key] = (group(pname, tname), d)
        tokio = any(g.endswith(("/tokio-runtime-w", "/tokio-rt-worker")) for g, _ in deltas.values())
        if tokio and i > tick_until:
            tick_windows += 1
        if tokio:
            # this sample, the one before it (the tick may have started there) and the next two
            tick_until = max(tick_until, i + 2)
        in_tick = tokio or i <= tick_until or (i + 1 < len(samples) and _tokio_in(samples, i + 1))
        for g, d in deltas.values():
            per_group[g] = per_group.get(g, 0) + d
            total += d
            if not in_tick:
                beyond_group[g] = beyond_group.get(g, 0) + d
                beyond += d

    pids = tree(root)
    procs = [{"pid": p, "name": comm(f"/proc/{p}/comm"),
              "rss_kb": status_field(f"/proc/{p}/status", "VmRSS")} for p in pids]
    scale = 60.0 / elapsed
    result = {
        "seconds": round(elapsed, 1),
        "processes": procs,
        "rss_kb": sum(p["rss_kb"] for p in procs),
        "threads": len(samples[-1]),
        "wakeups_per_min": round(total * scale, 1),
        "wakeups_beyond_tick_per_min": round(beyond * scale, 1),
        "tick_windows_per_min": round(tick_windows * scale, 1),
        "groups_per_min": {g: round(n * scale, 1)
                           for g, n in sorted(per_group.items(), key=lambda kv: -kv[1])},
        "groups_beyond_tick_per_min": {g: round(n * scale, 1)
                                       for g, n in sorted(beyond_group.items(), key=lambda kv: -kv[1])},
        "thread_names": sorted({group(p, t) for p, t, _ in samples[-1].values()}),
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=1)


def _tokio_in(samples, i):
    """True if a tokio worker woke between samples i-1 and i (the tick starts in the next one)."""
    prev, cur = samples[i - 1], samples[i]
    for key, (pname, tname, n) in cur.items():
        if tname in ("tokio-runtime-w", "tokio-rt-worker") and n > prev.get(key, (pname, tname, 0))[2]:
            return True
    return False


if __name__ == "__main__":
    main()
