#!/usr/bin/python3
"""Samples an app's process tree for the idle benchmark (issues 10 and 21), reading /proc only.

    sample.py PID SECONDS OUT.json

Every 0.5 s for SECONDS: each thread's voluntary context switches (its wake-ups: each one is a
sleep that ended) in the app and every descendant process. Afterwards: the summed RSS of the
tree (per process too, with what is resident by group: smaps.py), and the wake-ups per minute per
thread group (the thread name with its digits folded: blocking-1 and blocking-2 are `blocking-#`,
in process `lanyard-app`), with the seconds at which each group woke.

Wake-up windows (issue 21's measure): the samples in which any thread of the tree woke, merged
when less than WINDOW_GAP apart; each run of such samples is one window, however many threads
woke in it. The goal is at most one window a minute: the whole app waking once, together.

Issue 10's older measure, still in the JSON: the countdown tick. The engine wakes once a minute
on its own thread (`lanyard-engine`; before issue 21, a tokio worker) to recompute the sessions
and (when a countdown label changed) update the tray menu, which wakes the GTK main thread and
GDBus's thread to export it. A sample in which the engine (or a tokio worker) woke opens a 1.5 s
window (from the sample before it); every wake-up inside such windows is the tick's, everything
else is "beyond the tick", which issue 10's goal (≤ 2 per minute) was about. A tick window that is
not the engine's (some other tokio wake) only makes the figure beyond the tick look better, so
the number of tick windows is reported too: more than one a minute means something else woke.
"""
import json
import os
import re
import sys
import time

from smaps import breakdown

INTERVAL = 0.5
# The threads whose wake-up is the countdown tick: the engine's own thread (issue 21), and tokio's
# workers (where the engine ran before; sign-ins and refreshes run there).
TICK_THREADS = ("lanyard-engine", "tokio-runtime-w", "tokio-rt-worker")
# Wake-ups less than this far apart belong to one window (the tick's rebuild of the tray menu
# spreads over a second or so: the engine, the GTK main loop, GDBus, the log writer).
WINDOW_GAP = 2.0


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
    samples, times = [snapshot(root)], [0.0]
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        time.sleep(INTERVAL)
        samples.append(snapshot(root))
        times.append(time.monotonic() - start)
    elapsed = time.monotonic() - start

    per_group, beyond_group, group_times = {}, {}, {}
    windows, last_wake, per_thread = [], None, {}
    tick_windows, total, beyond = 0, 0, 0
    tick_until = -1
    for i in range(1, len(samples)):
        prev, cur = samples[i - 1], samples[i]
        deltas = {}
        for key, (pname, tname, n) in cur.items():
            d = n - prev.get(key, (pname, tname, 0))[2]
            if d > 0:
                deltas[key] = (group(pname, tname), d)
        tokio = any(g.endswith(tuple("/" + t for t in TICK_THREADS)) for g, _ in deltas.values())
        if tokio and i > tick_until:
            tick_windows += 1
        if tokio:
            # this sample, the one before it (the tick may have started there) and the next two
            tick_until = max(tick_until, i + 2)
        in_tick = tokio or i <= tick_until or (i + 1 < len(samples) and _tokio_in(samples, i + 1))
        if deltas:
            t = round(times[i], 1)
            if last_wake is None or times[i] - last_wake >= WINDOW_GAP:
                windows.append({"at_s": t, "groups": {}})
            last_wake = times[i]
            for g, d in deltas.values():
                windows[-1]["groups"][g] = windows[-1]["groups"].get(g, 0) + d
                group_times.setdefault(g, []).append(t)
        for (_, tid), (g, d) in deltas.items():
            per_thread[f"{g} ({tid})"] = per_thread.get(f"{g} ({tid})", 0) + d
        for g, d in deltas.values():
            per_group[g] = per_group.get(g, 0) + d
            total += d
            if not in_tick:
                beyond_group[g] = beyond_group.get(g, 0) + d
                beyond += d

    pids = tree(root)
    procs = [{"pid": p, "name": comm(f"/proc/{p}/comm"),
              "rss_kb": status_field(f"/proc/{p}/status", "VmRSS"),
              "resident": breakdown(p)} for p in pids]
    scale = 60.0 / elapsed
    result = {
        "seconds": round(elapsed, 1),
        "processes": procs,
        "rss_kb": sum(p["rss_kb"] for p in procs),
        "pss_kb": sum(p["resident"]["pss_kb"] for p in procs if p["resident"]),
        "threads": len(samples[-1]),
        "thread_list": sorted(f"{pn}/{tn} ({tid})" for (_, tid), (pn, tn, _) in samples[-1].items()),
        "wakeups_by_thread": dict(sorted(per_thread.items(), key=lambda kv: -kv[1])),
        "wakeup_windows_per_min": round(len(windows) * scale, 2),
        "wakeup_windows": windows,
        "group_wake_times_s": group_times,
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
    """True if a tick thread woke between samples i-1 and i (the tick starts in the next one)."""
    prev, cur = samples[i - 1], samples[i]
    for key, (pname, tname, n) in cur.items():
        if tname in TICK_THREADS and n > prev.get(key, (pname, tname, 0))[2]:
            return True
    return False


if __name__ == "__main__":
    main()
