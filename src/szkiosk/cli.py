"""The ``szkiosk`` command: run, validate, shot, schema."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from pathlib import Path

from szkiosk import __version__

log = logging.getLogger("szkiosk")


def bundled_deck() -> Path:
    """The deck a command uses without DECK: $SZKIOSK_DECK if set, else the one szkiosk ships.

    Shipped means the repository's ``content/`` in a checkout and the wheel's packaged copy
    when installed (``szkiosk.resources``).
    """
    env = os.environ.get("SZKIOSK_DECK")
    if env:
        return Path(env)
    from szkiosk.resources import bundled_deck as shipped

    return shipped()


def _setup_logging(level: str, log_file: Path | None = None) -> Path | None:
    """Logging to stderr and ``log_file``; a hard crash leaves every thread's stack beside it."""
    from szkiosk.logs import enable_crash_traces, setup_logging

    used = setup_logging(level, log_file)
    enable_crash_traces(used)
    return used


def _log_file_for(args: argparse.Namespace) -> Path | None:
    """``--log-file`` if given ('none' turns it off); a booth (``run --kiosk``) logs to the state folder."""
    from szkiosk.logs import default_log_file

    if args.log_file:
        return None if args.log_file.lower() == "none" else Path(args.log_file)
    if args.command in (None, "run") and getattr(args, "kiosk", False):
        return default_log_file()
    return None


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WIDTHxHEIGHT, e.g. 1920x1080, got {text!r}") from None
    if not (100 <= w <= 16384 and 100 <= h <= 16384):
        raise argparse.ArgumentTypeError(f"size {w}x{h} is out of range")
    return w, h


def _number(low: float | None = None, high: float | None = None, *, low_open: bool = False,
            integer: bool = False, what: str = "a number"):
    """An argparse ``type=`` for a finite number in [low, high] (``low_open``: strictly above ``low``)."""
    import math

    def parse(text: str) -> float | int:
        try:
            value: float | int = int(text) if integer else float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if low is not None and (value <= low if low_open else value < low):
            raise argparse.ArgumentTypeError(f"{text} is too small (must be {'above' if low_open else 'at least'} "
                                             f"{low:g})")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"{text} is too large (at most {high:g})")
        return value

    parse.__name__ = what  # argparse names the type in its messages
    return parse


def _deck_path(text: str) -> Path:
    """A deck argument as given: ``deck.yaml`` itself means its folder (checked by :func:`_deck_problem`)."""
    path = Path(text)
    return path.parent if path.name == "deck.yaml" and path.is_file() else path


def _deck_problem(deck: Path) -> str | None:
    """Why ``deck`` cannot be a deck folder (missing, a file, unreadable), or None."""
    try:
        if not deck.exists():
            return f"{deck}: no such deck folder"
        if not deck.is_dir():
            return f"{deck}: is a file, not a deck folder (give the folder that holds deck.yaml)"
        if not os.access(deck, os.R_OK | os.X_OK):
            return f"{deck}: deck folder not readable"
    except OSError as exc:
        return f"{deck}: {exc.strerror or exc}"
    return None


def _deck_dir(text: str) -> Path:
    """An argparse ``type=``: an existing, readable deck folder."""
    path = _deck_path(text)
    problem = _deck_problem(path)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return path


BENCH_PARTS = ("startup", "frames", "idle", "memory", "scale")


def _bench_parts(text: str) -> str:
    """An argparse ``type=`` for ``bench --only``: a comma-separated subset of :data:`BENCH_PARTS`."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in parts if p not in BENCH_PARTS]
    if unknown or not parts:
        raise argparse.ArgumentTypeError(f"{text!r}: choose from {','.join(BENCH_PARTS)}")
    return ",".join(parts)


def _load(deck: Path, *, strict: bool = False, cached: bool = False):
    """Load a deck for showing; print content errors; None when deck.yaml is unusable.

    ``cached``: take a clean deck from the start-up cache when none of its files changed
    (:mod:`szkiosk.content.cache`), and keep a clean full load there.
    """
    from szkiosk.content import ContentFileError, load_deck
    from szkiosk.content.cache import load_deck_cached

    try:
        loaded = (load_deck_cached if cached else load_deck)(deck)
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
    warnings = [*warnings, *_catalogue_warnings(loaded)]
    errors = loaded.errors + problems
    for err in errors:
        print(err)
    for warn in warnings + loaded.warnings:
        print(f"warning: {warn}")
    if errors:
        print(f"{args.deck}: {len(errors)} problem(s) in {len(loaded.panels)} panels")
        return 1
    langs = "/".join(loaded.model.languages)
    count = len(warnings) + len(loaded.warnings)
    print(f"{args.deck}: {len(loaded.panels)} panels, languages {langs}: OK"
          + (f" ({count} warning(s))" if count else ""))
    return 0


def _catalogue_warnings(loaded) -> list[str]:  # a LoadedDeck; content is imported lazily
    """The app's own words a deck language lacks (English is shown), at deck.yaml's ``languages:``."""
    from szkiosk.catalogue import language_warnings
    from szkiosk.content.yaml_doc import YamlDocument, display_path

    path = loaded.root / "deck.yaml"
    line = YamlDocument(path).line_of(("languages",))
    return language_warnings(loaded.model.languages, f"{display_path(path)}:{line}")


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
    from szkiosk.show.app import prepare_environment

    prepare_environment(offscreen=True, size=args.size)
    loaded = _load(args.deck)
    if loaded is None:
        return 1
    from szkiosk.show.app import application
    from szkiosk.talk.shots import render_deck

    application()
    languages = loaded.model.languages if args.lang == "all" else [args.lang or loaded.model.default_language]
    unknown = [lang for lang in languages if lang not in loaded.model.languages]
    if unknown:
        print(f"unknown language {unknown[0]!r}; the deck has {loaded.model.languages}", file=sys.stderr)
        return 2
    out = Path(args.out)
    if args.panel and not any(panel.id == args.panel for panel in loaded.panels):
        print(f"no panel {args.panel!r} in the deck", file=sys.stderr)
        return 2
    per_language = 1 if args.panel else len(loaded.panels)
    total = len(languages) * per_language
    done = 0
    for lang in languages:
        folder = out / lang if len(languages) > 1 else out
        for path in render_deck(loaded, lang, folder, args.size, only=args.panel,
                                access=_access_mode(args, loaded.model)):
            done += 1
            print(f"[{done}/{total}] {path}", flush=True)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the handout PDF (faces, details, notes, sources) and/or PNG images."""
    if not args.pdf and not args.png:
        print("nothing to do: give --pdf FILE and/or --png DIR", file=sys.stderr)
        return 2
    if args.png:
        shot_args = argparse.Namespace(deck=args.deck, out=args.png, size=(1920, 1080), lang=args.lang, panel=None)
        code = cmd_shot(shot_args)
        if code:
            return code
    if args.pdf:
        from szkiosk.show.app import prepare_environment

        prepare_environment(offscreen=True)
        loaded = _load(args.deck)
        if loaded is None:
            return 1
        language = args.lang or loaded.model.default_language
        if language not in loaded.model.languages:
            print(f"unknown language {language!r}; the deck has {loaded.model.languages}", file=sys.stderr)
            return 2
        from szkiosk.show.app import application
        from szkiosk.talk.export import export_pdf

        application()
        path = Path(args.pdf)
        path.parent.mkdir(parents=True, exist_ok=True)
        for page, total in export_pdf(loaded, path, language, notes=args.notes, paper=args.paper):
            print(f"[{page}/{total}] page {page}", flush=True)
        print(path)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Show a deck in a window or full screen.

    A booth (``--kiosk``) never exits for bad content: a missing, unreadable or broken deck
    starts on the last good copy (:mod:`szkiosk.booth.lastgood`), or on the "back soon"
    screen until the deck turns up. SIGTERM and SIGINT end the show cleanly (exit 0).
    """
    from szkiosk.show.app import prepare_environment

    fleet_problem = _fleet_problem(args)
    if fleet_problem:
        print(f"szkiosk run: {fleet_problem}", file=sys.stderr)
        return 2
    prepare_environment()
    if getattr(args, "content_repo", None):
        return _run_from_repo(args)
    problem = _deck_problem(args.deck)
    if problem and not args.kiosk:
        print(problem, file=sys.stderr)
        return 2
    frame = _start_frame(args) if problem is None else None
    if frame is not None and frame.window is not None and args.quit_after_first_paint:
        return 0
    boot = None
    if args.kiosk:
        from szkiosk.booth.lastgood import Boot, boot_deck
        from szkiosk.content import cache

        hit = cache.load(args.deck) if problem is None else None  # only ever a clean deck
        boot = Boot(hit, "deck") if hit is not None else boot_deck(args.deck)
        loaded = boot.loaded
        if hit is None and loaded is not None and boot.source == "deck" and not boot.problem:
            cache.store(loaded)
        _log_boot(args.deck, boot)
    else:
        loaded = _load(args.deck, cached=True)
        if loaded is None:
            return 1
    shown = None
    if loaded is not None and loaded.cached and not args.quit_after_first_paint:
        from szkiosk.show.recheck import Shown

        shown = Shown.of(loaded)  # before --panel or --tour narrows it
    if loaded is not None:
        code, loaded = _narrow(args, loaded)
        if code:
            return code
    from szkiosk.show.app import application, install_excepthook

    application()
    install_excepthook()
    return _exec(_Show(args, frame if boot is None or boot.source == "deck" else None), loaded, boot, shown)


def _exec(show: _Show, loaded, boot, shown=None) -> int:
    """Open the show (or the "back soon" screen) and run the event loop until it ends; the exit status.

    ``shown``: the deck came from the start-up cache (a ``recheck.Shown``): check it in the background.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    args, app = show.args, QApplication.instance()
    signals = _SignalQuit(show.stop_on_signal)  # from here on a signal ends the show cleanly
    try:
        if loaded is not None:
            show.open(loaded, boot)
            if shown is not None:
                _recheck_cached(show, shown)
        else:
            show.back_soon(boot.problem if boot is not None else None)
        if args.quit_after is not None:
            QTimer.singleShot(int(args.quit_after * 1000), show.close)
        started = time.monotonic()
        code = app.exec()
    finally:
        signals.restore()
    return show.finish(code, time.monotonic() - started)


