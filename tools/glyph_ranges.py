"""ImGui glyph-range include files, shared by make_font_subset.py and make_first_glyphs.py.

The file lists "0xLO, 0xHI," pairs, one per line, after two comment lines (the second says how
many code points it holds: the app's tests read it).
"""
import re


def write_ranges(path, points, header):
    """Writes the sorted code points `points` as ranges; `header` is the first comment line."""
    ranges = []
    for p in points:
        if ranges and ranges[-1][1] == p - 1:
            ranges[-1][1] = p
        else:
            ranges.append([p, p])
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"// {header}\n")
        f.write(f"// {len(points)} code points in {len(ranges)} ranges.\n")
        for lo, hi in ranges:
            f.write(f"0x{lo:04X}, 0x{hi:04X},\n")


def read_ranges(path):
    """The set of code points a file written by write_ranges lists."""
    points = set()
    with open(path, encoding="utf-8") as f:
        for m in re.finditer(r"0x([0-9A-Fa-f]+), 0x([0-9A-Fa-f]+)", f.read()):
            points.update(range(int(m.group(1), 16), int(m.group(2), 16) + 1))
    return points
