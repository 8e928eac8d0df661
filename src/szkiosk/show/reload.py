"""Content that changes on disk, picked up while the show runs, by a watcher that cannot die.

:class:`ContentWatcher` watches a deck folder and loads it again when its content has changed
and then stayed still for a moment: ``reloaded`` carries a clean deck, ``failed`` the problems.
It knows nothing about windows. :class:`WindowWatch` connects one to a show window: a clean
deck replaces the one on screen (same panel); what to do with errors is up to the subclass
(the author's overlay in :mod:`szkiosk.authoring.watch`, the booth's log and staff menu in
:mod:`szkiosk.booth.reload`).

How it stays alive and off the GUI thread:

- **Two ways to notice.** A ``QFileSystemWatcher`` on the deck folder, every folder and content
  file in it *and the folder that holds the deck* (so a deleted, re-created or renamed-in
  deck is seen), re-armed after every look (a file replaced by rename, a symlink swapped, a
  folder re-created is a new inode that the old watch no longer follows). And a periodic
  rescan (every ``rescan_ms``, 10 s by default) that compares a cheap fingerprint of the
  folder (paths, types, sizes, mtimes, inodes, link targets: :func:`scan_folder`) with the
  one last loaded, for whatever the watcher missed.
- **Settle before loading.** A changed fingerprint is loaded only once it has stayed the
  same for ``settle_ms`` (a file being copied, written in parts or swapped in two renames
  is never read half-way); and a load whose files changed while they were being read is
  thrown away and waited for again.
- **Nothing on the GUI thread.** Scans and loads (``load_deck`` with its validation) run in
  a worker thread, one at a time; the GUI thread only polls for the result. A job that takes
  longer than ``timeout_ms`` (a stalled network share) is abandoned and logged, and the last
  good deck stays. Special files (FIFOs, sockets, devices) are refused by the loader itself.
"""

from __future__ import annotations

import logging
import os
import queue
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from szkiosk.content import ContentError, ContentFileError, LoadedDeck, load_deck
from szkiosk.content.loader import display_path

if TYPE_CHECKING:
    from szkiosk.show.window import ShowWindow

log = logging.getLogger(__name__)

#: Wait this long after the first file event before looking (editors write in bursts).
DEBOUNCE_MS = 150
#: A changed folder is loaded once its fingerprint has stayed the same this long.
SETTLE_MS = 300
#: Look at the folder this often even when no file event came.
RESCAN_MS = 10_000
#: A scan or load that takes longer than this is abandoned (the last good deck stays).
TIMEOUT_MS = 20_000
#: How often the GUI thread looks for a finished job while one runs.
POLL_MS = 40
#: Abandoned jobs (stuck on a stalled share) allowed before no new one is started.
MAX_STUCK = 2
#: Entries a scan looks at before it stops (a deck has a few dozen).
MAX_SCANNED = 20_000
#: Files in a deck folder whose change triggers a reload.
CONTENT_SUFFIXES = {".yaml", ".yml", ".json", ".csv", ".txt"}

Fingerprint = tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Scan:
    """One look at a deck folder: its fingerprint and what to watch."""

    fingerprint: Fingerprint
    #: Path -> identity (device, inode of the link and of what it points at) of every folder
    #: and regular content file to watch.
    watch: dict[str, tuple[int, ...]] = field(default_factory=dict)


def scan_folder(root: Path, *, limit: int = MAX_SCANNED) -> Scan:
    """Fingerprint ``root`` cheaply: ``stat`` only, no file is opened.

    Every content file (by suffix) and folder, hidden ones left out, with its type, size,
    mtime, ctime, inode and (for a symlink) target; folder links are followed once (a loop
    is not followed twice). Problems (a missing root, a symlink loop, an unreadable folder)
    become entries too, so they count as changes. Never raises.
    """
    entries: list[tuple[Any, ...]] = []
    watch: dict[str, tuple[int, ...]] = {}
    try:
        info = os.stat(root)
    except OSError as exc:
        return Scan((("!root", exc.errno),))
    if not stat.S_ISDIR(info.st_mode):
        return Scan((("!root", "not a folder", info.st_ino, info.st_mtime_ns),))
    entries.append(("", "dir", info.st_dev, info.st_ino))
    seen = {(info.st_dev, info.st_ino)}
    stack: list[tuple[str, str, tuple[int, ...]]] = [(str(root), "", (info.st_dev, info.st_ino))]
    count = 0
    while stack:
        folder, rel, identity = stack.pop()
        watch[folder] = identity
        try:
            with os.scandir(folder) as listing:
                found = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            entries.append((rel, "!", exc.errno))
            continue
        subfolders = []
        for entry in found:
            if entry.name.startswith("."):
                continue
            count += 1
            if count > limit:
                entries.append(("!limit", limit))
                return Scan(tuple(entries), watch)
            relpath = f"{rel}/{entry.name}" if rel else entry.name
            content = os.path.splitext(entry.name)[1].lower() in CONTENT_SUFFIXES
            try:
                own = entry.stat(follow_symlinks=False)
                target = os.readlink(entry.path) if stat.S_ISLNK(own.st_mode) else ""
            except OSError as exc:
                entries.append((relpath, "!", exc.errno))
                continue
            try:
                info = entry.stat(follow_symlinks=True)
            except OSError as exc:  # a dangling link or a symlink loop
                if content or target:
                    entries.append((relpath, "!", exc.errno, target, own.st_ino))
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                entries.append((relpath, "dir", target, own.st_ino, info.st_ino))
                if key not in seen:
                    seen.add(key)
                    subfolders.append((entry.path, relpath, (own.st_ino, info.st_dev, info.st_ino)))
            elif content:
                entries.append((relpath, stat.S_IFMT(info.st_mode), target, own.st_ino, info.st_dev, info.st_ino,
                                info.st_size, info.st_mtime_ns, info.st_ctime_ns))
                if stat.S_ISREG(info.st_mode):
                    watch[entry.path] = (own.st_ino, info.st_dev, info.st_ino)
        stack.extend(reversed(subfolders))
    return Scan(tuple(entries), watch)


