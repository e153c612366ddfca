#!/usr/bin/env python3
"""Draws Lanyard's icons with the standard library only (no download, no PIL).

The shape is an ID badge on a lanyard strap: a rounded card with a slot near the top and a strap
going up from it. The app icon is indigo; each tray icon's card is the colour of a session state
(ok, expiring, expired, signed out). Output is deterministic, so `make icons` followed by
`git diff --exit-code icons/` checks the committed files are current.
"""
import struct
import sys
import zlib
from pathlib import Path

STATES = {
    "ok": (46, 157, 91),
    "expiring": (224, 160, 0),
    "expired": (208, 52, 44),
    "signed-out": (138, 143, 152),
}
APP = (59, 76, 202)
SS = 4  # supersampling per axis, for anti-aliased edges


def inside_rounded_rect(x, y, x0, y0, x1, y1, r):
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def badge_coverage(u, v):
    """Returns (card, slot_or_strap) membership for a point in the unit square."""
    card = inside_rounded_rect(u, v, 0.18, 0.30, 0.82, 0.96, 0.10)
    slot = inside_rounded_rect(u, v, 0.38, 0.38, 0.62, 0.46, 0.04)
    strap = (0.44 <= u <= 0.56 and 0.02 <= v <= 0.34) or inside_rounded_rect(
        u, v, 0.40, 0.26, 0.60, 0.36, 0.04)
    return card and not slot, strap


def render(size, colour):
    strap_colour = (40, 44, 52)
    rows = []
    for py in range(size):
        row = bytearray([0])  # filter type 0
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SS):
                for sx in range(SS):
                    u = (px + (sx + 0.5) / SS) / size
                    v = (py + (sy + 0.5) / SS) / size
                    card, strap = badge_coverage(u, v)
                    if card:
                        c = colour
                    elif strap:
                        c = strap_colour
                    else:
                        continue
                    acc[0] += c[0]
                    acc[1] += c[1]
                    acc[2] += c[2]
                    acc[3] += 255
            n = SS * SS
            alpha = acc[3] // n
            if alpha:
                covered = acc[3] // 255
                row += bytes([acc[0] // covered, acc[1] // covered, acc[2] // covered, alpha])
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width, height, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main(out_dir):
    out = Path(out_dir)
    (out / "tray").mkdir(parents=True, exist_ok=True)
    for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256),
                       ("icon.png", 512)]:
        (out / name).write_bytes(render(size, APP))
    for state, colour in STATES.items():
        (out / "tray" / f"{state}.png").write_bytes(render(64, colour))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