def _recheck_cached(show: _Show, shown) -> None:  # a recheck.Shown
    """A deck from the start-up cache: validate it in full in the background after the first
    paint; if that disagrees, show the validated deck as a hot reload would (a booth keeps
    its clean deck on screen and reports the errors, as its hot reload does)."""
    from szkiosk.show.recheck import CacheRecheck, apply_deck

    args = show.args

    def correct(fresh, errors) -> None:
        if show.booth is not None:
            if errors:
                show.booth.reload.show_errors(errors)
                return
            code, fresh = _narrow(args, fresh)
            if not code:
                show.booth.reload.apply(fresh)
            return
        for err in errors:
            log.warning("content: %s", err)
        if fresh is not None:
            code, fresh = _narrow(args, fresh)
            if not code:
                apply_deck(show.window, fresh)

    show.recheck = CacheRecheck(show.window.stage.viewport(), args.deck, shown, correct)


def _log_boot(deck: Path, boot) -> None:  # a lastgood.Boot
    """Say what a booth starts on when it is not the deck as it is."""
    if boot.source == "last-good":
        log.warning("the deck at %s is unusable (%s); starting on the last good copy %s", deck, boot.problem,
                    boot.snapshot)
    elif boot.source == "none":
        log.error("the deck at %s is unusable (%s) and no last good copy exists; showing the 'back soon' "
                  "screen until it is fixed", deck, boot.problem)
    elif boot.problem:
        log.warning("the deck at %s has problems (%s) and no last good copy exists; showing it as it is",
                    deck, boot.problem)


def _narrow(args: argparse.Namespace, loaded) -> tuple[int, object]:
    """Apply --lang, --panel and --tour to ``loaded``: (0, the deck to show), or (exit status, None)."""
    if args.lang and args.lang not in loaded.model.languages:
        print(f"unknown language {args.lang!r}; the deck has {loaded.model.languages}", file=sys.stderr)
        return 2, None
    if args.panel:
        index = loaded.index_of(args.panel)
        if index is None:
            print(f"no panel with id {args.panel!r}", file=sys.stderr)
            return 2, None
        loaded.panels = [loaded.panels[index]]
    if args.tour:
        from szkiosk.show.app import application as _early_app

        _early_app()
        from szkiosk.talk.presenter import tour_deck

        loaded = tour_deck(loaded, args.tour)
        log.info("tour of %g min: %s", args.tour, ", ".join(p.id for p in loaded.panels))
    return 0, loaded


