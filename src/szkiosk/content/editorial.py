"""Editorial checks ``szkiosk validate`` warns about (file:line: field: message):

* **the face budget**: a headline of at most 8 English words / 16 Chinese characters; a face
  of at most about 30 English words / 60 Chinese characters outside its visual;
* **punctuation in the right script**: Chinese text uses full-width punctuation
  (，。：；？！（）“”), English text no full-width marks.

Pure Python; the rules come from the exhibit-label conventions the deck follows (one idea per
panel, three layers: face, details, handout).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from szkiosk.content.yaml_doc import ContentError, YamlDocument
from szkiosk.typeset import has_han, word_count

#: Headline: at most this many English words / Chinese characters.
HEADLINE_WORDS = 8
HEADLINE_HAN = 16
#: Face outside its visual: about this many English words / Chinese characters.
FACE_WORDS = 30
FACE_HAN = 60

#: Half-width marks that, next to Chinese characters, should be full-width.
_ZH_HALF = re.compile(
    r"(?<=[\u4e00-\u9fff])[,;:?!(]|[,;:?!)](?=[\u4e00-\u9fff])|\""
)
#: Full-width marks that do not belong in English (and Spanish) text.
_EN_FULL = re.compile(r"[＂＇「」『』，。：；？！（）、《》【】]")


def _han(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def _texts(data: Any, loc: tuple = ()) -> Iterator[tuple[tuple, dict[str, str]]]:
    """Every language mapping ({en: ..., zh: ...}) in raw YAML data, with its key path."""
    if isinstance(data, dict):
        if data and all(isinstance(k, str) and len(k) <= 6 and isinstance(v, str) for k, v in data.items()) \
                and ("en" in data or "zh" in data):
            yield loc, data
            return
        for key, value in data.items():
            yield from _texts(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, (*loc, i))


def punctuation_warnings(doc: YamlDocument) -> list[ContentError]:
    """Half-width punctuation in Chinese text and full-width punctuation in English text."""
    out: list[ContentError] = []
    for loc, text in _texts(doc.data):
        for lang, value in text.items():
            if lang == "zh" and has_han(value):
                bad = sorted({m.group(0) for m in _ZH_HALF.finditer(value)})
                if bad:
                    out.append(doc.error((*loc, lang), "Chinese text with half-width punctuation "
                                         f"{' '.join(repr(b) for b in bad)}: use full-width marks (，：；？！（）“”)"))
            elif lang != "zh":
                bad = sorted({m.group(0) for m in _EN_FULL.finditer(value)})
                if bad:
                    out.append(doc.error((*loc, lang), f"full-width punctuation {' '.join(bad)} in {lang} text"))
    return out


def face_warnings(doc: YamlDocument, model: Any) -> list[ContentError]:
    """The headline and the face over their budgets (a warning: the face is for 10 seconds)."""
    out: list[ContentError] = []
    title = getattr(model, "title", None)
    if title is not None:
        for lang, value in title.root.items():
            words, han = word_count(value), _han(value)
            if (han and han > HEADLINE_HAN) or (not han and words > HEADLINE_WORDS):
                limit = f"{HEADLINE_HAN} characters" if han else f"{HEADLINE_WORDS} words"
                out.append(doc.error(("title", lang), f"headline of {han or words} "
                                     f"{'characters' if han else 'words'}; keep it to {limit}"))
    face = getattr(model, "face_texts", None)
    fields = [f for f in getattr(model, "FACE_FIELDS", ()) if isinstance(doc.data, dict) and f in doc.data]
    where: tuple = (fields[0],) if fields else ()
    if callable(face):
        texts = face()
        for lang in (title.root if title is not None else {"en": ""}):
            total = " ".join(t.get(lang) for t in texts)
            words, han = word_count(total), _han(total)
            if (han and han > FACE_HAN) or (not han and words > FACE_WORDS):
                limit = f"{FACE_HAN} characters" if han else f"about {FACE_WORDS} words"
                out.append(doc.error(where, f"face ({lang}) has {han or words} {'characters' if han else 'words'} "
                                     f"outside its visual; keep it to {limit} and move the rest to `details:`"))
    return out


def face_size(model: Any, language: str) -> int:
    """Reading length of a panel's face outside its visual (words; Chinese: characters)."""
    face = getattr(model, "face_texts", None)
    if not callable(face):
        return 0
    total = " ".join(t.get(language) for t in face())
    return _han(total) if language == "zh" else word_count(total)
