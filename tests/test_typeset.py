"""Line breaking: Chinese words stay whole, numbers keep their units, punctuation follows clreq,
display lines balance, and a word too wide for its line is reported, never cut silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from szkiosk.typeset import (
    BODY,
    DISPLAY,
    NO_LINE_END,
    NO_LINE_START,
    break_lines,
    broken_words,
    punctuation_faults,
    tokens,
    word_boundaries,
    word_count,
)


def em(text: str) -> float:
    """A monospace measure: Han and full-width marks 1 em (10 px), everything else half."""
    return sum(10.0 if ord(ch) > 0x2E80 else 5.0 for ch in text)


SEED_ZH = [
    "深圳拥有腾讯、华为等《财富》世界500强企业",
    "推进中国特色社会主义先行示范区建设，加快粤港澳大湾区互联互通",
    "2022年10月14日，国家发展改革委印发通知，梳理44项典型经验和创新举措。",
    "连续举办4届全球招商大会，签约项目300多个、投资总额8700亿元",
    "创业板改革并试点注册制，面向未来抢抓机遇，研发人员持续增长",
]


@pytest.mark.parametrize(("text", "word"), [
    ("深圳拥有腾讯、华为", "腾讯"), ("《财富》世界500强", "《财富》"), ("社会主义先行示范区", "先行示范区"),
    ("试点注册制", "注册制"), ("面向未来", "未来"), ("抢抓机遇", "机遇"), ("互联互通", "互联互通"),
    ("深圳交易会", "交易会"), ("投资8700亿元", "8700亿元"), ("创新型企业", "创新型企业"),
    ("研发人员", "人员"), ("居全国首位", "首位"), ("2022年", "2022年"), ("300多个", "300多个"),
])
def test_chinese_words_and_numbers_with_units_are_single_tokens(text: str, word: str) -> None:
    assert any(word in t.text for t in tokens(text)), [t.text for t in tokens(text)]
    cuts = word_boundaries(text)
    start = text.index(word)
    assert not any(start < c < start + len(word) for c in cuts), (word, sorted(cuts))


@pytest.mark.parametrize("text", SEED_ZH)
@pytest.mark.parametrize("width", [60, 90, 130, 170, 230, 310])
def test_display_lines_never_break_a_chinese_word(text: str, width: int) -> None:
    para = break_lines(text, em, width, mode=DISPLAY, balance=True)
    assert "".join(para.lines) == text.replace(" ", "")
    assert broken_words(text, para.lines) == []
    assert punctuation_faults(para.lines) == []


@pytest.mark.parametrize("text", SEED_ZH)
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(text: str) -> None:
    for width in range(40, 400, 7):
        para = break_lines(text, em, width, mode=BODY)
        for i, line in enumerate(para.lines):
            assert i == 0 or line[0] not in NO_LINE_START, para.lines
            assert i == len(para.lines) - 1 or line[-1] not in NO_LINE_END, para.lines


def test_the_last_chinese_line_is_not_an_orphan() -> None:
    text = "深圳用好综合改革试点这一关键一招推动改革开放全面深化加快形成新格局"
    for width in range(80, 300, 10):
        para = break_lines(text, em, width)
        if len(para.lines) > 1 and not para.overflow:
            han = sum(1 for ch in para.lines[-1] if "\u4e00" <= ch <= "\u9fff")
            assert han > 2 or len(para.lines[-1]) == len(text), (width, para.lines)


def test_balanced_display_lines_are_even() -> None:
    text = "Innovation in numbers and the people behind them"
    plain = break_lines(text, em, 200, mode=DISPLAY)
    even = break_lines(text, em, 200, mode=DISPLAY, balance=True)
    assert len(even.lines) == len(plain.lines) == 2
    widths = [em(line) for line in even.lines]
    assert max(widths) - min(widths) < max(em(line) for line in plain.lines) - min(em(line) for line in plain.lines)


def test_a_word_too_wide_is_reported_and_kept_whole() -> None:
    para = break_lines("Supercalifragilistic expialidocious", em, 40, mode=DISPLAY)
    assert para.overflow == ["Supercalifragilistic", "expialidocious"]
    assert para.lines == ["Supercalifragilistic", "expialidocious"]
    body = break_lines("Supercalifragilistic", em, 40, mode=BODY)
    assert body.lines == ["Supercalifragilistic"], "Latin words are never split, even in body text"
    han = break_lines("国家发展改革委", em, 30, mode=BODY)
    assert han.overflow and all(em(line) <= 30 for line in han.lines), "Chinese body text breaks as a last resort"


def test_english_breaks_between_words_and_after_hyphens() -> None:
    para = break_lines("State-level high-tech enterprises", em, 60)
    assert all(not line.startswith("-") for line in para.lines)
    assert "".join(para.lines).replace(" ", "") == "State-levelhigh-techenterprises"


def test_the_check_finds_a_word_split_by_another_engine() -> None:
    assert broken_words("深圳拥有腾讯企业", ["深圳拥有腾", "讯企业"]) == ["圳拥有腾|讯企业"]
    assert broken_words("深圳拥有腾讯企业", ["深圳拥有", "腾讯企业"]) == []


def test_word_count_reads_both_scripts() -> None:
    assert word_count("Innovation in numbers") == 3
    assert word_count("创新数据") == 2
    assert word_count("PCT国际专利") == 1 + 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["深圳", "腾讯", "、", "，", "。", "《财富》", "2022年", "创新型企业", " ", "GDP"]),
                min_size=1, max_size=30), st.integers(min_value=20, max_value=400))
def test_breaking_keeps_every_character_and_every_rule(parts: list[str], width: int) -> None:
    text = "".join(parts).strip()
    if not text:
        return
    para = break_lines(text, em, width, mode=DISPLAY)
    assert "".join(para.lines).replace(" ", "") == text.replace(" ", "")
    assert broken_words(text, para.lines) == []
    fits = [line for line in para.lines if em(line) > width + 0.01]
    assert all(any(tok in line for tok in para.overflow) for line in fits)


# -- the segmentation cache ------------------------------------------------------------------
SEGMENT_SCRIPT = """
import sys
from szkiosk import typeset
print("|".join(typeset.zh_words(sys.argv[1])), "rjieba" in sys.modules)
"""


def test_a_text_met_before_is_segmented_without_loading_jieba(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("SZKIOSK_NO_SEGMENT_CACHE", None)
    text = "深圳依托前海、河套等重大平台"

    def run() -> str:
        out = subprocess.run([sys.executable, "-c", SEGMENT_SCRIPT, text], capture_output=True, text=True,
                             env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    assert run() == "深圳|依托|前海|、|河套|等|重大|平台 True"  # first meeting: jieba segments it
    assert run() == "深圳|依托|前海|、|河套|等|重大|平台 False"  # then it comes from the cache


def test_the_cache_ignores_lines_that_do_not_join_back_and_survives_a_read_only_folder(tmp_path: Path) -> None:
    from szkiosk.typeset import SegmentCache

    cache = SegmentCache(tmp_path)
    assert cache.path is not None
    cache.path.write_text('not json\n["深圳前海", ["深圳", "后海"]]\n["前海合作区", ["前海", "合作区"]]\n',
                          encoding="utf-8")
    again = SegmentCache(tmp_path)
    assert again.get("深圳前海") is None  # its words do not spell the text: a damaged line
    assert again.get("前海合作区") == ("前海", "合作区")
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    unwritable = SegmentCache(blocked / "sub")  # its folder cannot be made (even by root)
    unwritable.add("河套", ("河套",))  # remembered in memory all the same
    assert unwritable.get("河套") == ("河套",)
    assert not (blocked / "sub").exists()
