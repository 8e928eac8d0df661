"""Legibility check for ``szkiosk validate``: text size at viewing distance and contrast.

From the deck's declared screen (diagonal, resolution) and viewing distance, work out the
physical capital height of each text role and the contrast of the theme's colour pairs.
Pure Python: no Qt.
"""

from __future__ import annotations

import math

from szkiosk.content.loader import ContentError, LoadedDeck, display_path

#: Capital height as a share of the font's pixel size (Noto Sans SC: 733/1000 em).
CAP_HEIGHT = 0.733
#: At 3 m: fail under 14 mm, warn under 25 mm; scaled linearly with distance.
FAIL_MM_AT_3M = 14.0
WARN_MM_AT_3M = 25.0
#: Captions (source lines, axis ticks) are read from arm's length, not from the aisle.
CAPTION_DISTANCE_M = 1.0
#: A touch target must be at least this wide on the glass.
MIN_TARGET_MM = 20.0
TOUCH_TARGET_PX = 64
LOGICAL_WIDTH = 1920


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two ``#RRGGBB`` colours (1..21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def pixel_pitch_mm(diagonal_in: float, width_px: int, height_px: int) -> float:
    """Size of one physical pixel in mm."""
    return diagonal_in * 25.4 / math.hypot(width_px, height_px)


def check_legibility(deck: LoadedDeck) -> tuple[list[ContentError], list[ContentError]]:
    """Return (errors, warnings) about text size, touch targets and contrast."""
    model = deck.model
    screen = model.screen
    theme = model.theme
    file = display_path(deck.root / "deck.yaml")
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    mm_per_logical = pixel_pitch_mm(screen.diagonal_in, screen.width_px, screen.height_px) * (
        max(screen.width_px, screen.height_px) / LOGICAL_WIDTH
    )
    scale = screen.viewing_distance_m / 3.0
    for role in ("headline_size", "body_size", "number_size", "caption_size"):
        size = getattr(theme, role)
        cap_mm = size * CAP_HEIGHT * mm_per_logical
        distance_scale = CAPTION_DISTANCE_M / 3.0 if role == "caption_size" else scale
        fail, warn = FAIL_MM_AT_3M * distance_scale, WARN_MM_AT_3M * distance_scale
        where = f"theme.{role}"
        if cap_mm < fail:
            errors.append(ContentError(file, None, where,
                f"{size} px gives capitals {cap_mm:.1f} mm high on this screen; at "
                f"{screen.viewing_distance_m if role != 'caption_size' else CAPTION_DISTANCE_M:g} m "
                f"text needs at least {fail:.1f} mm"))
        elif cap_mm < warn and role != "caption_size":
            warnings.append(ContentError(file, None, where,
                f"{size} px gives capitals {cap_mm:.1f} mm high; {warn:.0f} mm reads comfortably "
                f"at {screen.viewing_distance_m:g} m"))
    target_mm = TOUCH_TARGET_PX * mm_per_logical
    if target_mm < MIN_TARGET_MM:
        errors.append(ContentError(file, None, "screen",
            f"touch targets of {TOUCH_TARGET_PX} px are only {target_mm:.1f} mm on this screen "
            f"(need {MIN_TARGET_MM:g} mm)"))
    pairs = [
        ("text", "background", 7.0), ("text", "surface", 7.0),
        ("muted", "background", 7.0), ("muted", "surface", 7.0),
        ("accent", "surface", 4.5), ("data", "surface", 4.5),
        ("accent", "background", 4.5), ("data", "background", 4.5),
    ]
    pairs += [(f"palette[{i}]", "surface", 4.5) for i in range(len(theme.palette))]
    for fg, bg, need in pairs:
        fg_hex = theme.palette[int(fg[8:-1])] if fg.startswith("palette[") else getattr(theme, fg)
        ratio = contrast_ratio(fg_hex, getattr(theme, bg))
        if ratio < need:
            errors.append(ContentError(file, None, f"theme.{fg}",
                f"contrast {ratio:.1f}:1 against {bg} is below {need:g}:1"))
    return errors, warnings
