"""Fonts: the bundled Noto Sans SC first (same glyphs on every machine), system CJK next."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

log = logging.getLogger(__name__)

#: Installed CJK families we accept when the bundled font is missing, best first.
CJK_FAMILIES = (
    "Noto Sans SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)


def bundled_font_path() -> Path | None:
    """Path of Noto Sans SC Regular from the ``pylopdf-fonts-zh-cn`` wheel, if installed."""
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    path = Path(pylopdf_fonts_zh_cn.__file__).with_name("NotoSansSC-Regular.otf")
    return path if path.exists() else None


@cache
def ui_family(preferred: str | None = None) -> str:
    """Register the bundled font once and return the family every text item should use.

    Needs a ``QGuiApplication``. Logs (never raises) when no CJK font is available, so the
    show goes on with whatever the system has.
    """
    path = bundled_font_path()
    if path is not None:
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            bundled = families[0]
            if preferred and preferred in QFontDatabase.families():
                return preferred
            return bundled
        log.warning("could not load bundled font %s", path)
    installed = set(QFontDatabase.families())
    if preferred and preferred in installed:
        return preferred
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    log.warning("no Chinese font found: Chinese text will show as boxes; install fonts-noto-cjk")
    return QFont().defaultFamily()


def font(size: float, *, bold: bool = False, family: str | None = None) -> QFont:
    """A QFont of ``size`` logical pixels in the UI family."""
    f = QFont(family or ui_family())
    f.setPixelSize(max(1, round(size)))
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # Noto Sans SC's 'locl' feature swaps in glyphs (Latin digits among them) that Qt's PDF
    # writer cannot map back to characters: with it on, a handout's numbers are not searchable.
    # The glyphs drawn are the same.
    f.setFeature(QFont.Tag("locl"), 0)
    return f
