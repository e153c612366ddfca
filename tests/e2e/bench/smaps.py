#!/usr/bin/python3
"""What a process has resident, from /proc/PID/smaps (issue 21): its RSS split by what the pages
are, so an idle figure can say which part is the app's own and which part any GTK tray maps.

    smaps.py PID [OUT.json]      (prints the breakdown; sample.py imports `breakdown`)

Every mapping is put in one group: `anonymous: heap and arenas` (the malloc heap, the arenas of
threads, anything mmap'd without a file), `anonymous: stacks`, `our binary` (the executable's own
text and data), and file-backed libraries by family (GTK/GDK + tray indicator, GLib/GObject/GIO,
Pango/Cairo/fonts/images, X11/Wayland, WebKitGTK/JavaScriptCore, flite, ICU, GStreamer, the C/C++
runtime, other libraries), plus data files (locale, fonts, icon caches). Per group: Rss, Pss (each
page divided by the number of processes mapping it), and Rss split into
- private dirty: pages only this process has and wrote (the heap, a library's relocated data):
  what this process alone costs;
- private clean: file pages only this process maps now (a library's text when no other running
  process uses that library): shared as soon as another process maps the same file;
- shared: pages other processes map too (Shared_Clean + Shared_Dirty): Pss counts a share.
"""
import json
import os
import re
import sys

# (group, pattern on the file name), first match wins. Names are sonames' stems.
FAMILIES = [
    ("WebKitGTK/JavaScriptCore", r"^lib(webkit2gtk|javascriptcoregtk|WPE|wpe)"),
    ("GTK/GDK + tray indicator",
     r"^lib(gtk-3|gdk-3|gdk_pixbuf|atk|atspi|epoxy|ayatana|appindicator|dbusmenu|gail|colord"
     r"|cloudproviders|tracker|rsvg|lcms)"),
    ("GLib/GObject/GIO", r"^lib(glib-2|gobject-2|gio-2|gmodule-2|gthread-2|ffi|pcre2|mount|blkid"
     r"|selinux|z\.so|zstd|lzma|bz2|dconf)"),
    ("Pango/Cairo/fonts/images",
     r"^lib(pango|cairo|harfbuzz|freetype|fontconfig|fribidi|pixman|png|jpeg|thai|datrie"
     r"|graphite2|webp|tiff|brotli|jxl|jbig|deflate|Lerc|sharpyuv|expat|xml2)"),
    ("X11/Wayland", r"^lib(X|xcb|xkbcommon|wayland|ICE|SM|xshmfence|drm|gbm|EGL|GL|GLX|GLdispatch)"),
    ("flite (speech, WebKit's)", r"^libflite"),
    ("ICU", r"^libicu"),
    ("GStreamer", r"^libgst"),
    ("C/C++ runtime", r"^(ld-linux|libc\.so|libm\.so|libstdc\+\+|libgcc_s|libpthread|libdl|librt"
     r"|libresolv|libnss|libcrypt)"),
]
ORDER = ["anonymous: heap and arenas", "anonymous: stacks", "our binary"] + \
    [f for f, _ in FAMILIES] + ["other libraries", "data files (locale, fonts, caches)", "kernel"]

HEADER = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$")
FIELDS = ("Rss", "Pss", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
          "Anonymous", "Swap")


def _group(path, exe, stack):
    if path == "[stack]" or (path == "" and stack):
        return "anonymous: stacks"
    if path == "" or path.startswith("[anon") or path == "[heap]":
        return "anonymous: heap and arenas"
    if path.startswith("["):
        return "kernel"  # vdso, vvar, vsyscall
    path = path.removesuffix(" (deleted)")
    if path == exe:
        return "our binary"
    base = os.path.basename(path)
    if ".so" not in base:
        return "data files (locale, fonts, caches)"
    for family, pattern in FAMILIES:
        if re.match(pattern, base):
            return family
    return "other libraries"


