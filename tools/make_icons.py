#!/usr/bin/python3
"""Draws web/icon-192.png and web/icon-512.png (a white drop on a blue rounded square, the same
picture as web/icon.svg) with the standard library only. Run once; the PNGs are committed."""
import math
import struct
import sys
import zlib


def icon(n):
    rows = []
    r = n * 12 / 64
    for y in range(n):
        row = bytearray([0])
        for x in range(n):
            u, v = (x + 0.5) * 64 / n, (y + 0.5) * 64 / n
            # rounded square
            dx, dy = max(r * 64 / n - u, 0, u - (64 - r * 64 / n)), max(r * 64 / n - v, 0, v - (64 - r * 64 / n))
            inside = dx * dx + dy * dy <= (r * 64 / n) ** 2
            # drop: circle centre (32,40) radius 15 plus a cone to the tip at (32,10)
            in_circle = (u - 32) ** 2 + (v - 40) ** 2 <= 15 ** 2
            in_cone = 10 <= v <= 40 and abs(u - 32) <= 15 * math.sin(math.pi / 2 * (v - 10) / 30)
            if not inside:
                row += bytes([0, 0, 0, 0])
            elif in_circle or in_cone:
                row += bytes([255, 255, 255, 255])
            else:
                row += bytes([0x1D, 0x6F, 0xA5, 255])
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "web"
    for n in (192, 512):
        with open(f"{out}/icon-{n}.png", "wb") as f:
            f.write(icon(n))