class _Show:
    """The windows of one ``run``: the show (and its booth), or the "back soon" screen until the deck is usable."""

    def __init__(self, args: argparse.Namespace, frame) -> None:
        self.args = args
        self.frame = frame
        self.window = None
        self.presenter = None
        self.auto = None
        self.booth = None
        self.back = None
        self.probe = None
        #: With --content-repo: the booth's RepoFollower (szkiosk.booth.repofollow).
        self.follower = None
        self.recheck = None
        #: With --fleet while "back soon" is up: the booth's link (szkiosk.booth.standbylink).
        self.standby = None
        self.signal_name: str | None = None

    def open(self, loaded, boot=None) -> None:
        """Build the show window on ``loaded`` (and the booth in kiosk mode) and put it up."""
        from szkiosk.show.window import ShowWindow

        args, frame = self.args, self.frame
        window = ShowWindow(loaded, language=args.lang, kiosk=args.kiosk, start=args.start,
                            step_builds=args.steps or args.presenter)
        self.window = window
        window.stage.set_access(_access_mode(args, loaded.model))
        if getattr(args, "watch", False):
            from szkiosk.authoring.watch import watch_window

            watch_window(window, args.deck, only=args.panel)
        if args.presenter:
            from szkiosk.talk.presenter import PresenterView, place_windows

            self.presenter = PresenterView(window)
            place_windows(window, self.presenter)
            window.closed.connect(self.presenter.close)
            self.presenter.closed.connect(window.close)
        else:
            if frame is not None:
                frame.replace_with(window, window.stage.viewport(), hold=window.stage.current)
            if args.windowed:
                window.resize(*args.window_size)
                window.show()
            else:
                window.show_full_screen()
        if args.auto:
            from szkiosk.talk.presenter import AutoAdvance

            self.auto = AutoAdvance(window)
        if args.kiosk:
            self.booth = _start_booth(window, args)
            if self.follower is not None:  # the repository keeps the good commits, not last-good
                self.follower.attach(self.booth)
                self.follower.start()
            else:
                self._keep_last_good(loaded, boot)
        if args.quit_after_first_paint:
            if frame is not None and not args.presenter:
                frame.then(window.force_close)  # after the new start-up frame is saved
            else:
                _quit_on_first_paint(window)

    def _keep_last_good(self, loaded, boot) -> None:
        """Snapshot every clean deck shown (now and at each reload); watch for the real deck
        when a last good copy stands in for it."""
        from szkiosk.booth.lastgood import save_snapshot_later

        booth, deck = self.booth, self.args.deck
        if boot is None or (boot.source == "deck" and not boot.problem):
            save_snapshot_later(deck)
        booth.reload.applied.connect(lambda _deck: save_snapshot_later(deck))
        if boot is not None and boot.source == "last-good":
            from szkiosk.booth.backsoon import DeckProbe

            saved = boot.snapshot.name[:15] if boot.snapshot is not None else "?"
            booth.boot_note = (f"{saved[:4]}-{saved[4:6]}-{saved[6:8]} {saved[9:11]}:{saved[11:13]}", boot.problem)
            self.probe = DeckProbe(deck, booth)
            self.probe.ready.connect(self._real_deck_back)
            booth.reload.applied.connect(lambda _deck: self.probe.stop())
            self.probe.start()
        booth.reload.applied.connect(lambda _deck: setattr(booth, "boot_note", None))

    def _real_deck_back(self, loaded) -> None:
        """The deck itself loads cleanly again while a last good copy stands in: show it."""
        from szkiosk.booth.lastgood import save_snapshot_later

        window, booth = self.window, self.booth
        booth.boot_note = None
        if loaded.model == window.deck.model and loaded.panels == window.deck.panels:
            window.deck.root = loaded.root  # same content: only where it lives changes
            log.info("the deck at %s is usable again and matches the last good copy on screen", loaded.root)
            save_snapshot_later(self.args.deck)
        else:
            booth.reload.apply(loaded)

    def back_soon(self, problem: str | None = None) -> None:
        """No usable deck (``problem`` says why): the calm screen, until the deck folder loads
        cleanly; with ``--fleet`` the console sees the booth and why."""
        from szkiosk.booth.backsoon import BackSoonWindow, DeckProbe

        self.back = BackSoonWindow(kiosk=True)
        if self.args.windowed:
            self.back.resize(*self.args.window_size)
            self.back.show()
        else:
            self.back.show_full_screen()
        from szkiosk.booth.guard import WindowGuard

        WindowGuard(self.back).start()  # taken back like the show if hidden or minimised (kiosk only)
        if self.follower is not None:
            self.follower.deck_ready.connect(self._deck_is_back)
            self.follower.start()
            self._standby(problem or f"no good commit yet from {self.follower.repo.display_url}")
            log.info("back-soon screen up; waiting for a good commit from %s", self.follower.repo.display_url)
            return
        self.probe = DeckProbe(self.args.deck, self.back)
        self.probe.ready.connect(self._deck_is_back)
        self.probe.start()
        self._standby(problem)
        log.info("back-soon screen up; looking for the deck at %s", self.args.deck)

    def _standby(self, problem: str | None) -> None:
        """With ``--fleet``: report from the back-soon screen (status, a few commands)."""
        url = getattr(self.args, "fleet_url", None)
        if url is None:
            return
        from szkiosk.booth.standbylink import StandbyLink

        self.standby = StandbyLink(self.back, url, self.args.booth, problem, follower=self.follower, probe=self.probe)
        self.standby.start()

    def _deck_is_back(self, loaded) -> None:
        code, loaded = _narrow(self.args, loaded)
        if code:
            log.error("the deck is back but does not fit the command line (exit %d); staying on 'back soon'", code)
            return
        self.probe = None  # it stopped; it goes with the back-soon window
        if self.standby is not None:  # the show's own link takes over, with the same client id
            self.standby.stop(handing_over=True)
            self.standby = None
        if self.follower is not None:
            self.args.deck = loaded.root
        self.open(loaded)
        if self.back is not None:
            self.back.close_now()
            self.back.deleteLater()
            self.back = None

    def close(self) -> None:
        """Close whatever is up (``--quit-after``, signals), also in kiosk mode."""
        from PySide6.QtWidgets import QApplication

        try:
            if self.probe is not None:
                self.probe.stop()
            if self.standby is not None:
                self.standby.stop()
            if self.back is not None:
                self.back.close_now()
            if self.window is not None:
                self.window.force_close()
        finally:  # whatever happened above, the loop ends
            app = QApplication.instance()
            if app is not None:
                app.quit()

    def stop_on_signal(self, name: str) -> None:
        """SIGTERM/SIGINT: end the show as a staff quit would, but with exit status 0."""
        self.signal_name = name
        log.info("%s: closing the show", name)
        self.close()

    def finish(self, code: int, seconds: float) -> int:
        """Stop what the show started after the event loop ends; the exit status."""
        if self.auto is not None:
            self.auto.stop()
        if self.probe is not None:
            with contextlib.suppress(RuntimeError):  # already gone with its window
                self.probe.stop()
        if self.follower is not None:
            self.follower.stop()
        if self.standby is not None:  # restart by command, or a signal: online = false
            self.standby.stop()
        log.info("show ended after %.1f s", seconds)
        if self.booth is not None:
            self.booth.stop()  # records the current view and session, flushes analytics
            if self.booth.controller.exit_code is not None and self.signal_name is None:
                return self.booth.controller.exit_code
        if self.signal_name is not None:
            log.info("stopped cleanly on %s", self.signal_name)
            return 0
        return int(code)


class _SignalQuit:
    """SIGTERM and SIGINT while Qt's event loop runs: Python's handlers run at once (a wake-up
    socket wakes the loop) and ask the show to close; the loop then ends normally."""

    def __init__(self, callback) -> None:
        import signal
        import socket

        from PySide6.QtCore import QSocketNotifier, QTimer

        self._signal = signal
        self._callback = callback
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        self._old_fd = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)
        self._timer = QTimer  # handlers post to the loop through it
        self._old = {}
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._old[sig] = signal.signal(sig, self._handle)

    def _drain(self, *_: object) -> None:
        with contextlib.suppress(OSError):
            while self._read.recv(64):
                pass

    def _handle(self, signum: int, _frame: object) -> None:
        name = self._signal.Signals(signum).name
        self._timer.singleShot(0, lambda: self._callback(name))

    def restore(self) -> None:
        """Put the previous handlers back (after the loop ends)."""
        for sig, old in self._old.items():
            self._signal.signal(sig, old)
        self._signal.set_wakeup_fd(self._old_fd)
        self._notifier.setEnabled(False)
        self._read.close()
        self._write.close()


def _start_frame_usable(args: argparse.Namespace) -> bool:
    """True for runs whose first frame is the deck's own (not presenter, tour, one panel, watch)."""
    if getattr(args, "no_start_frame", False) or os.environ.get("SZKIOSK_NO_START_FRAME"):
        return False
    deck = getattr(args, "deck", None)
    if deck is None or not Path(deck).is_dir():  # never stamp (hash) whatever folder holds a stray file
        return False
    return not (args.presenter or args.tour or args.panel or getattr(args, "watch", False))


def _start_frame(args: argparse.Namespace):
    """Put the last start's first frame on screen before the deck loads (see ``show.startframe``).

    Decided before Qt is imported: a run without the frame imports the content layer (pydantic)
    first, which saves about 20 ms (PySide's import hook inspects every module imported after it).
    """
    if not _start_frame_usable(args):
        return None
    from szkiosk.show.startframe import StartFrame

    try:
        from szkiosk.show.app import application

        application(fonts=False)
        frame = StartFrame(args.deck, args)
        frame.show(tuple(args.window_size) if args.windowed else None, args.kiosk)
        return frame
    except Exception as exc:  # the frame is a nicety: a plain start is always possible
        log.warning("start-up frame unavailable: %s: %s", type(exc).__name__, exc)
        log.debug("start-up frame failure", exc_info=True)
        return None


def _start_booth(window, args: argparse.Namespace):
    """Kiosk mode: idle/attract/admin, hot reload, warm-up and analytics for ``window``."""
    from szkiosk.booth.analytics import default_db_path
    from szkiosk.booth.booth import Booth

    if args.idle_timeout:
        model = window.deck.model
        window.deck.model = model.model_copy(
            update={"kiosk": model.kiosk.model_copy(update={"idle_timeout": args.idle_timeout})})
    analytics = None if args.analytics == "off" else Path(args.analytics) if args.analytics else default_db_path()
    booth = Booth(window, args.deck, analytics_path=analytics, log_file=getattr(args, "log_file_used", None))
    booth.start()
    _start_fleet(booth, args)
    if not window.deck.model.kiosk.pin_hash:
        log.warning("no staff PIN set (kiosk.pin_scrypt): the corner gesture is off and Ctrl+Alt+Shift+K "
                    "opens the admin menu directly; set one with `szkiosk hash-pin`")
    return booth


def _booth_config_path() -> Path:
    """``$XDG_CONFIG_HOME/szkiosk/booth.yaml`` (as :func:`szkiosk.fleet.config.config_path`, without importing it)."""
    base = os.environ.get("XDG_CONFIG_HOME")
    return (Path(base) if base and Path(base).is_absolute() else Path.home() / ".config") / "szkiosk" / "booth.yaml"


