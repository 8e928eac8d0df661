"""The ``szkiosk`` command: run, validate, shot, schema."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from szkiosk import __version__

log = logging.getLogger("szkiosk")


def bundled_deck() -> Path:
    """The deck shipped with the project (``content/`` next to ``src/``), or ./content."""
    env = os.environ.get("SZKIOSK_DECK")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[2] / "content"
    if (here / "deck.yaml").exists():
        return here
    return Path("content")


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WIDTHxHEIGHT, e.g. 1920x1080, got {text!r}") from None
    if not (100 <= w <= 16384 and 100 <= h <= 16384):
        raise argparse.ArgumentTypeError(f"size {w}x{h} is out of range")
    return w, h


def _load(deck: Path, *, strict: bool = False):
    """Load a deck for showing; print content errors; None when deck.yaml is unusable."""
    from szkiosk.content import ContentFileError, load_deck

    try:
        loaded = load_deck(deck)
    except ContentFileError as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        return None
    for err in loaded.errors:
        log.warning("content: %s", err)
    if strict and loaded.errors:
        return None
    return loaded


# -- commands ---------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    """Check a deck; print every problem as file:line: field: message."""
    from szkiosk.content import ContentFileError, load_deck
    from szkiosk.content.legibility import check_legibility

    try:
        loaded = load_deck(args.deck)
    except ContentFileError as exc:
        for err in exc.errors:
            print(err)
        print(f"{args.deck}: {len(exc.errors)} problem(s); deck.yaml could not be used")
        return 1
    problems, warnings = check_legibility(loaded)
    errors = loaded.errors + problems
    for err in errors:
        print(err)
    for warn in warnings + loaded.warnings:
        print(f"warning: {warn}")
    if errors:
        print(f"{args.deck}: {len(errors)} problem(s) in {len(loaded.panels)} panels")
        return 1
    langs = "/".join(loaded.model.languages)
    print(f"{args.deck}: {len(loaded.panels)} panels, languages {langs}: OK"
          + (f" ({len(warnings)} warning(s))" if warnings else ""))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print or write the JSON Schemas for deck.yaml and panel files."""
    from szkiosk.content.jsonschema import deck_schema, panel_schema

    schemas = {"deck.schema.json": deck_schema(), "panel.schema.json": panel_schema()}
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas.items():
            (out / name).write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            print(out / name)
    else:
        print(json.dumps({"deck": schemas["deck.schema.json"], "panel": schemas["panel.schema.json"]},
                         indent=2, ensure_ascii=False))
    return 0


def cmd_shot(args: argparse.Namespace) -> int:
    """Render every panel at its final state to PNG files, offscreen."""
    from szkiosk.ui.app import prepare_environment

    prepare_environment(offscreen=True, size=args.size)
    loaded = _load(args.deck)
    if loaded is None:
        return 1
    from szkiosk.ui.app import application
    from szkiosk.ui.shots import render_deck

    application()
    languages = loaded.model.languages if args.lang == "all" else [args.lang or loaded.model.default_language]
    unknown = [lang for lang in languages if lang not in loaded.model.languages]
    if unknown:
        print(f"unknown language {unknown[0]!r}; the deck has {loaded.model.languages}", file=sys.stderr)
        return 2
    out = Path(args.out)
    total = len(languages) * len(loaded.panels)
    done = 0
    for lang in languages:
        folder = out / lang if len(languages) > 1 else out
        for path in render_deck(loaded, lang, folder, args.size, only=args.panel):
            done += 1
            print(f"[{done}/{total}] {path}", flush=True)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export a handout PDF (one page per panel) and/or PNG images."""
    if not args.pdf and not args.png:
        print("nothing to do: give --pdf FILE and/or --png DIR", file=sys.stderr)
        return 2
    if args.png:
        shot_args = argparse.Namespace(deck=args.deck, out=args.png, size=(1920, 1080), lang=args.lang, panel=None)
        code = cmd_shot(shot_args)
        if code:
            return code
    if args.pdf:
        from szkiosk.ui.app import prepare_environment  # noqa: PLC0415

        prepare_environment(offscreen=True)
        loaded = _load(args.deck)
        if loaded is None:
            return 1
        language = args.lang or loaded.model.default_language
        if language not in loaded.model.languages:
            print(f"unknown language {language!r}; the deck has {loaded.model.languages}", file=sys.stderr)
            return 2
        from szkiosk.ui.app import application  # noqa: PLC0415
        from szkiosk.ui.export import export_pdf  # noqa: PLC0415

        application()
        path = Path(args.pdf)
        path.parent.mkdir(parents=True, exist_ok=True)
        total = len(loaded.panels)
        for page in export_pdf(loaded, path, language, notes=args.notes):
            print(f"[{page}/{total}] page {page}", flush=True)
        print(path)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Show a deck in a window or full screen."""
    from szkiosk.ui.app import prepare_environment

    prepare_environment()
    loaded = _load(args.deck)
    if loaded is None:
        return 1
    if args.lang and args.lang not in loaded.model.languages:
        print(f"unknown language {args.lang!r}; the deck has {loaded.model.languages}", file=sys.stderr)
        return 2
    if args.panel:
        index = loaded.index_of(args.panel)
        if index is None:
            print(f"no panel with id {args.panel!r}", file=sys.stderr)
            return 2
        loaded.panels = [loaded.panels[index]]
    from PySide6.QtCore import QTimer

    from szkiosk.ui.app import application, install_excepthook
    from szkiosk.ui.window import ShowWindow

    app = application()
    install_excepthook()
    window = ShowWindow(loaded, language=args.lang, kiosk=args.kiosk, start=args.start)
    if args.windowed:
        window.resize(*args.window_size)
        window.show()
    else:
        window.show_full_screen()
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), window.force_close)
    if args.quit_after_first_paint:
        _quit_on_first_paint(window)
    started = time.monotonic()
    code = app.exec()
    log.info("show ended after %.1f s", time.monotonic() - started)
    return int(code)


