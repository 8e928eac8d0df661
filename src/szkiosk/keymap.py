"""Every key and touch gesture of the show, in one table: what it does, in which mode, whether
a booth (``--kiosk``) allows it, and its words in every language.

The show window dispatches keys by looking them up here, the help card lists the table in the
visitor's language, and the README's "Keys and touch" table is generated from it
(``python -m szkiosk.keymap`` prints it; a test keeps the README equal to it). Before this
table the three were written separately and had drifted apart.

Keys are named as Qt names them without the ``Key_`` prefix (``Right``, ``Space``,
``PageDown``, ``Question``, ``0``), so this module stays pure: the window turns a ``Qt.Key``
into that name. The words come from the catalogue (``keys.*``), English where a language
has none.
"""

from __future__ import annotations

from dataclasses import dataclass

from szkiosk.catalogue import ui_text

#: Modes a key is read in. ``show``: the panels are on screen; ``digits``: a panel number is
#: being typed; ``overlay``: the help card or a black/white screen is up; ``overview``: the grid
#: of thumbnails; ``goto``: the G prompt; ``auto``: the auto-advance timer (``--auto``) listens
#: to every key; ``presenter``: keys the presenter view keeps for itself.
MODES = ("show", "digits", "overlay", "overview", "goto", "auto", "presenter")

DIGITS = tuple(str(d) for d in range(10))
ENTER = ("Return", "Enter")  # the main key and the keypad's


@dataclass(frozen=True)
class Action:
    """One thing a visitor or speaker can do, and how."""

    #: Handler and catalogue name: the words are ``keys.<name>``.
    name: str
    #: Qt key names that trigger it (``Right`` for ``Qt.Key.Key_Right``); empty for touch only.
    keys: tuple[str, ...] = ()
    #: Touch gestures and buttons that do the same (catalogue ``keys.touch.<gesture>``).
    touch: tuple[str, ...] = ()
    #: False when a booth ignores it: nothing may take a visitor out of the show.
    kiosk: bool = True
    mode: str = "show"
    #: Catalogue ``keys.cap.<caps>`` for keys that form a pattern ("digits + Enter").
    caps: str | None = None
    #: Listed on the help card and in the README; False for the keys inside a mode, which the
    #: listed action's words describe ("arrows choose, Enter jumps").
    listed: bool = True

    def words(self, language: str) -> str:
        """What the action does, in ``language``."""
        return ui_text(f"keys.{self.name}", language)

    def keycaps(self, language: str) -> list[str]:
        """Labels of the keys as printed on a keyboard in ``language`` (one when a pattern)."""
        if self.caps is not None:
            return [ui_text(f"keys.cap.{self.caps}", language)]
        return [keycap(key, language) for key in self.keys]

    def gestures(self, language: str) -> str:
        """The touch gestures, joined for a sentence ("" when it has none)."""
        return ui_text("keys.list_separator", language).join(
            ui_text(f"keys.touch.{gesture}", language) for gesture in self.touch)