def _booth_config(args: argparse.Namespace) -> str | None:
    """``run --kiosk``: the booth config file under the fleet flags (the command line wins); a problem, or None.

    Without the file and without fleet flags nothing of the fleet is imported."""
    flags = {"booth": args.booth, "content_repo": args.content_repo, "allowed_signers": args.allowed_signers,
             "fetch_every": args.fetch_every, "fleet": getattr(args, "fleet", None)}
    path = _booth_config_path()
    if not path.is_file() and all(value is None for value in flags.values()):
        return None
    from szkiosk.fleet.config import ConfigError, default_booth_name, load_config, merge

    try:
        config = merge(load_config(path), **flags)
    except (ConfigError, ValueError) as exc:
        return str(exc)
    args.booth = config.booth or default_booth_name()
    args.content_repo, args.allowed_signers, args.fleet = config.content_repo, config.allowed_signers, config.fleet
    args.fetch_every = config.fetch_every_s / 60
    args.booth_config = config
    return None


def _run_from_repo(args: argparse.Namespace) -> int:
    """``run --kiosk --content-repo URL``: start on the commit shown last (no network needed); with
    none, fetch, check and warm the first one up before the window opens; the "back soon" screen
    (while the follower keeps trying) when there is none to be had."""
    if not args.kiosk:
        print("szkiosk run: --content-repo needs --kiosk", file=sys.stderr)
        return 2
    from szkiosk.booth.lastgood import Boot, try_load
    from szkiosk.booth.repofollow import RepoFollower, first_commit
    from szkiosk.fleet.config import fleet_state_dir
    from szkiosk.fleet.gitsync import ContentRepo
    from szkiosk.show.app import application, install_excepthook

    try:
        repo = ContentRepo(args.content_repo, fleet_state_dir(args.booth), subdir=args.deck or ".",
                           allowed_signers=args.allowed_signers)
    except ValueError as exc:
        print(f"szkiosk run: {exc}", file=sys.stderr)
        return 2
    if repo.allowed_signers is not None and not repo.allowed_signers.is_file():
        print(f"szkiosk run: allowed signers file {repo.allowed_signers} not found", file=sys.stderr)
        return 2
    log.info("booth %s follows %s (state in %s)", args.booth, repo.display_url, repo.state)
    application()
    install_excepthook()
    loaded, current, problem = None, repo.current(), None
    if current is not None:
        loaded, problem = try_load(current[1])
        if problem is None:
            log.info("content: starting on commit %s shown last (%s); no network needed", current[0][:12], current[1])
        else:
            log.warning("content: commit %s shown last is unusable (%s); fetching", current[0][:12], problem)
            loaded = None
    if loaded is None:
        first = first_commit(repo, args.lang)
        if isinstance(first, str):
            problem = first  # the back-soon screen, and the fleet's status, say why
        else:
            loaded = first[1]
            log.info("content: showing commit %s from %s", first[0][:12], repo.display_url)
    if loaded is not None:
        args.deck = loaded.root
        code, loaded = _narrow(args, loaded)
        if code:
            return code
    show = _Show(args, None)
    show.follower = RepoFollower(repo, fetch_every_s=args.fetch_every * 60, language=args.lang)
    return _exec(show, loaded, None if loaded is not None else Boot(None, "none", problem))


def cmd_stats(args: argparse.Namespace) -> int:
    """Print per-panel views, dwell and touches, and visitor sessions, from the booth's database."""
    from szkiosk.booth.analytics import default_db_path, format_csv, format_table, read_stats

    path = Path(args.db) if args.db else default_db_path()
    if not path.exists():
        print(f"no analytics yet: {path} does not exist (run a booth with `szkiosk run DECK --kiosk`)",
              file=sys.stderr)
        return 1
    if not path.is_file():
        print(f"{path}: not a file", file=sys.stderr)
        return 1
    import sqlite3

    try:
        panels, summary = read_stats(path)
    except sqlite3.Error as exc:
        print(f"{path}: not a readable analytics database ({exc}); a booth moves a damaged one aside "
              "at its next start", file=sys.stderr)
        return 1
    print(format_csv(panels) if args.csv else format_table(panels, summary), end="" if args.csv else "\n")
    return 0


def cmd_install_service(args: argparse.Namespace) -> int:
    """Write (or print with --dry-run) the systemd user unit and the XDG autostart entry."""
    from szkiosk.booth.service import NEXT_STEPS, install, service_files

    deck = Path(args.deck) if args.deck else None
    if deck is None:  # a booth that follows a content repository: booth.yaml says which
        from szkiosk.fleet.config import ConfigError, config_path, load_config

        try:
            config = load_config()
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return 1
        if not config.content_repo:
            print(f"give the deck folder, or name a content repository (content_repo:) in {config_path()}",
                  file=sys.stderr)
            return 1
    elif not (deck / "deck.yaml").exists():
        print(f"{deck}: no deck.yaml here", file=sys.stderr)
        return 1
    files = service_files(deck, executable=args.executable, log_level=args.service_log_level)
    if args.dry_run:
        for path, text in ((files.unit_path, files.unit), (files.desktop_path, files.desktop)):
            print(f"# {path}")
            print(text)
        return 0
    for path in install(files):
        print(f"wrote {path}")
    print(NEXT_STEPS)
    return 0


def cmd_hash_pin(args: argparse.Namespace) -> int:
    """Ask for a staff PIN (digits) and print the line to put under ``kiosk:`` in deck.yaml."""
    import getpass

    from szkiosk.content.pin_hash import hash_pin

    if args.stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("Staff PIN (4-12 digits): ").strip()
        if getpass.getpass("Again: ").strip() != pin:
            print("the two PINs differ", file=sys.stderr)
            return 1
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        print("a PIN is 4 to 12 digits (the booth's PIN pad has only digits)", file=sys.stderr)
        return 1
    print(f"  pin_scrypt: {hash_pin(pin)}   # under kiosk: in deck.yaml (replaces any pin_sha256 line)")
    return 0


def _quit_on_first_paint(window) -> None:
    """Close the window as soon as the stage has painted once (start-up benchmark)."""
    from PySide6.QtCore import QTimer

    from szkiosk.show.startframe import FirstPaint

    window._first_paint = FirstPaint(window.stage.viewport(), lambda: QTimer.singleShot(0, window.force_close))


def _add_access_flags(parser: argparse.ArgumentParser) -> None:
    """Accessibility modes; each overrides the deck's ``accessibility:`` default."""
    group = parser.add_argument_group("accessibility (override the deck's accessibility: settings)")
    group.add_argument("--reduced-motion", action="store_true", default=None,
                       help="no slides or count-ups: panels appear with a short fade")
    group.add_argument("--high-contrast", action="store_true", default=None,
                       help="white on black, patterns as well as colours")
    group.add_argument("--text-scale", type=_number(1.0, 2.0, what="a factor"), metavar="FACTOR",
                       help="text size factor from 1.0 to 2.0, e.g. 1.4")
    group.add_argument("--reach", nargs="?", const=-1.0, type=_number(0.2, 1.0, what="a fraction"), metavar="FRACTION",
                       help="keep controls in the lower FRACTION of the screen (default: the deck's, 0.5)")


def _access_mode(args: argparse.Namespace, model):
    """The deck's accessibility defaults with the command-line flags applied."""
    from dataclasses import replace

    from szkiosk.kit.access import AccessMode

    mode = AccessMode.from_model(model.accessibility)
    if getattr(args, "reduced_motion", None):
        mode = replace(mode, reduced_motion=True)
    if getattr(args, "high_contrast", None):
        mode = replace(mode, high_contrast=True)
    if getattr(args, "text_scale", None):
        mode = replace(mode, text_scale=max(1.0, min(2.0, args.text_scale)))
    reach = getattr(args, "reach", None)
    if reach is not None:
        mode = replace(mode, reach=True, reach_zone=mode.reach_zone if reach < 0 else max(0.2, min(1.0, reach)))
    return mode


