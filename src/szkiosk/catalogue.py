"""The app's own words (buttons, prompts, help, staff menu, fallback card, countdown), from one
catalogue file keyed by language: ``catalogue.yaml`` beside this module.

Pure Python. A string missing in a language falls back to English; :func:`missing` lists the
gaps so ``szkiosk validate`` can warn about the languages a deck declares.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import yaml

FALLBACK = "en"


class CatalogueError(ValueError):
    """The catalogue file is malformed (a bug in the package, caught by the tests)."""


def _flatten(data: Any, prefix: str = "") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    if not isinstance(data, dict):
        raise CatalogueError(f"{prefix or 'catalogue'}: expected a mapping")
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
            out[name] = {str(k): str(v) for k, v in value.items()}
        else:
            out.update(_flatten(value, name))
    return out


@cache
def strings() -> dict[str, dict[str, str]]:
    """Every UI string: ``"section.key" -> {language: text}`` (read once)."""
    text = resources.files("szkiosk").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    # libyaml's loader where PyYAML has it: the pure-Python one takes ~0.1 s for this file
    flat = _flatten(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    lacking = sorted(k for k, v in flat.items() if FALLBACK not in v)
    if lacking:
        raise CatalogueError(f"catalogue strings without English: {', '.join(lacking)}")
    return flat


def ui_text(key: str, language: str, **values: object) -> str:
    """The UI string ``key`` in ``language`` (English where it has none), placeholders filled."""
    entry = strings()[key]
    template = entry.get(language) or entry[FALLBACK]
    return template.format(**values) if values else template


def language_name(code: str) -> str:
    """A language's own name for the language button (the code itself when unknown)."""
    entry = strings().get(f"language.{code}")
    return entry.get(code, entry[FALLBACK]) if entry else code


def languages() -> list[str]:
    """Languages the catalogue has at least one string in."""
    return sorted({lang for entry in strings().values() for lang in entry})


def missing(language: str) -> list[str]:
    """Keys that have no string in ``language`` (they will show in English)."""
    return sorted(key for key, entry in strings().items() if language not in entry)


def language_warnings(languages: Sequence[str], where: str) -> list[str]:
    """One warning per UI string and deck language the catalogue lacks, for ``szkiosk validate``.

    ``where`` names the place to point at (``deck.yaml:7``, the ``languages:`` line): the
    author's remedy is there (drop the language) or in this package's catalogue.
    """
    return [f"{where}: languages: no {language!r} text for the app's words {key!r}; English is shown"
            for language in languages for key in missing(language)]