ACTIONS: tuple[Action, ...] = (
    Action("next", ("Right", "Space", "PageDown", "Down"), ("swipe_left", "next_button")),
    Action("previous", ("Left", "PageUp", "Up", "Backspace"), ("swipe_right", "previous_button")),
    Action("first", ("Home",)),
    Action("last", ("End",)),
    Action("number", DIGITS, caps="digits"),
    Action("dot", touch=("dots",)),
    Action("language", ("L",), ("language_button",)),
    Action("black", ("B", "Period")),
    Action("white", ("W",)),
    Action("help", ("Question",)),
    Action("overview", ("O", "Escape"), kiosk=False),
    Action("goto", ("G",), kiosk=False, caps="goto"),
    Action("access", touch=("access_button",)),
    Action("full_screen", ("F",), kiosk=False),
    Action("quit", ("Q",), kiosk=False),
    Action("auto", ("A",), mode="auto"),
    Action("timer", ("T",), mode="presenter"),
    Action("reset_timer", ("R",), mode="presenter"),
    # while digits are pending (Enter without digits does nothing)
    Action("number_go", ENTER, mode="digits", listed=False),
    Action("number_clear", ("Escape",), mode="digits", listed=False),
    # the help card or a black/white screen: these only close it; the overlay keys switch it;
    # any other key closes it and then does what it does
    Action("close_overlay", ("Escape", "Q"), mode="overlay", listed=False),
    # the overview grid takes every key while it is up
    Action("overview_left", ("Left", "PageUp"), mode="overview", listed=False),
    Action("overview_right", ("Right", "PageDown"), mode="overview", listed=False),
    Action("overview_up", ("Up",), mode="overview", listed=False),
    Action("overview_down", ("Down",), mode="overview", listed=False),
    Action("overview_choose", (*ENTER, "Space"), mode="overview", listed=False),
    Action("overview_close", ("Escape", "O", "Q"), mode="overview", listed=False),
    # the G prompt: letters, digits and "-" type, these edit
    Action("goto_cancel", ("Escape",), mode="goto", listed=False),
    Action("goto_accept", ENTER, mode="goto", listed=False),
    Action("goto_erase", ("Backspace",), mode="goto", listed=False),
)

#: Keys drawn as a symbol rather than a word.
SYMBOLS = {"Right": "→", "Left": "←", "Up": "↑", "Down": "↓", "Question": "?", "Period": "."}
#: Keys whose printed name differs between keyboards (catalogue ``keys.cap.<name>``).
CAP_WORDS = {
    "Space": "space", "Return": "enter", "Enter": "enter", "Backspace": "backspace", "PageUp": "page_up",
    "PageDown": "page_down", "Home": "home", "End": "end", "Escape": "escape",
}


def keycap(key: str, language: str) -> str:
    """How a key is labelled for a reader of ``language`` (``Space`` -> ``空格`` in Chinese)."""
    if key in SYMBOLS:
        return SYMBOLS[key]
    if key in CAP_WORDS:
        return ui_text(f"keys.cap.{CAP_WORDS[key]}", language)
    return key


def _index() -> dict[tuple[str, str], Action]:
    table: dict[tuple[str, str], Action] = {}
    for entry in ACTIONS:
        if entry.mode not in MODES:
            raise ValueError(f"{entry.name}: unknown mode {entry.mode!r}")
        for key in entry.keys:
            if (entry.mode, key) in table:
                raise ValueError(f"{key} is bound twice in mode {entry.mode}: "
                                 f"{table[entry.mode, key].name} and {entry.name}")
            table[entry.mode, key] = entry
    return table


_BY_KEY = _index()


def action_for(key: str, mode: str = "show") -> Action | None:
    """The action ``key`` (a Qt key name) triggers in ``mode``, or None."""
    return _BY_KEY.get((mode, key))


def action(name: str) -> Action:
    """The action called ``name`` (``KeyError`` when there is none)."""
    for candidate in ACTIONS:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def help_rows(language: str, *, kiosk: bool = False) -> list[tuple[str, str]]:
    """(keys, what they do) for the help card: the show's listed keys that work here."""
    return [("  ".join(a.keycaps(language)), a.words(language)) for a in ACTIONS
            if a.listed and a.mode == "show" and a.keys and (a.kiosk or not kiosk)]


def markdown_table(language: str = "en") -> str:
    """The README's "Keys and touch" table: every listed action, keys and gestures, in ``language``."""
    header = [ui_text(f"keys.column_{c}", language) for c in ("keys", "touch", "does", "kiosk")]
    lines = ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
    for a in ACTIONS:
        if not a.listed:
            continue
        keys = " ".join(f"`{cap}`" for cap in a.keycaps(language)) or "—"
        cells = [keys, a.gestures(language) or "—", a.words(language),
                 ui_text("keys.yes" if a.kiosk else "keys.no", language)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    print(markdown_table(sys.argv[1] if len(sys.argv) > 1 else "en"), end="")
