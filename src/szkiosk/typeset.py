"""Line breaking for exhibition text in English and Chinese: words stay whole, punctuation
follows the Chinese rules, display lines are balanced.

Pure Python: the width of a piece of text comes from an injected ``measure`` function (the Qt
kit passes its font metrics), so the rules are tested without Qt and the audit can check a
drawn line against the same segmentation.

Chinese is segmented into words with jieba (the Rust port, ``rjieba``: Qt's
``QTextBoundaryFinder`` breaks between any two Han characters, it has no dictionary), plus a
small dictionary of this exhibition's terms (``zh_words.txt``). Then:

* a number keeps its unit (``8700亿元``, ``2022年``, ``44项``), a brand its brackets (``《财富》``);
* closing punctuation never starts a line and opening punctuation never ends one (clreq's
  basic prohibition rules; U+2014 and U+2026 pairs are never split);
* the last line of a Chinese paragraph keeps at least three characters where it can;
* a word is never broken in display roles (titles, labels, names), nor a Latin word anywhere
  (there is no hyphenation); a word wider than the line is reported (:attr:`Paragraph.overflow`)
  so the layout can give it more room. In Chinese body text an over-long word breaks between
  characters as a last resort (and is still reported).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

Measure = Callable[[str], float]

#: Never at the start of a line (clreq "basic" set plus closing brackets and quotes, %, ‰).
NO_LINE_START = frozenset("、，。．；：！？）］｝〕〉》」』】〗〙〛”’」%‰·・…—～‐-,.;:!?)]}>")
#: Never at the end of a line.
NO_LINE_END = frozenset("（［｛〔〈《「『【〖〘〚“‘([{<")
#: Characters that follow a number as its unit or classifier (kept with the number).
UNITS = frozenset("年月日时分秒号亿万千百十元角个家项条届座所名位次倍座台款件篇批类种套户人岁%‰℃")
#: Text in display roles keeps words whole; body text may break inside one as a last resort.
DISPLAY = "display"
BODY = "body"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NUMBER = re.compile(r"^[0-9][0-9,.]*[0-9%]?$|^[0-9]$")
_SPACE = re.compile(r"(\s+)")


def is_han(ch: str) -> bool:
    """True for a CJK ideograph."""
    return bool(_HAN.match(ch))


def has_han(text: str) -> bool:
    """True when ``text`` contains a CJK ideograph."""
    return bool(_HAN.search(text))


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    """True when ``text`` has CJK ideographs or full-width punctuation (it breaks the Chinese way)."""
    return bool(_CJK.search(text))


@dataclass(frozen=True)
class Token:
    """An unbreakable piece of text; ``space`` is the (droppable) space that follows it."""

    text: str
    space: str = ""


@dataclass
class Paragraph:
    """A paragraph broken into lines."""

    lines: list[str]
    #: Tokens wider than the line (display: drawn too wide; body: broken between characters).
    overflow: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every word fitted its line."""
        return not self.overflow


# -- segmentation ---------------------------------------------------------------------------
def _our_words() -> str:
    return resources.files("szkiosk").joinpath("zh_words.txt").read_text(encoding="utf-8")


@cache
def _segment() -> Callable[[str], list[str]]:
    """jieba's segmenter with ``zh_words.txt`` added, loaded on first use.

    Importing rjieba builds its default segmenter (jieba's whole dictionary: about 35 MB and
    0.2 s here); we add our words to that one rather than build a second (another 26 MB).
    """
    import rjieba

    for line in _our_words().splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            rjieba.add_word(word, None, None)  # None: a frequency that lets the word be cut out
    return rjieba.cut