def _mappings(pid):
    """[(path, is a thread's stack, {field: kB})] of /proc/PID/smaps. A thread's stack (glibc
    names none) is an anonymous read-write mapping right above its guard page: a small anonymous
    `---p` mapping ending where it starts (an arena's reserve lies above its heap, not below)."""
    out, cur, prev = [], None, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            m = HEADER.match(line)
            if m:
                start, end = int(m.group(1), 16), int(m.group(2), 16)
                perms, path = m.group(3), m.group(4).strip()
                stack = (path == "" and perms.startswith("rw") and prev is not None
                         and prev[1] == start and prev[2] == "---p" and prev[3] == ""
                         and prev[1] - prev[0] <= 64 * 1024)
                prev = (start, end, perms, path)
                cur = {}
                out.append((path, stack, cur))
                continue
            key, _, rest = line.partition(":")
            if cur is not None and key in FIELDS:
                cur[key] = int(rest.split()[0])
    return out


def breakdown(pid):
    """The resident memory of one process, by group (kB), or None if it is gone."""
    try:
        exe = os.path.realpath(f"/proc/{pid}/exe")
        maps = _mappings(pid)
        with open(f"/proc/{pid}/comm") as f:
            name = f.read().strip()
    except OSError:
        return None
    groups, files = {}, {}
    total = dict.fromkeys(("rss", "pss", "private_dirty", "private_clean", "shared", "anonymous",
                           "swap"), 0)
    for path, stack, v in maps:
        g = _group(path, exe, stack)
        row = {
            "rss": v.get("Rss", 0),
            "pss": v.get("Pss", 0),
            "private_dirty": v.get("Private_Dirty", 0),
            "private_clean": v.get("Private_Clean", 0),
            "shared": v.get("Shared_Clean", 0) + v.get("Shared_Dirty", 0),
            "anonymous": v.get("Anonymous", 0),
            "swap": v.get("Swap", 0),
        }
        acc = groups.setdefault(g, dict.fromkeys(row, 0))
        for k, n in row.items():
            acc[k] += n
            total[k] += n
        if path and not path.startswith("["):
            f = files.setdefault(path, {"group": g, "rss": 0, "private_dirty": 0})
            f["rss"] += row["rss"]
            f["private_dirty"] += row["private_dirty"]
    ordered = {g: groups[g] for g in ORDER if g in groups}
    top = sorted(files.items(), key=lambda kv: -kv[1]["rss"])[:15]
    return {
        "pid": pid,
        "name": name,
        **{f"{k}_kb": n for k, n in total.items()},
        "groups_kb": ordered,
        "top_files_kb": [{"path": p, **f} for p, f in top],
    }


def report(b, indent="  "):
    """Lines describing a breakdown (MB)."""
    mb = lambda kb: f"{kb / 1024:6.1f}"
    lines = [f"{indent}{b['name']} (pid {b['pid']}): Rss {mb(b['rss_kb']).strip()} MB, "
             f"Pss {mb(b['pss_kb']).strip()} MB, private dirty {mb(b['private_dirty_kb']).strip()} MB, "
             f"shared with other processes {mb(b['shared_kb']).strip()} MB",
             f"{indent}  {'group':<36} {'Rss':>6} {'Pss':>6} {'privD':>6} {'privC':>6} {'shared':>6}"]
    for g, v in b["groups_kb"].items():
        lines.append(f"{indent}  {g:<36} {mb(v['rss'])} {mb(v['pss'])} {mb(v['private_dirty'])} "
                     f"{mb(v['private_clean'])} {mb(v['shared'])}")
    lines.append(f"{indent}  largest files (Rss / private dirty, MB):")
    for f in b["top_files_kb"][:10]:
        lines.append(f"{indent}    {mb(f['rss'])} {mb(f['private_dirty'])}  {f['path']}")
    return lines


if __name__ == "__main__":
    b = breakdown(int(sys.argv[1]))
    if b is None:
        sys.exit(f"no process {sys.argv[1]}")
    print("\n".join(report(b)))
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            json.dump(b, f, indent=1)