def _watchable(path: str) -> bool:
    """True for a folder or regular file that is there now (a watch on anything else fails)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISDIR(mode) or stat.S_ISREG(mode)


@dataclass
class _Job:
    """One scan or load running in a worker thread."""

    token: int
    kind: str  # "scan" or "load"
    started: float
    thread: threading.Thread
    #: For a load: the settled fingerprint it was started for (None: staff asked, load whatever is there).
    expected: Fingerprint | None = None


@dataclass
class _Result:
    token: int
    kind: str
    before: Scan
    after: Scan | None = None
    deck: LoadedDeck | None = None
    errors: list[ContentError] | None = None


Loader = Callable[[Path], LoadedDeck]


def _work(out: queue.SimpleQueue, token: int, kind: str, root: Path, loader: Loader) -> None:
    """The worker thread: scan (and load, and scan again); hand the result to the GUI thread."""
    try:
        before = scan_folder(root)
        result = _Result(token, kind, before)
        if kind == "load":
            try:
                result.deck = loader(root)
            except ContentFileError as exc:
                result.errors = list(exc.errors)
            except Exception as exc:  # a loader bug must not end watching
                log.exception("hot reload: loading %s failed", root)
                result.errors = [ContentError(display_path(root), None, "", f"could not load: {exc}")]
            result.after = scan_folder(root)
    except Exception:  # pragma: no cover - scan_folder does not raise; belt and braces for a thread
        log.exception("hot reload: looking at %s failed", root)
        result = _Result(token, kind, Scan((("!worker",),)))
    out.put(result)


class ContentWatcher(QObject):
    """Reloads a deck folder when its content has changed and settled; never blocks the GUI.

    ``reloaded`` carries a clean deck, ``failed`` a list of :class:`ContentError` (a broken
    deck, or a load that timed out). The last fingerprint loaded is remembered, so the same
    broken content is not reported again until it changes (or :meth:`reload` is asked for).
    """

    reloaded = Signal(object)  # LoadedDeck without errors
    failed = Signal(list)  # list[ContentError]
    #: A load ended (shown, refused, unchanged or abandoned): what staff read may have changed.
    settled = Signal()

    def __init__(self, root: str | Path, parent: QObject | None = None, *, debounce_ms: int = DEBOUNCE_MS,
                 settle_ms: int = SETTLE_MS, rescan_ms: int = RESCAN_MS, timeout_ms: int = TIMEOUT_MS,
                 loader: Loader = load_deck) -> None:
        super().__init__(parent)
        root = Path(os.path.abspath(root))  # by name, not resolved: `mv new deck` must be followed
        if root.is_file():
            root = root.parent
        self.root = root
        self.settle_ms = settle_ms
        self.timeout_ms = timeout_ms
        self.loader = loader
        #: Wall-clock time of the last finished look at the folder (None before the first).
        self.last_checked: float | None = None
        #: A problem with watching itself (a look or load that timed out), until the next good look.
        self.problem: str | None = None
        self._fs = QFileSystemWatcher(self)
        self._fs.fileChanged.connect(self._changed)
        self._fs.directoryChanged.connect(self._changed)
        self._armed: dict[str, tuple[int, ...]] = {}
        self._debounce = self._timer(debounce_ms, self.check)
        self._settle = self._timer(settle_ms, self.check)
        self._poll = self._timer(POLL_MS, self._collect, single=False)
        self._rescan = self._timer(rescan_ms, self.check, single=False)
        self._results: queue.SimpleQueue[_Result] = queue.SimpleQueue()
        self._job: _Job | None = None
        self._token = 0
        self._stuck: list[threading.Thread] = []
        self._want_check = False
        self._want_load = False
        self._candidate: Fingerprint | None = None
        self._candidate_since = 0.0
        self._last_seen: Fingerprint | None = None
        self._forced = False
        self._stopped = False
        # the baseline: what is on disk now is what the caller has just loaded (a stat walk,
        # once, at start-up, next to the load the caller did on this thread anyway)
        first = scan_folder(self.root)
        self._loaded: Fingerprint | None = first.fingerprint
        self._arm(first)
        self.last_checked = time.time()
        self._rescan.start()

    def _timer(self, ms: int, slot: Callable[[], None], *, single: bool = True) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def configure(self, *, debounce_ms: int | None = None, settle_ms: int | None = None,
                  rescan_ms: int | None = None, timeout_ms: int | None = None) -> None:
        """Change the timings (tests and the booth use shorter or longer ones than authors)."""
        if debounce_ms is not None:
            self._debounce.setInterval(debounce_ms)
        if settle_ms is not None:
            self.settle_ms = settle_ms
        if rescan_ms is not None:
            self._rescan.setInterval(rescan_ms)
            if not self._stopped:
                self._rescan.start()
        if timeout_ms is not None:
            self.timeout_ms = timeout_ms

    # -- watching ------------------------------------------------------------------------------------
    def _arm(self, scan: Scan) -> None:
        """Re-arm the file-system watches on what is there now; replaced paths are watched anew."""
        wanted = dict(scan.watch)
        parent = str(self.root.parent)
        if parent != str(self.root):
            wanted.setdefault(parent, ())
        current = set(self._fs.files()) | set(self._fs.directories())
        stale = [p for p in current if p not in wanted or self._armed.get(p) != wanted[p]]
        if stale:
            self._fs.removePaths(stale)
        # what the scan saw may have changed since (a file now a FIFO or a symlink loop): only
        # folders and regular files that are still there, or the watcher warns and may block
        missing = [p for p in wanted if (p not in current or p in stale) and _watchable(p)]
        if missing:
            self._fs.addPaths(missing)
        self._armed = wanted

    def _changed(self, path: str) -> None:
        log.debug("content changed: %s", path)
        if not self._debounce.isActive():  # not restarted: a busy parent folder must not starve us
            self._debounce.start()

    def watched_paths(self) -> list[str]:
        """Every path the file-system watcher follows now (for tests and staff)."""
        return sorted(self._fs.files() + self._fs.directories())

    def stop(self) -> None:
        """Stop watching (window closing). A job still running is left to finish on its own."""
        self._stopped = True
        for timer in (self._debounce, self._settle, self._poll, self._rescan):
            timer.stop()
        self._token += 1
        self._job = None
        paths = self._fs.files() + self._fs.directories()
        if paths:
            self._fs.removePaths(paths)

    # -- looking and loading -------------------------------------------------------------------------
    def check(self) -> None:
        """Look at the folder now (in the worker); load it once a change has settled."""
        if self._stopped:
            return
        if self._job is not None:
            self._want_check = True
            return
        self._start("scan")

    def reload(self) -> None:
        """Load the deck now, changed or not (the staff menu's Reload); the result comes by signal.

        Returns at once: loading runs in the worker. Watching goes on as before.
        """
        if self._stopped:
            return
        self._forced = True
        if self._job is not None:
            self._want_load = True
            return
        self._start("load")

    @property
    def busy(self) -> bool:
        """True while a scan or load runs in the worker."""
        return self._job is not None

    def _start(self, kind: str) -> None:
        self._stuck = [t for t in self._stuck if t.is_alive()]
        if len(self._stuck) >= MAX_STUCK:
            problem = f"{len(self._stuck)} earlier looks at {display_path(self.root)} are still stuck; waiting"
            if problem != self.problem:  # once, not every rescan
                log.warning("hot reload: %s", problem)
            self.problem = problem
            return
        self._token += 1
        thread = threading.Thread(target=_work, args=(self._results, self._token, kind, self.root, self.loader),
                                  name=f"szkiosk-reload-{kind}", daemon=True)
        expected = None
        if kind == "load" and not self._forced:
            expected = self._candidate
        self._forced = False
        self._job = _Job(self._token, kind, time.monotonic(), thread, expected)
        thread.start()
        self._poll.start()

    def _collect(self) -> None:
        """Poll (GUI thread): take a finished job's result, or abandon a job that took too long."""
        job = self._job
        while True:
            try:
                result = self._results.get_nowait()
            except queue.Empty:
                break
            if job is not None and result.token == job.token:
                self._finish(job, result)
                return
            # an abandoned job finished after all: its result is out of date
        if job is None:
            self._poll.stop()
            return
        if (time.monotonic() - job.started) * 1000 > self.timeout_ms:
            self._abandon(job)

    def _abandon(self, job: _Job) -> None:
        seconds = self.timeout_ms / 1000
        what = "loading" if job.kind == "load" else "looking at"
        self.problem = f"{what} {display_path(self.root)} took longer than {seconds:g} s (a stalled disk or share?)"
        log.error("hot reload: %s; abandoned, the last good deck stays", self.problem)
        self._stuck.append(job.thread)
        self._job = None
        self._poll.stop()
        if job.kind == "load":
            # do not retry the same content until it changes (or staff ask): it would only stall again
            self._loaded, self._candidate = self._last_seen, None
            self.failed.emit([ContentError(display_path(self.root), None, "",
                                           f"loading took longer than {seconds:g} s and was abandoned "
                                           "(a stalled disk or network share?); the last good deck stays")])
            self.settled.emit()
        self._next()

    def _finish(self, job: _Job, result: _Result) -> None:
        self._job = None
        self._poll.stop()
        self.last_checked = time.time()
        self.problem = None
        after = result.after or result.before
        self._last_seen = after.fingerprint
        if result.kind == "scan":
            self._arm(result.before)
            self._consider(result.before.fingerprint)
        else:
            self._arm(after)
            if after.fingerprint != result.before.fingerprint:
                log.info("hot reload: %s changed while it was read; waiting for it to settle", self.root)
                self._wait_for(after.fingerprint)
            elif job.expected is not None and result.before.fingerprint != job.expected:
                log.info("hot reload: %s changed again before it was read; waiting for it to settle", self.root)
                self._wait_for(result.before.fingerprint)
            else:
                self._loaded, self._candidate = result.before.fingerprint, None
                self._settle.stop()
                errors = result.errors if result.errors is not None else list(result.deck.errors if result.deck else [])
                if errors or result.deck is None:
                    self.failed.emit(errors)
                else:
                    self.reloaded.emit(result.deck)
            self.settled.emit()
        self._next()

    def _next(self) -> None:
        if self._stopped or self._job is not None:
            return
        if self._want_load:
            self._want_load = self._want_check = False
            self._start("load")
        elif self._want_check:
            self._want_check = False
            self._start("scan")

    def _consider(self, fingerprint: Fingerprint) -> None:
        """A fresh look: nothing new, a new change to wait on, or a change that has settled."""
        if fingerprint == self._loaded:
            self._candidate = None
            self._settle.stop()
        elif fingerprint != self._candidate:
            log.debug("hot reload: %s changed; waiting for it to settle", self.root)
            self._wait_for(fingerprint)
        else:
            waited = (time.monotonic() - self._candidate_since) * 1000
            if waited >= self.settle_ms:
                log.info("hot reload: loading %s", self.root)
                self._want_load = True
            else:
                self._settle.start(max(1, int(self.settle_ms - waited)))

    def _wait_for(self, fingerprint: Fingerprint) -> None:
        self._candidate = fingerprint
        self._candidate_since = time.monotonic()
        self._settle.start(self.settle_ms)


class WindowWatch(QObject):
    """Connects a :class:`ContentWatcher` to a show window: clean decks go on screen.

    Subclasses decide what broken content does (:meth:`show_errors`) and how to take back
    what it showed (:meth:`clear_errors`). ``timing`` goes to the watcher
    (``debounce_ms``, ``settle_ms``, ``rescan_ms``, ``timeout_ms``, ``loader``).
    """

    def __init__(self, window: ShowWindow, root: str | Path, *, only: str | None = None, **timing: Any) -> None:
        super().__init__(window)
        self.window = window
        self.only = only
        self.watcher = ContentWatcher(root, self, **timing)
        self.watcher.reloaded.connect(self.apply)
        self.watcher.failed.connect(self.show_errors)
        window.destroyed.connect(self.watcher.stop)

    def apply(self, deck: LoadedDeck) -> None:
        """Put the reloaded deck on screen, on the same panel, and take back any error display."""
        window = self.window
        if self.only:
            index = deck.index_of(self.only)
            if index is not None:
                deck.panels = [deck.panels[index]]
        self.clear_errors()
        presentation = window.presentation
        presentation.replace_panels([p.id for p in deck.panels])
        window.deck = deck
        window.stage.replace_deck(deck, presentation.index)
        window.setWindowTitle(deck.model.title.get(presentation.language))
        log.info("reloaded %s (%d panels)", self.watcher.root, len(deck.panels))

    def show_errors(self, errors: list[ContentError]) -> None:
        """Broken content: the last good deck stays up; the problems go to the log."""
        for err in errors:
            log.warning("content: %s", err)

    def clear_errors(self) -> None:
        """Take back whatever :meth:`show_errors` put up (nothing here)."""