class SegmentCache:
    """Segmentations remembered on disk, so a show that has met its texts before never loads
    jieba (35 MB and 0.2 s on the first Chinese line otherwise).

    One JSON line ``[text, [word, ...]]`` per text, appended as texts are met, in a file named
    by a hash of what decides the result (rjieba's version and ``zh_words.txt``), so a new
    dictionary starts a new file. A line that does not join back to its text is ignored;
    any file error leaves the cache in memory only: segmentation never fails because of it.
    """

    #: Past this size the file is started afresh (texts a deck no longer uses pile up).
    MAX_BYTES = 4_000_000

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.path: Path | None = None
        self.words: dict[str, tuple[str, ...]] = {}
        self._writable = folder is not None
        if folder is not None:
            self.path = folder / f"segments-{self._key()}.jsonl"
            self._read()

    @staticmethod
    def _key() -> str:
        try:
            from importlib.metadata import version

            engine = version("rjieba")
        except Exception:  # not installed as a distribution: the words file still keys it
            engine = "?"
        return hashlib.sha1(f"{engine}\n{_our_words()}".encode()).hexdigest()[:12]

    def _read(self) -> None:
        assert self.path is not None
        try:
            if self.path.stat().st_size > self.MAX_BYTES:
                self.path.unlink()
                return
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return
        for line in lines:
            try:
                text, words = json.loads(line)
            except (ValueError, TypeError):
                continue
            if isinstance(text, str) and isinstance(words, list) and "".join(map(str, words)) == text:
                self.words[text] = tuple(map(str, words))

    def get(self, text: str) -> tuple[str, ...] | None:
        """The remembered words of ``text``, or None."""
        return self.words.get(text)

    def add(self, text: str, words: tuple[str, ...]) -> None:
        """Remember ``words`` for ``text`` (and append them to the file when there is one)."""
        self.words[text] = words
        if not self._writable or self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps([text, list(words)], ensure_ascii=False) + "\n")
        except OSError:
            self._writable = False  # a read-only or full disk: keep going in memory


