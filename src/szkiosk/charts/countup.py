"""Numbers that count up to their value, formatted per language."""

from __future__ import annotations


def format_number(value: float, decimals: int, language: str) -> str:
    """Group thousands the way the audience reads them (both languages use commas here)."""
    del language  # same grouping in en and zh-CN
    return f"{value:,.{decimals}f}"


def count_value(target: float, progress: float, decimals: int) -> float:
    """The number shown at ``progress`` (0..1, already eased) of a count-up."""
    value = target * max(0.0, min(1.0, progress))
    if progress >= 1.0:
        return target
    step = 10 ** (-decimals)
    return round(value / step) * step


def render_figure(value: float, decimals: int, template: str | None, language: str) -> str:
    """The figure's text: the number, inside its ``format`` template when it has one."""
    number = format_number(value, decimals, language)
    return template.replace("{value}", number) if template else number


def count_text(target: float, progress: float, decimals: int, template: str | None, language: str) -> str:
    """What a counting number shows at ``progress`` (0..1, eased), so it never says something false.

    While counting: digits only (a qualifier such as "more than", "No." or "+" would make a
    claim about the wrong number), and nothing at all while the count is still 0 ("in 0
    countries"). On landing: the full figure in its ``format``.
    """
    if progress >= 1.0:
        return render_figure(target, decimals, template, language)
    shown = count_value(target, progress, decimals)
    if shown == 0:
        return ""
    return format_number(shown, decimals, language)
