"""Chinese in the handout's text layer as it was written, not as look-alike radicals.

Qt's PDF writer tells readers which character each glyph is (the font's ``ToUnicode`` map) by
taking, for each glyph, the *lowest* code point the font maps to it. The CJK font draws 民 and
the radical ⺠ (U+2EA0), 人 and the Kangxi radical ⼈ (U+2F08) with one glyph each, so a reader
copying or searching the handout got "⼈⺠政府" for 人民政府. :func:`searchable_chinese` rewrites
those entries to the ideograph that shares the glyph. Each code keeps its four hex digits, so
the file keeps its length and every offset in it stays right.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from PySide6.QtGui import QFont, QRawFont

from szkiosk.kit.fonts import ui_family

#: CJK Radicals Supplement and Kangxi Radicals.
RADICALS = range(0x2E80, 0x2FE0)
#: CJK Unified Ideographs (with Extension A): where the intended characters are.
IDEOGRAPHS = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000))
_SECTION = re.compile(r"begin(bfrange|bfchar)(.*?)end\1", re.S)
_TOKEN = re.compile(r"<([0-9A-Fa-f]+)>|\[|\]")


@cache
def radical_ideographs(family: str | None = None) -> dict[int, int]:
    """Radical code point -> the ideograph the font draws with the same glyph."""
    raw = QRawFont.fromFont(QFont(family or ui_family()))
    if not raw.isValid():
        return {}
    by_glyph: dict[int, int] = {}
    for block in IDEOGRAPHS:
        text = "".join(map(chr, block))
        for code, glyph in zip(block, raw.glyphIndexesForString(text), strict=False):
            if glyph:
                by_glyph.setdefault(glyph, code)
    radicals = "".join(map(chr, RADICALS))
    return {code: by_glyph[glyph] for code, glyph in zip(RADICALS, raw.glyphIndexesForString(radicals), strict=False)
            if glyph and glyph in by_glyph}


def _patch(kind: str, body: str, table: dict[int, int]) -> tuple[str, int]:
    """The destinations of one bfrange/bfchar section with radicals replaced, and how many."""
    out: list[str] = []
    last = 0
    position = 0  # index of the hex token within the current entry
    in_array = False
    for match in _TOKEN.finditer(body):
        token = match.group(0)
        if token == "[":
            in_array = True
            continue
        if token == "]":
            in_array = False
            position = 0
            continue
        destination = in_array or position == (2 if kind == "bfrange" else 1)
        if not in_array:
            position = 0 if destination else position + 1
        digits = match.group(1)
        if destination and len(digits) == 4 and int(digits, 16) in table:
            out.append(body[last:match.start(1)])
            out.append(f"{table[int(digits, 16)]:04X}")
            last = match.end(1)
    out.append(body[last:])
    return "".join(out), len(out) // 2


def searchable_chinese(path: Path) -> int:
    """Rewrite the radicals in ``path``'s ToUnicode maps; returns how many entries changed."""
    table = radical_ideographs()
    data = path.read_bytes()
    text = data.decode("latin-1")
    changed = 0

    def fix(section: re.Match[str]) -> str:
        nonlocal changed
        patched, n = _patch(section.group(1), section.group(2), table)
        changed += n
        return f"begin{section.group(1)}{patched}end{section.group(1)}"

    result = _SECTION.sub(fix, text)
    if result != text:
        encoded = result.encode("latin-1")
        if len(encoded) != len(data):  # never: each code keeps its width
            raise AssertionError("the PDF changed length")
        path.write_bytes(encoded)
    return changed