def _cache_folder() -> Path | None:
    """``$XDG_CACHE_HOME/szkiosk`` (``~/.cache`` when unset); None when ``SZKIOSK_NO_SEGMENT_CACHE`` is set."""
    if os.environ.get("SZKIOSK_NO_SEGMENT_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "szkiosk"


@cache
def segment_cache() -> SegmentCache:
    """The process's segmentation cache (read once, on the first Chinese text)."""
    return SegmentCache(_cache_folder())


@cache
def zh_words(text: str) -> tuple[str, ...]:
    """Chinese words of ``text`` as the segmenter sees them (pieces joined give ``text``)."""
    remembered = segment_cache()
    words = remembered.get(text)
    if words is None:
        words = tuple(_segment()(text))
        remembered.add(text, words)
    return words


def _glue_zh(words: Sequence[str]) -> list[str]:
    """Join what must not be split: a number and its unit, brackets and their word, punctuation."""
    out: list[str] = []
    for w in words:
        if not out:
            out.append(w)
            continue
        prev = out[-1]
        if w and w[0] in NO_LINE_START:
            out[-1] = prev + w  # closing punctuation stays with the word before it
        elif prev and prev[-1] in NO_LINE_END:
            out[-1] = prev + w  # opening punctuation stays with the word after it
        elif _NUMBER.match(prev.rstrip("多余")) and w and (w[0] in UNITS or w[0] in "多余") and len(w) <= 3:
            out[-1] = prev + w  # 8700亿元, 2022年, 300多个
        elif (prev in ("第", "约", "超") and _NUMBER.match(w)) or (w[0].isdigit() and prev[-1].isdigit()) \
                or (w[0].isdigit() and prev[-1] in ",." and len(prev) > 1 and prev[-2].isdigit()):
            out[-1] = prev + w  # 第1, 约30, 5,600
        else:
            out.append(w)
    return out


_URL = re.compile(r"^(https?://|www\.)", re.I)


def _word_parts(word: str) -> list[str]:
    """A Latin word's unbreakable parts: it may break after a hyphen or slash, and an address
    also after its dots and query marks (a URL is no word a reader must see whole)."""
    if _URL.match(word) or "://" in word:
        return re.findall(r"[^/._?&=-]+[/._?&=-]*|[/._?&=-]+", word)
    return re.findall(r"[^-/–]+[-/–]?|[-/–]", word)


def _latin_tokens(text: str) -> list[Token]:
    """Space-separated words; a hyphen or slash inside a word is a break opportunity."""
    tokens: list[Token] = []
    for piece in _SPACE.split(text):
        if not piece:
            continue
        if piece.isspace():
            if tokens:
                tokens[-1] = Token(tokens[-1].text, tokens[-1].space + piece)
            continue
        tokens.extend(Token(p) for p in _word_parts(piece))
    return tokens


def tokens(text: str) -> list[Token]:
    """Unbreakable pieces of a one-line ``text`` (no newlines), in order."""
    if not has_cjk(text):
        return _latin_tokens(text)
    out: list[Token] = []
    for piece in _glue_zh(zh_words(text)):
        if piece.isspace():
            if out:
                out[-1] = Token(out[-1].text, out[-1].space + piece)
            continue
        lead = len(piece) - len(piece.lstrip())
        if lead and out:
            out[-1] = Token(out[-1].text, out[-1].space + piece[:lead])
        body = piece.strip()
        trail = piece[len(piece.rstrip()):]
        if " " in body or (body and not has_han(body) and len(body) > 12):
            sub = _latin_tokens(body)  # words inside Chinese text; long ones (addresses) may break
            sub[-1] = Token(sub[-1].text, sub[-1].space + trail)
            out.extend(sub)
        elif body:
            out.append(Token(body, trail))
    return _attach_punctuation(out)


def _attach_punctuation(toks: list[Token]) -> list[Token]:
    out: list[Token] = []
    for tok in toks:
        if out and not out[-1].space and (tok.text[0] in NO_LINE_START or out[-1].text[-1] in NO_LINE_END):
            out[-1] = Token(out[-1].text + tok.text, tok.space)
        else:
            out.append(tok)
    return out


def word_boundaries(text: str) -> set[int]:
    """Offsets in ``text`` where a line may break (between tokens)."""
    cuts: set[int] = set()
    pos = 0
    for tok in tokens(text):
        pos += len(tok.text)
        cuts.add(pos)
        pos += len(tok.space)
        cuts.add(pos)
    return cuts


# -- breaking ----------------------------------------------------------------------------------
def _split_chars(word: str, measure: Measure, width: float) -> list[str]:
    """Break an over-long word between characters, keeping the punctuation rules."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and measure(current + ch) > width and ch not in NO_LINE_START and current[-1] not in NO_LINE_END:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def _greedy(toks: Sequence[Token], measure: Measure, width: float, mode: str) -> Paragraph:
    lines: list[str] = []
    overflow: list[str] = []
    line = ""
    pending_space = ""
    for tok in toks:
        candidate = line + pending_space + tok.text if line else tok.text
        if not line or measure(candidate) <= width + 0.01:
            if not line and measure(tok.text) > width + 0.01:
                overflow.append(tok.text)
                if mode == BODY and has_han(tok.text):
                    parts = _split_chars(tok.text, measure, width)
                    lines.extend(parts[:-1])
                    candidate = parts[-1]
            line = candidate
        else:
            lines.append(line)
            line = tok.text
            if measure(tok.text) > width + 0.01:
                overflow.append(tok.text)
                if mode == BODY and has_han(tok.text):
                    parts = _split_chars(tok.text, measure, width)
                    lines.extend(parts[:-1])
                    line = parts[-1]
        pending_space = tok.space
    if line:
        lines.append(line)
    return Paragraph(lines, overflow)


def _han_count(text: str) -> int:
    return sum(1 for ch in text if is_han(ch))


def _fix_orphan(toks: Sequence[Token], para: Paragraph, measure: Measure, width: float) -> Paragraph:
    """A Chinese last line of one or two characters takes a word from the line above."""
    if len(para.lines) < 2 or _han_count(para.lines[-1]) > 2 or not has_han(para.lines[-1]):
        return para
    # rebreak with the last line's start moved one token earlier, if the rest still fits
    for shrink in (0.92, 0.85, 0.78):
        trial = _greedy(toks, measure, width * shrink, DISPLAY)
        if len(trial.lines) == len(para.lines) and not trial.overflow and _han_count(trial.lines[-1]) > 2:
            return trial
    return para


def _balance(toks: Sequence[Token], measure: Measure, width: float, mode: str, first: Paragraph) -> Paragraph:
    """The narrowest width that keeps the line count: even lines, no lonely last word."""
    if len(first.lines) < 2 or first.overflow:
        return first
    lo, hi = width * 0.4, width
    best = first
    for _ in range(12):
        mid = (lo + hi) / 2
        trial = _greedy(toks, measure, mid, mode)
        if len(trial.lines) <= len(first.lines) and not trial.overflow:
            best, hi = trial, mid
        else:
            lo = mid
    return best


def break_lines(text: str, measure: Measure, width: float, *, mode: str = BODY, balance: bool = False) -> Paragraph:
    """Break ``text`` into lines no wider than ``width`` (``\\n`` forces a break)."""
    lines: list[str] = []
    overflow: list[str] = []
    for raw in text.split("\n"):
        if not raw.strip():
            lines.append("")
            continue
        if measure(raw.strip()) <= width:  # one line: nothing to break, no words to find
            lines.append(raw.strip())
            continue
        toks = tokens(raw)
        para = _greedy(toks, measure, width, mode)
        if balance:
            para = _balance(toks, measure, width, mode, para)
        if has_han(raw):
            para = _fix_orphan(toks, para, measure, width)
        lines.extend(line.rstrip() for line in para.lines)
        overflow.extend(para.overflow)
    return Paragraph(lines, overflow)


# -- checks (the audit uses these on what was drawn) ----------------------------------------------
def broken_words(text: str, lines: Sequence[str]) -> list[str]:
    """Words of ``text`` split across two of ``lines`` (``"腾|讯"``); empty when all breaks are allowed."""
    joined = ""
    cuts: list[int] = []
    remaining = text.replace("\n", "")
    for line in lines[:-1]:
        stripped = line.rstrip()
        idx = remaining.find(stripped)
        if idx < 0:
            return []
        joined += remaining[: idx + len(stripped)]
        remaining = remaining[idx + len(stripped):]
        cuts.append(len(joined))
    full = text.replace("\n", "")
    allowed = word_boundaries(full)
    bad = []
    for cut in cuts:
        if cut in allowed or cut >= len(full):
            continue
        while cut < len(full) and full[cut].isspace():
            cut += 1
        if cut in allowed:
            continue
        left = full[max(0, cut - 4):cut].split()[-1:] or [""]
        right = full[cut:cut + 4].split()[:1] or [""]
        bad.append(f"{left[0]}|{right[0]}")
    return bad


def punctuation_faults(lines: Sequence[str]) -> list[str]:
    """Lines that start with closing or end with opening punctuation."""
    faults = []
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if i > 0 and s[0] in NO_LINE_START and has_han("".join(lines)):
            faults.append(f"line {i + 1} starts with {s[0]!r}")
        if i < len(lines) - 1 and s[-1] in NO_LINE_END:
            faults.append(f"line {i + 1} ends with {s[-1]!r}")
    return faults


def word_count(text: str) -> int:
    """Reading length: English words, plus Chinese characters / 2 (a Chinese word is ~2 characters)."""
    han = _han_count(text)
    latin = len([w for w in re.split(r"[\s\u3000-\u303f\uff00-\uffef]+", _HAN.sub(" ", text)) if re.search(r"\w", w)])
    return latin + (han + 1) // 2


def display_width(text: str) -> int:
    """Characters counted the way a Chinese editor counts them (full-width = 1, ASCII = 1/2)."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0 for ch in text) + sum(
        1 for ch in text if unicodedata.east_asian_width(ch) not in "WF"
    ) // 2