def _quit_on_first_paint(window) -> None:  # noqa: ANN001
    """Close the window as soon as the stage has painted once (start-up benchmark)."""
    from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: PLC0415

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, window.force_close)
            return False

    window._first_paint = FirstPaint(window)
    window.stage.viewport().installEventFilter(window._first_paint)


# -- parser -----------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The argument parser (every command has --help)."""
    parser = argparse.ArgumentParser(
        prog="szkiosk",
        description="Kiosk presentations about Shenzhen's high-quality development. "
        "Without a command, shows the bundled deck full screen.",
    )
    parser.add_argument("--version", action="version", version=f"szkiosk {__version__}")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"],
                        help="how much to log (default: info)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="show a deck", description="Show a deck full screen or in a window.")
    run.add_argument("deck", nargs="?", type=Path, default=None, help="deck folder (default: the bundled deck)")
    run.add_argument("--windowed", action="store_true", help="open in a window instead of full screen")
    run.add_argument("--window-size", type=_size, default=(1280, 720), metavar="WxH",
                     help="window size with --windowed (default 1280x720)")
    run.add_argument("--kiosk", action="store_true", help="booth mode: no exit for visitors, Next wraps")
    run.add_argument("--start", metavar="ID", help="start at this panel id (or number)")
    run.add_argument("--panel", metavar="ID", help="show only this panel (preview while authoring)")
    run.add_argument("--lang", metavar="LANG", help="start in this language (e.g. en, zh)")
    run.add_argument("--quit-after", type=float, metavar="SECONDS", help="close after this many seconds")
    run.add_argument("--quit-after-first-paint", action="store_true",
                     help="close as soon as the first panel has been painted (start-up benchmark)")
    run.set_defaults(func=cmd_run)

    val = sub.add_parser("validate", help="check a deck's content",
                         description="Check a deck; print every problem as file:line: field: message. "
                         "Exit 1 when there is any problem.")
    val.add_argument("deck", type=Path, help="deck folder")
    val.set_defaults(func=cmd_validate)

    shot = sub.add_parser("shot", help="render every panel to PNG",
                          description="Render every panel at its final animation state to DIR/NN-<id>.png "
                          "(offscreen; no display needed).")
    shot.add_argument("deck", type=Path, help="deck folder")
    shot.add_argument("--out", required=True, help="output folder")
    shot.add_argument("--size", type=_size, default=(1920, 1080), metavar="WxH", help="image size")
    shot.add_argument("--lang", default=None,
                      help="language code, or 'all' for one subfolder per language (default: deck default)")
    shot.add_argument("--panel", metavar="ID", help="only this panel")
    shot.set_defaults(func=cmd_shot)

    export = sub.add_parser("export", help="export a PDF handout and/or PNGs",
                            description="One 16:9 PDF page per panel at its final state (vector text), "
                            "and/or PNG images; works offscreen.")
    export.add_argument("deck", type=Path, help="deck folder")
    export.add_argument("--pdf", metavar="FILE", help="write the handout PDF here")
    export.add_argument("--png", metavar="DIR", help="also write PNG images here (as `shot`)")
    export.add_argument("--lang", default=None, help="language code (default: deck default)")
    export.add_argument("--notes", action="store_true", help="print presenter notes under each panel")
    export.set_defaults(func=cmd_export)

    schema = sub.add_parser("schema", help="print the JSON Schema of the content",
                            description="Print (or write with --out) JSON Schemas for deck.yaml and panel files.")
    schema.add_argument("--out", help="folder to write deck.schema.json and panel.schema.json into")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``szkiosk`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.log_level)
    if args.command is None:
        args = parser.parse_args(["--log-level", args.log_level, "run"])
    if getattr(args, "deck", None) is None:
        args.deck = bundled_deck()
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("szkiosk %s failed", args.command)
        return 1
