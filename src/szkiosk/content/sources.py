"""The deck's sources: who published each figure, named in every deck language.

A deck keeps one ``sources.yaml`` beside ``deck.yaml``::

    sz-gov-hqd:
      publisher: {en: Shenzhen Government Online, zh: 深圳政府在线}
      title: {en: High-Quality Development, zh: 高质量发展}
      date: 2023-10-10
      url: http://www.sz.gov.cn/...

Content refers to a source by its id (``source: sz-gov-hqd``) and says which year the figure
is for (``year: 2022``). The footer shows the publisher in the visitor's language with the
publication year, one line; the detail layer and the handout's appendix give the full
citation with its address. A source that is not in the file is an error with file and line.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from szkiosk.content.schema import SOURCES_FILE, SourceRef, Strict
from szkiosk.content.text import Text

__all__ = ["SOURCES_FILE", "Source", "SourceRef"]


class Source(Strict):
    """One publication: publisher and title in every deck language, date and address."""

    publisher: Text = Field(description="Who published it, in each language (transliterated if it has no name there)")
    title: Text | None = Field(None, description="Title of the page, report or article")
    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="Publication date: YYYY, YYYY-MM or YYYY-MM-DD")
    url: str | None = Field(None, pattern=r"^https?://\S+$", max_length=500)
    note: Text | None = Field(None, description="How the figure was read (a repost, a table row...)")

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: object) -> object:
        # YAML reads an unquoted 2023-10-10 as a date and 2023 as an int
        if isinstance(value, (int, date)):
            return value.isoformat() if isinstance(value, date) else str(value)
        return value

    @property
    def year(self) -> int:
        """Year of publication."""
        return int(self.date[:4])

    def short(self, language: str) -> str:
        """Publisher and year for the footer: ``深圳政府在线 2023`` / ``Shenzhen Government Online, 2023``."""
        name = self.publisher.get(language)
        return f"{name} {self.year}" if language == "zh" else f"{name}, {self.year}"

    def citation(self, language: str) -> str:
        """The full citation: publisher, title, date, address."""
        parts = [self.publisher.get(language)]
        if self.title is not None:
            title = self.title.get(language)
            parts.append(f"《{title}》" if language == "zh" else f"“{title}”")
        parts.append(self.date)
        sep = "，" if language == "zh" else ", "
        text = sep.join(parts)
        return f"{text}{sep}{self.url}" if self.url else text
