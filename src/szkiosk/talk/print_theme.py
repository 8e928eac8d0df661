"""The print theme: the deck's theme turned for white paper.

A variant of the deck's :class:`~szkiosk.content.schema.Theme` (like the high-contrast mode in
:mod:`szkiosk.kit.access`), so the stage and every panel draw with it unchanged: white paper,
the deck's dark background colour as ink, cards in a pale tint of its surface colour, and the
same accents and chart colours, darkened (same hue) only as far as they must be to read on
white and on the cards.
"""

from __future__ import annotations

import colorsys
from collections.abc import Iterable

from szkiosk.content.legibility import contrast_ratio
from szkiosk.content.schema import Theme

PAPER = "#FFFFFF"
#: Contrast for body text and muted text on paper and on cards (the stage's own aim).
TEXT_RATIO = 7.0
#: Contrast for accents and chart colours (their text: labels, values, legends) on both.
ACCENT_RATIO = 4.5
#: Lightness of the card tint (0..1) and the most saturation it keeps.
SURFACE_LIGHTNESS = 0.955
SURFACE_SATURATION = 0.45


def _hls(colour: str) -> tuple[float, float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)


def _hex(h: float, lightness: float, s: float) -> str:
    r, g, b = colorsys.hls_to_rgb(h, max(0.0, min(1.0, lightness)), s)
    return "#{:02X}{:02X}{:02X}".format(*(round(c * 255) for c in (r, g, b)))


def darkened(colour: str, grounds: Iterable[str], ratio: float) -> str:
    """``colour`` with its lightness lowered (hue and saturation kept) until it reaches ``ratio``
    against every colour of ``grounds``; unchanged when it already does."""
    grounds = list(grounds)
    colour = colour.upper()
    if all(contrast_ratio(colour, g) >= ratio for g in grounds):
        return colour
    h, lightness, s = _hls(colour)
    while lightness > 0:
        lightness -= 0.005
        candidate = _hex(h, lightness, s)
        if all(contrast_ratio(candidate, g) >= ratio for g in grounds):
            return candidate
    return "#000000"


def tint(colour: str, lightness: float = SURFACE_LIGHTNESS, saturation: float = SURFACE_SATURATION) -> str:
    """A pale colour of ``colour``'s hue (for cards on paper)."""
    h, _, s = _hls(colour)
    return _hex(h, lightness, min(s, saturation))


def print_theme(base: Theme) -> Theme:
    """The deck theme for paper (see the module docstring); sizes and font are kept."""
    surface = tint(base.surface)
    grounds = (PAPER, surface)
    return base.model_copy(update={
        "background": PAPER,
        "surface": surface,
        # the stage's dark ground becomes the ink; a light one gives way to near-black
        "text": darkened(base.background, grounds, 12.0),
        "muted": darkened(base.muted, grounds, TEXT_RATIO),
        "accent": darkened(base.accent, grounds, ACCENT_RATIO),
        "data": darkened(base.data, grounds, ACCENT_RATIO),
        "palette": [darkened(c, grounds, ACCENT_RATIO) for c in base.palette],
    })


def text_pairs(theme: Theme) -> list[tuple[str, str, str, float]]:
    """Every (name, foreground, background, least ratio) pair the print theme promises."""
    out: list[tuple[str, str, str, float]] = []
    for ground in ("background", "surface"):
        back = getattr(theme, ground)
        out += [(f"text/{ground}", theme.text, back, TEXT_RATIO), (f"muted/{ground}", theme.muted, back, TEXT_RATIO),
                (f"accent/{ground}", theme.accent, back, ACCENT_RATIO),
                (f"data/{ground}", theme.data, back, ACCENT_RATIO)]
        out += [(f"palette:{i}/{ground}", c, back, ACCENT_RATIO) for i, c in enumerate(theme.palette)]
    # paper-coloured text on an accent or data fill (chips, highlighted bars)
    out += [("background/accent", theme.background, theme.accent, ACCENT_RATIO),
            ("background/data", theme.background, theme.data, ACCENT_RATIO)]
    return out
