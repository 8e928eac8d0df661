"""Bilingual text: one string per deck language, checked against the deck's languages."""

from __future__ import annotations

from typing import Any

from pydantic import RootModel, ValidationInfo, field_validator

DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "zh")


class Text(RootModel[dict[str, str]]):
    """Visible text in every language of the deck, e.g. ``{en: Talent Day, zh: 人才日}``."""

    @field_validator("root", mode="before")
    @classmethod
    def _mapping_only(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(
                "text must be given per language, e.g. {en: '...', zh: '...'}, got a plain string"
            )
        return value

    @field_validator("root")
    @classmethod
    def _every_language(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        languages = (info.context or {}).get("languages", DEFAULT_LANGUAGES)
        missing = [lang for lang in languages if not str(value.get(lang, "")).strip()]
        if missing:
            raise ValueError(f"missing translation {', '.join(repr(m) for m in missing)}")
        return value

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to English, then to any language."""
        if language in self.root:
            return self.root[language]
        if "en" in self.root:
            return self.root["en"]
        return next(iter(self.root.values()), "")

    def __str__(self) -> str:
        return self.get("en")


def text(en: str, zh: str) -> Text:
    """Build a :class:`Text` in code (defaults, tests)."""
    return Text({"en": en, "zh": zh})