def cmd_new(args: argparse.Namespace) -> int:
    """Write a commented skeleton for a new panel and add it to the deck."""
    from szkiosk.authoring.new import add_to_deck, skeleton
    from szkiosk.content import ContentFileError, load_deck

    languages = ["en", "zh"]
    deck_yaml = args.deck / "deck.yaml"
    if deck_yaml.exists():
        with contextlib.suppress(ContentFileError):
            languages = load_deck(args.deck).model.languages
    try:
        text = skeleton(args.type, args.id, languages)
    except (KeyError, ValueError) as exc:
        print(str(exc).strip("'\""), file=sys.stderr)
        return 2
    if args.stdout:
        print(text, end="")
        return 0
    relative = f"panels/{args.id}.yaml"
    path = args.deck / relative
    if path.exists():
        print(f"{path} exists already; not overwriting it", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    from szkiosk.authoring.new import TODO_SOURCE, ensure_todo_source

    if (TODO_SOURCE in text or args.type == "worldmap") and ensure_todo_source(args.deck, languages):
        print(f"added the placeholder source {TODO_SOURCE!r} to {args.deck / 'sources.yaml'}")
    if args.type == "worldmap":
        from szkiosk.authoring.new import PARTNERS_FILE, PARTNERS_SKELETON

        partners = args.deck / PARTNERS_FILE
        if not partners.exists():
            partners.parent.mkdir(parents=True, exist_ok=True)
            partners.write_text(PARTNERS_SKELETON, encoding="utf-8")
            print(f"wrote {partners} (one example partner; the panel's counts must match it)")
    if deck_yaml.exists() and not args.no_add:
        if add_to_deck(deck_yaml, relative):
            print(f"added {relative} to the end of {deck_yaml}")
        else:
            print(f"add '- {relative}' to the panels: list in {deck_yaml}")
    print(f"next: szkiosk run {args.deck} --windowed --watch --start {args.id}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Run the benchmarks (szkiosk.bench.harness) and print the table."""
    from szkiosk.bench.harness import run

    return run(args)


def cmd_audit(args: argparse.Namespace) -> int:
    """Render every panel across the matrix and report layout defects (exit 1 on any)."""
    from szkiosk.show.app import prepare_environment

    prepare_environment(offscreen=True)
    loaded = _load(args.deck)
    if loaded is None:
        return 1
    from szkiosk.authoring.audit import MATRIX, QUICK, audit_deck, summary, write_json
    from szkiosk.show.app import application

    application()
    languages = [args.lang] if args.lang else loaded.model.languages
    unknown = [lang for lang in languages if lang not in loaded.model.languages]
    if unknown:
        print(f"unknown language {unknown[0]!r}; the deck has {loaded.model.languages}", file=sys.stderr)
        return 2
    if args.panel and loaded.index_of(args.panel) is None:
        print(f"no panel {args.panel!r} in the deck", file=sys.stderr)
        return 2
    configs = QUICK if args.quick else MATRIX
    total = len(configs) * len(languages) * (1 if args.panel else len(loaded.panels))
    done = 0

    def progress(what: str) -> None:
        nonlocal done
        done += 1
        if args.progress:
            print(f"[{done}/{total}] {what}", file=sys.stderr, flush=True)

    records = list(audit_deck(loaded, configs, languages=languages, only=args.panel, progress=progress))
    for record in records:
        for finding in record.findings:
            print(finding)
    if args.json is not None:
        text = write_json(records, None if args.json == "-" else Path(args.json))
        if args.json == "-":
            print(text)
    print(f"{args.deck}: {summary(records)}", file=sys.stderr)
    return 1 if any(r.findings for r in records) else 0


def cmd_types(args: argparse.Namespace) -> int:
    """List the panel types and their fields."""
    from szkiosk.authoring.new import describe_types

    try:
        print(describe_types(args.type))
    except KeyError as exc:
        print(str(exc).strip("'\""), file=sys.stderr)
        return 2
    return 0


# -- fleet: status, send, screenshot (issue 17) -------------------------------------------
def _fleet_url(args: argparse.Namespace):  # a BrokerURL, or None after one line on stderr
    from szkiosk.fleet.console import broker_url

    try:
        return broker_url(args.broker)
    except ValueError as exc:
        print(f"szkiosk fleet {args.fleet_command}: {exc}", file=sys.stderr)
        return None


def cmd_fleet_status(args: argparse.Namespace) -> int:
    """Every booth's status, problems first: live, or once with --once."""
    from szkiosk.fleet.console import run_status

    url = _fleet_url(args)
    if url is None:
        return 2
    return run_status(url, once=args.once, as_json=args.json, timeout=args.timeout)


def cmd_fleet_send(args: argparse.Namespace) -> int:
    """Send a command to one booth or to all, and print the replies."""
    from szkiosk.fleet import topics
    from szkiosk.fleet.console import run_send

    try:
        if args.booth != topics.ALL:
            topics.check_booth_name(args.booth)
        command = topics.new_command(args.fleet_cmd, args.arg)
    except ValueError as exc:  # CommandError is one
        print(f"szkiosk fleet send: {exc}", file=sys.stderr)
        return 2
    url = _fleet_url(args)
    if url is None:
        return 2
    return run_send(url, args.booth, command, timeout=args.timeout)


def cmd_fleet_screenshot(args: argparse.Namespace) -> int:
    """Ask a booth for a screenshot and write the PNG."""
    from szkiosk.fleet import topics
    from szkiosk.fleet.console import run_screenshot

    try:
        topics.check_booth_name(args.booth)
    except ValueError as exc:
        print(f"szkiosk fleet screenshot: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    if not out.parent.is_dir():
        print(f"szkiosk fleet screenshot: folder {out.parent} does not exist", file=sys.stderr)
        return 2
    url = _fleet_url(args)
    if url is None:
        return 2
    return run_screenshot(url, args.booth, out, timeout=args.timeout)


def _add_fleet_console_parsers(fleet_sub) -> None:
    """``fleet status``, ``fleet send`` and ``fleet screenshot``."""
    broker_help = ("mqtt://user:password@host[:port] or mqtts://... (default: $SZKIOSK_FLEET_BROKER; "
                   "the password may come from $SZKIOSK_FLEET_PASSWORD)")
    status = fleet_sub.add_parser(
        "status", help="every booth's status, problems first",
        description="Show every booth (online, content commit and its age, panel, language, errors, last "
        "touch, screen check, visitors today, status age), problems first: offline, bad status, screen "
        "check failed, errors, stale (online but no status for over 3 minutes), no status; then by name. "
        "Redraws every second until Ctrl+C; --once prints one table and exits (1 when the broker cannot "
        "be reached or refuses the login).")
    status.add_argument("--broker", metavar="URL", help=broker_help)
    status.add_argument("--once", action="store_true", help="print once (after the retained statuses arrived) and exit")
    status.add_argument("--json", action="store_true", help="a JSON list of booths with every field instead of a table")
    status.add_argument("--timeout", type=_number(0.1, 3600, what="a number of seconds"), default=10.0,
                        metavar="S", help="how long to try to reach the broker (default 10)")
    status.set_defaults(func=cmd_fleet_status)

    send = fleet_sub.add_parser(
        "send", help="send a command to a booth or to all",
        description="Publish COMMAND [ARG] (reload, fetch, goto PANEL, language LANG, identify, screenshot, "
        "restart, rollback [COMMIT], resend FIRST[-LAST]) on szkiosk/BOOTH/cmd or szkiosk/all/cmd and print "
        "the replies. "
        "To all: waits for every booth that is online and names the offline ones. Exit 0 when every "
        "reply came and said ok, 1 otherwise, 2 for a bad command.")
    send.add_argument("booth", metavar="BOOTH", help="booth name, or 'all'")
    send.add_argument("fleet_cmd", metavar="COMMAND", help="the command")
    send.add_argument("arg", metavar="ARG", nargs="?", default=None, help="its argument, if it takes one")
    send.add_argument("--broker", metavar="URL", help=broker_help)
    send.add_argument("--timeout", type=_number(0.1, 3600, what="a number of seconds"), default=10.0,
                      metavar="S", help="how long to wait for the replies (default 10)")
    send.set_defaults(func=cmd_fleet_send)

    shot = fleet_sub.add_parser(
        "screenshot", help="fetch a booth's screen as PNG",
        description="Ask BOOTH for a screenshot (the `screenshot` command) and write the PNG it sends on "
        "szkiosk/BOOTH/screenshot to OUT. Exit 1 when none arrives in time.")
    shot.add_argument("booth", metavar="BOOTH", help="booth name")
    shot.add_argument("out", metavar="OUT.png", help="where to write the PNG")
    shot.add_argument("--broker", metavar="URL", help=broker_help)
    shot.add_argument("--timeout", type=_number(0.1, 3600, what="a number of seconds"), default=20.0,
                      metavar="S", help="how long to wait for the picture (default 20)")
    shot.set_defaults(func=cmd_fleet_screenshot)


def add_fleet_parsers(sub) -> None:
    """The ``fleet`` command group (status, send, screenshot; bundle and stats join here)."""
    fleet = sub.add_parser("fleet", help="many booths: status, commands, screenshots",
                           description="Work with a fleet of booths through their MQTT broker.")
    fleet_sub = fleet.add_subparsers(dest="fleet_command", metavar="FLEET_COMMAND", required=True)
    _add_fleet_console_parsers(fleet_sub)
    _add_fleet_bundle_parser(fleet_sub)
    add_fleet_stats_parser(fleet_sub)


def cmd_fleet_bundle(args: argparse.Namespace) -> int:
    """Write a git bundle of a content repository (every branch and tag) for a USB stick."""
    from szkiosk.fleet.gitsync import GitError, make_bundle

    try:
        made = make_bundle(args.repo, args.out)
    except (GitError, OSError) as exc:
        print(f"szkiosk fleet bundle: {exc}", file=sys.stderr)
        return 1
    print(f"{args.out}: {made['refs']} refs, HEAD {str(made['head'])[:12]}, {made['bytes']} bytes (verified). "
          f"Booths given its path on the stick (--content-repo PATH) pick it up when it is plugged in.")
    return 0


# -- parser -----------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    """Bad arguments get one line on standard error (the usage is one ``--help`` away) and exit 2."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# -- fleet link (run --kiosk --fleet URL [--booth NAME]) -----------------------------------------
def _fleet_problem(args: argparse.Namespace) -> str | None:
    """Why ``--fleet`` (or ``fleet:`` in the booth config) cannot be used; None when it can or is not set.

    Sets ``args.fleet_url``. The booth's name is ``args.booth`` (``--booth``, the config file or
    the host name); a URL without a user name logs in as the booth (the example ACLs expect
    user name = booth name). Error messages never carry the password.
    """
    text = getattr(args, "fleet", None)
    if not text:
        return None
    if not args.kiosk:
        return "--fleet is for booths: add --kiosk"
    try:
        from szkiosk.fleet.broker import parse_broker_url
    except ImportError as exc:
        return f"--fleet: the MQTT client is not installed ({exc}); pip install 'paho-mqtt>=2.1,<3'"
    from dataclasses import replace
    from urllib.parse import urlsplit

    from szkiosk.fleet.topics import check_booth_name

    try:
        url = parse_broker_url(text)
    except ValueError as exc:
        message = str(exc)
        with contextlib.suppress(ValueError):
            secret = urlsplit(text.strip()).password
            if secret:
                message = message.replace(f":{secret}@", ":***@")
        return f"--fleet: {message}"
    name = getattr(args, "booth", None) or url.user
    if not name:
        return "--fleet needs the booth's name: --booth NAME"
    try:
        check_booth_name(name)
    except ValueError as exc:
        return f"--fleet: {exc}"
    args.booth = name
    if not url.user:
        url = replace(url, user=name)
    elif url.user != name:
        log.warning("fleet: logging in as %r for booth %r; the example ACLs expect the user name to be the "
                    "booth name", url.user, name)
    args.fleet_url = url
    return None


def _start_fleet(booth, args: argparse.Namespace) -> None:
    """With ``--fleet``: status and commands over MQTT (the show never waits for the broker)."""
    url = getattr(args, "fleet_url", None)
    if url is None:
        return
    from szkiosk.booth.fleetlink import start_fleet_link

    booth.fleet = start_fleet_link(booth, url, args.booth)


def _add_repo_flags(run: argparse.ArgumentParser) -> None:
    """``run``'s content repository flags (also settable in $XDG_CONFIG_HOME/szkiosk/booth.yaml)."""
    group = run.add_argument_group("content repository (with --kiosk; also in $XDG_CONFIG_HOME/szkiosk/booth.yaml, "
                                   "the command line wins)")
    group.add_argument("--booth", metavar="NAME", help="this booth's name in the fleet (default: the host name)")
    group.add_argument("--content-repo", metavar="URL",
                       help="follow this git repository (URL[#branch], a path, or a .bundle file on a USB stick); "
                       "DECK is then the deck's folder inside it (default: its root)")
    group.add_argument("--allowed-signers", metavar="FILE",
                       help="ssh allowed-signers file: show only commits signed by one of its keys")
    group.add_argument("--fetch-every", type=_number(0.05, 24 * 60, what="a number of minutes"), metavar="MINUTES",
                       help="look for a new commit this often (default 5)")


def _add_fleet_bundle_parser(fleet_sub) -> None:
    """``fleet bundle DECK_REPO OUT.bundle``."""
    bundle = fleet_sub.add_parser("bundle", help="make a USB bundle of a content repository",
                                  description="Write every branch and tag of DECK_REPO (and its HEAD) into one "
                                  "git bundle file, verified with `git bundle verify`. A booth run with "
                                  "--content-repo /path/on/the/stick/OUT.bundle picks up a newer bundle when "
                                  "the stick is plugged in; `git clone OUT.bundle` works too.")
    bundle.add_argument("repo", metavar="DECK_REPO", help="the content repository (a git working copy or bare repo)")
    bundle.add_argument("out", metavar="OUT.bundle", help="the bundle file to write (replaced in one step)")
    bundle.set_defaults(func=cmd_fleet_bundle)


# -- fleet stats (issue 17): the collector and its report ---------------------------------------
def cmd_fleet_stats(args: argparse.Namespace) -> int:
    """Collect booths' hourly aggregates into --db (unless --no-collect), then print them."""
    from szkiosk.fleet.collector import db_counters, format_csv, format_table, missing_seqs, report

    db = Path(args.db)
    if args.no_collect:
        if not db.is_file():
            print(f"fleet stats: {db} does not exist (collect first: --broker URL)", file=sys.stderr)
            return 1
    else:
        if not args.broker:
            print("fleet stats: give --broker URL to collect (or --no-collect to print --db)", file=sys.stderr)
            return 2
        code = _collect_stats(args, db)
        if code:
            return code
    import sqlite3

    try:
        rows = report(db, by=args.by, languages=args.languages)
        counters, gaps = db_counters(db), missing_seqs(db)
    except sqlite3.Error as exc:
        print(f"fleet stats: {db} is not a statistics database ({exc})", file=sys.stderr)
        return 1
    if args.csv:
        print(format_csv(rows, languages=args.languages), end="")
    else:
        print(format_table(rows, languages=args.languages))
        print(f"\nmessages: {counters['stored']} stored, {counters['duplicates']} duplicates dropped, "
              f"{counters['conflicts']} conflicting, {counters['bad']} bad")
        for booth, ranges in sorted(gaps.items()):
            print(f"{booth}: no message yet with seq " + ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges))
    if args.chart:
        from szkiosk.show.app import application, prepare_environment

        prepare_environment(offscreen=True)
        application()
        from szkiosk.talk.fleetchart import draw_stats_chart

        draw_stats_chart(rows, Path(args.chart), size=args.chart_size)
        print(f"chart: {args.chart}", file=sys.stderr)
    return 0


def _collect_stats(args: argparse.Namespace, db: Path) -> int:
    """Run the collector until --for runs out, Ctrl+C or SIGTERM, printing progress to stderr."""
    import signal
    import threading
    import time

    from szkiosk.fleet.broker import parse_broker_url
    from szkiosk.fleet.collector import Collector, GapFiller, connect_collector

    try:
        url = parse_broker_url(args.broker)
    except ValueError as exc:
        print(f"fleet stats: {exc}", file=sys.stderr)
        return 2
    collector = Collector(db)
    client = connect_collector(collector, url, args.client_id)
    filler = GapFiller(db, client, settle_s=args.gap_settle)  # lost messages are asked for again
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    deadline = time.monotonic() + args.collect_for if args.collect_for else None
    print(f"collecting from {url} into {db} " + (f"for {args.collect_for:g} s" if deadline else "until Ctrl+C"),
          file=sys.stderr, flush=True)
    shown, last_print, code, filled = None, 0.0, 0, 0.0
    try:
        while not stop.is_set():
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            error = client.last_error
            if error and client.refused:
                print(f"fleet stats: {error}", file=sys.stderr)
                code = 1
                break
            if client.connected and now - filled >= 5:
                filled = now
                for booth, first, last in filler.tick():
                    print(f"asked {booth} to send statistics {first}-{last} again (never arrived)", file=sys.stderr,
                          flush=True)
            t = collector.tally
            line = (f"{'connected' if client.connected else 'connecting'}: {t.stored} stored, "
                    f"{t.duplicates} duplicates dropped, {t.bad} bad")
            if line != shown and now - last_print >= args.progress_every:
                print(line, file=sys.stderr, flush=True)
                shown, last_print = line, now
            stop.wait(0.2 if deadline is None else min(0.2, max(0.0, deadline - now)))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        client.close()
        collector.close()
    t = collector.tally
    print(f"collected: {t.stored} stored, {t.duplicates} duplicates dropped, {t.conflicts} conflicting, "
          f"{t.bad} bad", file=sys.stderr)
    return code


def add_fleet_stats_parser(commands) -> None:  # the fleet group's sub-parsers action
    """``szkiosk fleet stats``."""
    stats = commands.add_parser(
        "stats", help="collect booths' statistics into a SQLite file and print them",
        description="Subscribe to szkiosk/+/stats (persistent session, QoS 1: the broker keeps messages while "
        "the collector is away), store each booth's hourly aggregates once in --db (duplicates by booth and seq "
        "are dropped and counted; bad payloads logged and skipped), then print them by booth, period and panel.")
    stats.add_argument("--broker", metavar="URL", help="mqtt://user:password@host[:port] or mqtts://... "
                       "(password also from $SZKIOSK_FLEET_PASSWORD)")
    stats.add_argument("--db", metavar="FILE", required=True, help="the central statistics database")
    stats.add_argument("--for", dest="collect_for", type=_number(0, None, low_open=True, what="a number of seconds"),
                       metavar="SECONDS", help="collect this long, then print (default: until Ctrl+C or SIGTERM)")
    stats.add_argument("--no-collect", action="store_true", help="only print what --db holds")
    stats.add_argument("--by", choices=["hour", "day"], default="hour", help="period of a row (UTC; default hour)")
    stats.add_argument("--languages", action="store_true", help="one row per language too")
    stats.add_argument("--csv", action="store_true", help="CSV instead of a table")
    stats.add_argument("--chart", metavar="PNG", help="also draw visitor views per period and booth to PNG")
    stats.add_argument("--chart-size", type=_size, default=(1600, 900), metavar="WxH",
                       help="size of the chart (default 1600x900)")
    stats.add_argument("--client-id", default="szkiosk-collector", metavar="ID",
                       help="MQTT client id: the broker keeps this collector's session under it")
    stats.add_argument("--progress-every", type=_number(0, None, what="a number of seconds"), default=5.0,
                       metavar="SECONDS", help=argparse.SUPPRESS)
    stats.add_argument("--gap-settle", type=_number(0, None, what="a number of seconds"), default=120.0,
                       metavar="SECONDS", help="ask a booth to send again a sequence gap open this long (default 120)")
    stats.set_defaults(func=cmd_fleet_stats)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (every command has --help)."""
    parser = _Parser(
        prog="szkiosk",
        description="Kiosk presentations about Shenzhen's high-quality development. "
        "Without a command, shows the bundled deck full screen.",
    )
    parser.add_argument("--version", action="version", version=f"szkiosk {__version__}")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"],
                        help="how much to log (default: info)")
    parser.add_argument("--log-file", metavar="PATH",
                        help="also log to this rotating file ('none': off); default with run --kiosk: "
                        "$XDG_STATE_HOME/szkiosk/szkiosk.log")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="show a deck", description="Show a deck full screen or in a window.")
    run.add_argument("deck", nargs="?", type=_deck_path, default=None,
                     help="deck folder (default: the bundled deck)")
    run.add_argument("--windowed", action="store_true", help="open in a window instead of full screen")
    run.add_argument("--window-size", type=_size, default=(1280, 720), metavar="WxH",
                     help="window size with --windowed (default 1280x720)")
    run.add_argument("--kiosk", action="store_true",
                     help="booth mode: no exit for visitors, idle reset and attract loop, hot reload, analytics")
    run.add_argument("--analytics", metavar="PATH",
                     help="with --kiosk: SQLite file for analytics, or 'off' "
                     "(default: $XDG_STATE_HOME/szkiosk/analytics.sqlite3)")
    run.add_argument("--idle-timeout", type=_number(1, 86400, what="a number of seconds"), metavar="SECONDS",
                     help="with --kiosk: override the deck's kiosk.idle_timeout (try the attract loop on site)")
    run.add_argument("--presenter", action="store_true",
                     help="open the presenter view (notes, next panel, timer) beside the audience window")
    run.add_argument("--steps", action="store_true",
                     help="step builds: Next reveals a panel's stages one at a time (on with --presenter)")
    run.add_argument("--auto", action="store_true",
                     help="advance by each panel's duration and loop; any key pauses, A resumes")
    run.add_argument("--tour", type=_number(0, 24 * 60, low_open=True, what="a number of minutes"), metavar="MINUTES",
                     help="show only the panels that fit a talk of this length (by priority and talk_time)")
    run.add_argument("--start", metavar="ID", help="start at this panel id (or number)")
    run.add_argument("--panel", metavar="ID", help="show only this panel (preview while authoring)")
    run.add_argument("--lang", metavar="LANG", help="start in this language (e.g. en, zh)")
    run.add_argument("--quit-after", type=_number(0, 7 * 86400, what="a number of seconds"), metavar="SECONDS",
                     help="close after this many seconds")
    run.add_argument("--watch", action="store_true",
                     help="authoring: reload when a content file changes; errors show on screen (use with --windowed)")
    _add_access_flags(run)
    _add_repo_flags(run)
    run.add_argument("--fleet", metavar="URL",  # the fleet link (szkiosk.booth.fleetlink)
                     help="with --kiosk: report status and take commands through the MQTT broker at "
                     "mqtt://[user:pass@]host[:port] or mqtts://...[?ca=FILE][&cert=FILE&key=FILE] (TLS: a private "
                     "authority, a client certificate; the user defaults to the booth's name; the "
                     "password may come from $SZKIOSK_FLEET_PASSWORD; also 'fleet:' in booth.yaml)")
    run.add_argument("--no-start-frame", action="store_true",
                     help="do not show the previous start's first frame while the deck loads")
    run.add_argument("--quit-after-first-paint", action="store_true",
                     help="close as soon as the first panel is on screen (start-up benchmark; "
                          "with a start-up frame, that frame)")
    run.set_defaults(func=cmd_run)

    val = sub.add_parser("validate", help="check a deck's content",
                         description="Check a deck; print every problem as file:line: field: message. "
                         "Exit 1 when there is any problem.")
    val.add_argument("deck", nargs="?", type=_deck_dir, default=None, help="deck folder (default: the bundled deck)")
    val.set_defaults(func=cmd_validate)

    shot = sub.add_parser("shot", help="render every panel to PNG",
                          description="Render every panel at its final animation state to DIR/NN-<id>.png "
                          "(offscreen; no display needed).")
    shot.add_argument("deck", nargs="?", type=_deck_dir, default=None, help="deck folder (default: the bundled deck)")
    shot.add_argument("--out", required=True, help="output folder")
    shot.add_argument("--size", type=_size, default=(1920, 1080), metavar="WxH", help="image size")
    shot.add_argument("--lang", default=None,
                      help="language code, or 'all' for one subfolder per language (default: deck default)")
    shot.add_argument("--panel", metavar="ID", help="only this panel")
    _add_access_flags(shot)
    shot.set_defaults(func=cmd_shot)

    export = sub.add_parser("export", help="export a PDF handout and/or PNGs",
                            description="A handout fit to print (white paper, A4 or US Letter, portrait): "
                            "each panel's face at its final state (vector text, no touch controls), its "
                            "details, its speaker notes with --notes, then every source in full; and/or PNG "
                            "images. Works offscreen.")
    export.add_argument("deck", nargs="?", type=_deck_dir, default=None, help="deck folder (default: the bundled deck)")
    export.add_argument("--pdf", metavar="FILE", help="write the handout PDF here")
    export.add_argument("--png", metavar="DIR", help="also write PNG images here (as `shot`)")
    export.add_argument("--lang", default=None, help="language code (default: deck default)")
    export.add_argument("--notes", action="store_true", help="print each panel's speaker notes after its details")
    export.add_argument("--paper", choices=("a4", "letter"), default="a4",
                        help="paper size of the PDF, portrait (default: a4)")
    export.set_defaults(func=cmd_export)

    new = sub.add_parser("new", help="start a new panel from a commented skeleton",
                         description="Write DECK/panels/ID.yaml for a panel of TYPE (every field, with TODO "
                         "placeholders that validate as written) and add it to the end of deck.yaml.")
    new.add_argument("type", help="panel type (see `szkiosk types`)")
    new.add_argument("id", help="panel id: lowercase letters, digits and dashes")
    new.add_argument("--deck", type=Path, default=Path("."), help="deck folder (default: the current folder)")
    new.add_argument("--stdout", action="store_true", help="print the skeleton instead of writing a file")
    new.add_argument("--no-add", action="store_true", help="do not add the file to deck.yaml")
    new.set_defaults(func=cmd_new)

    audit = sub.add_parser("audit", help="check every panel's layout at every size, language and text scale",
                           description="Render every panel (final state and each build step) in every deck "
                           "language at 1920x1080, 1080x1920 and 3840x2160, text scales 1.0 and 1.4, and in high "
                           "contrast; report text that overlaps, runs outside its card or the stage, is clipped, "
                           "too small or sized unlike its siblings, Chinese words split across lines and "
                           "punctuation at the wrong line end, as file:field: panel, language, size, scale: what. "
                           "Exit 1 on any finding.")
    audit.add_argument("deck", nargs="?", type=_deck_dir, default=None, help="deck folder (default: the bundled deck)")
    audit.add_argument("--json", nargs="?", const="-", metavar="FILE",
                       help="write a record per panel, language, size and scale (texts, findings) to FILE "
                       "(standard output without FILE)")
    audit.add_argument("--quick", action="store_true", help="only 1920x1080, 1080x1920 and text scale 1.4")
    audit.add_argument("--lang", metavar="LANG", help="only this language")
    audit.add_argument("--panel", metavar="ID", help="only this panel")
    audit.add_argument("--progress", action="store_true", help="print progress to standard error")
    audit.set_defaults(func=cmd_audit)

    types_ = sub.add_parser("types", help="list the panel types and their fields",
                            description="List every registered panel type with its fields; "
                            "with TYPE, that type in full (including nested items).")
    types_.add_argument("type", nargs="?", help="one panel type")
    types_.set_defaults(func=cmd_types)

    schema = sub.add_parser("schema", help="print the JSON Schema of the content",
                            description="Print (or write with --out) JSON Schemas for deck.yaml and panel files.")
    schema.add_argument("--out", help="folder to write deck.schema.json and panel.schema.json into")
    schema.set_defaults(func=cmd_schema)

    stats = sub.add_parser("stats", help="print booth analytics",
                           description="Per panel: visitor views, total and median dwell (s), touches, attract-loop "
                           "showings; and visitor sessions. Read from the booth's SQLite file.")
    stats.add_argument("--csv", action="store_true", help="CSV instead of a table")
    stats.add_argument("--db", metavar="PATH", help="database (default: $XDG_STATE_HOME/szkiosk/analytics.sqlite3)")
    stats.set_defaults(func=cmd_stats)

    service = sub.add_parser("install-service", help="start a booth with the desktop session",
                             description="Write a systemd user unit (Restart=always, after graphical-session.target) "
                             "and an XDG autostart entry that runs DECK in kiosk mode. Without DECK the booth "
                             "follows the content repository its $XDG_CONFIG_HOME/szkiosk/booth.yaml names "
                             "(docs/FLEET.md).")
    service.add_argument("deck", type=_deck_dir, nargs="?", help="deck folder (omit for a booth that follows a "
                         "content repository)")
    service.add_argument("--dry-run", action="store_true", help="print both files instead of writing them")
    service.add_argument("--executable", metavar="PATH", help="szkiosk to run (default: this installation's)")
    service.add_argument("--service-log-level", default="info", choices=["debug", "info", "warning", "error"],
                         help="--log-level of the service (default: info)")
    service.set_defaults(func=cmd_install_service)

    pin = sub.add_parser("hash-pin", help="make the staff PIN hash for deck.yaml",
                         description="Ask for a staff PIN (4-12 digits) and print the kiosk.pin_scrypt line "
                         "for deck.yaml: a salted scrypt hash (a new random salt each time). The PIN itself is "
                         "stored nowhere.")
    pin.add_argument("--stdin", action="store_true", help="read the PIN from standard input (scripts)")
    pin.set_defaults(func=cmd_hash_pin)

    bench = sub.add_parser("bench", help="measure start-up, frame times, idle CPU, memory, content scale",
                           description="Benchmarks against a bare PySide6 baseline measured in the same run "
                           "(offscreen raster); prints a Markdown table. Never pass/fail.")
    bench.add_argument("deck", nargs="?", type=_deck_dir, default=None, help="deck folder (default: the bundled deck)")
    bench.add_argument("--quick", action="store_true", help="smoke mode: a few frames of everything (CI)")
    bench.add_argument("--markdown", metavar="FILE", help="also write the table to FILE")
    bench.add_argument("--chart", metavar="PNG", help="also draw frame times per panel to PNG")
    bench.add_argument("--json", metavar="FILE", help="also write every figure, machine-readable, to FILE")
    bench.add_argument("--runs", type=_number(1, 1000, integer=True, what="a whole number"), metavar="N",
                       help="start-up runs of each process (default 5)")
    bench.add_argument("--only", type=_bench_parts, metavar="LIST",
                       help="comma-separated subset: startup,frames,idle,memory,scale")
    bench.add_argument("--panels", metavar="IDS",
                       help="frame times only for these comma-separated panel ids (and transitions into them)")
    bench.set_defaults(func=cmd_bench)
    add_fleet_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command line: parse ``argv``, run the command, return its exit code.

    Bad arguments get argparse's one line and exit 2. Anything unexpected is logged as one
    line (its traceback only at debug level, so it reaches the log file with
    ``--log-level debug``) and exits 1: no traceback reaches a user.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["--log-level", args.log_level, *(["--log-file", args.log_file] if args.log_file
                                                                   else []), "run"])
    args.log_file_used = _setup_logging(args.log_level, _log_file_for(args))
    if args.command == "run" and args.kiosk:
        problem = _booth_config(args)
        if problem:
            print(f"szkiosk run: {problem}", file=sys.stderr)
            return 2
    if (getattr(args, "deck", None) is None and hasattr(args, "deck") and not getattr(args, "content_repo", None)
            and args.command != "install-service"):  # there, no DECK means a repository-following booth
        args.deck = bundled_deck()
        problem = _deck_problem(args.deck)
        if problem and not (args.command == "run" and args.kiosk):
            parser.error(problem)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        log.error("szkiosk %s failed: %s: %s", args.command, type(exc).__name__, exc)
        log.debug("traceback of that failure", exc_info=True)
        return 1


def entry() -> int:
    """The ``szkiosk`` console script and ``python -m szkiosk``: :func:`main`, then a clean exit.

    Background threads get a bounded time to finish before the interpreter shuts down
    (:mod:`szkiosk.leaving`): a booth's exit code reaches its service even when a deck was being
    validated, or a worker hangs on a dead mount, at the moment it leaves.
    """
    from szkiosk.leaving import leave

    return leave(main())
