"""Navigation model (pure, no Qt)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from szkiosk.deck import Cause, Change, Presentation

IDS = ["title", "figures", "actions", "map"]


def make(**kwargs) -> tuple[Presentation, list[Change]]:
    p = Presentation(IDS, ["en", "zh"], **kwargs)
    seen: list[Change] = []
    p.subscribe(seen.append)
    return p, seen


def test_starts_at_first_in_first_language() -> None:
    p, _ = make()
    assert (p.index, p.current_id, p.language) == (0, "title", "en")


def test_next_previous_and_bounds() -> None:
    p, seen = make()
    assert p.previous() is False
    assert p.next() and p.next()
    assert p.current_id == "actions"
    assert p.previous()
    assert [c.cause for c in seen] == [Cause.NEXT, Cause.NEXT, Cause.PREVIOUS]
    assert [c.direction for c in seen] == [1, 1, -1]
    p.last()
    assert p.next() is False
    assert p.at_last


def test_wrap_for_booth_use() -> None:
    p, _ = make(wrap=True)
    p.last()
    assert p.next() and p.index == 0
    assert p.previous() and p.index == 3


def test_goto_by_id_and_number() -> None:
    p, seen = make()
    assert p.goto("map")
    assert p.index == 3
    assert p.goto(2) and p.current_id == "figures"
    assert p.goto("1") and p.index == 0
    assert seen[-1].cause == Cause.JUMP
    with pytest.raises(KeyError):
        p.goto("nope")
    with pytest.raises(IndexError):
        p.goto(9)
    with pytest.raises(IndexError):
        p.goto(0)


def test_goto_current_is_no_change() -> None:
    p, seen = make()
    assert p.goto("title") is False
    assert seen == []


def test_history_and_back() -> None:
    p, _ = make()
    p.goto("map")
    p.goto("figures")
    assert p.history == [0, 3]
    assert p.back() and p.current_id == "map"
    assert p.back() and p.current_id == "title"
    assert p.back() is False


def test_language_toggle_and_validation() -> None:
    p, seen = make()
    assert p.toggle_language() == "zh"
    assert seen[-1] == Change(0, 0, "zh", Cause.LANGUAGE)
    assert seen[-1].direction == 0
    assert p.set_language("zh") is False
    with pytest.raises(ValueError):
        p.set_language("fr")


def test_reset_returns_to_start_and_default_language() -> None:
    p, seen = make()
    p.goto("map")
    p.set_language("zh")
    p.reset("en")
    assert (p.index, p.language, p.history) == (0, "en", [])
    assert seen[-1].cause == Cause.RESET


def test_unsubscribe() -> None:
    p = Presentation(IDS)
    seen: list[Change] = []
    stop = p.subscribe(seen.append)
    p.next()
    stop()
    p.next()
    assert len(seen) == 1


def test_empty_deck_rejected() -> None:
    with pytest.raises(ValueError):
        Presentation([])


def test_unknown_start_language_falls_back() -> None:
    assert Presentation(IDS, ["en", "zh"], "fr").language == "en"


@given(st.lists(st.sampled_from(["next", "previous", "first", "last", "back", "toggle"]), max_size=60),
       st.booleans())
def test_any_command_sequence_keeps_state_valid(commands: list[str], wrap: bool) -> None:
    p = Presentation(IDS, ["en", "zh"], wrap=wrap, history_limit=10)
    changes: list[Change] = []
    p.subscribe(changes.append)
    for command in commands:
        if command == "toggle":
            p.toggle_language()
        else:
            getattr(p, command)()
        assert 0 <= p.index < len(IDS)
        assert len(p.history) <= 10
    for change in changes:
        assert 0 <= change.index < len(IDS)
    if changes:
        assert changes[-1].index == p.index


def test_steps_advance_before_panels_and_reverse() -> None:
    p = Presentation(IDS, steps=[0, 2, 0, 1])
    seen: list[Change] = []
    p.subscribe(seen.append)
    p.next()
    assert (p.index, p.step) == (1, 0)
    p.next()
    p.next()
    assert (p.index, p.step) == (1, 2)
    assert [c.cause for c in seen[-2:]] == [Cause.STEP, Cause.STEP]
    p.next()
    assert (p.index, p.step) == (2, 0)
    p.previous()  # arriving backwards shows the panel fully built
    assert (p.index, p.step) == (1, 2)
    p.previous()
    assert (p.index, p.step) == (1, 1)
    p.goto("map")
    assert p.step == 0


def test_step_builds_can_be_switched_off() -> None:
    p = Presentation(IDS, steps=[3, 0, 0, 0])
    p.step_builds = False
    p.next()
    assert (p.index, p.step) == (1, 0)


def test_steps_must_match_panels() -> None:
    with pytest.raises(ValueError):
        Presentation(IDS, steps=[1, 2])


def test_plan_tour_keeps_priorities_and_order() -> None:
    from szkiosk.deck import TourStop, plan_tour

    stops = [TourStop("title", 1, 30), TourStop("a", 3, 120), TourStop("b", 1, 90),
             TourStop("c", 2, 60), TourStop("d", 2, 200)]
    assert plan_tour(stops, 3) == ["title", "b", "c"]
    assert plan_tour(stops, 100) == ["title", "a", "b", "c", "d"]
    assert plan_tour(stops, 0.1) == ["title"]
    assert plan_tour([], 5) == []
