"""A booth that follows a content repository (``szkiosk run --kiosk --content-repo URL``, issue 17).

:class:`RepoFollower` drives a :class:`~szkiosk.fleet.gitsync.ContentRepo` for one booth: on
start, every few minutes, on :meth:`~RepoFollower.fetch_now` (the ``fetch`` command, the staff
menu's Reload) and when a USB bundle appears or changes, it

1. fetches, checks the new commit out into staging, verifies its signature and validates it
   (in a worker thread: the show never waits for git or the disk);
2. warms the new deck up offscreen (:class:`~szkiosk.booth.warmup.WarmUp`: every panel built
   once, every file it names checked; one panel per event-loop turn);
3. only then promotes it (the ``current`` link swapped in one rename) and puts it on screen
   through the booth's hot-reload path (:meth:`BoothReload.apply`), on the same panel.

A commit failing any step is refused (remembered with its reason, one log line, ``refused``
signal) and never shown; a fetch that fails (``failed``) keeps the deck on screen. While it
follows a repository, the booth's folder watcher stands down (it would switch decks behind
the follower's back). A booth started without ``--content-repo`` never imports this module.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from szkiosk.booth.warmup import WarmUp, WarmupReport
from szkiosk.content import LoadedDeck, load_deck
from szkiosk.fleet.gitsync import ContentRepo, FetchResult, GitError, Refused

if TYPE_CHECKING:
    from szkiosk.booth.booth import Booth

log = logging.getLogger(__name__)

#: Default time between fetches (s).
FETCH_EVERY_S = 300.0
#: While nothing is on screen yet (the "back soon" screen), look this often instead.
FIRST_RETRY_S = 30.0
#: How often a USB bundle's file is looked at (ms), on a worker thread.
USB_POLL_MS = 3000
#: A look at the bundle that has not returned after this long (s) is logged: a stalled mount.
USB_STALL_S = 30.0
#: How often the GUI thread looks for a finished git job (ms).
POLL_MS = 100


def _short(sha: str | None) -> str:
    return sha[:12] if sha else "none"


def _check(repo: ContentRepo) -> tuple[Any, ...]:
    """Worker: fetch and, for a new commit, stage and validate it."""
    found: FetchResult = repo.fetch()
    if not found.ok:
        return ("failed", found.error)
    if found.new is None:
        return ("same", found.tip, found.refused)
    try:
        return ("staged", found.new, repo.check(found.new))
    except Refused as exc:
        return ("refused", exc.sha, exc.reason)


def _promote(repo: ContentRepo, sha: str) -> tuple[Any, ...]:
    """Worker: make ``sha`` current and load its deck from where it now lives."""
    deck = repo.promote(sha)
    return _load(repo, sha, deck)


def _rollback(repo: ContentRepo, to: str | None) -> tuple[Any, ...]:
    deck = repo.rollback(to, reason="rolled back by command")
    current = repo.current()
    return _load(repo, current[0] if current else "", deck)


def _load(repo: ContentRepo, sha: str, deck: Any) -> tuple[Any, ...]:
    loaded = load_deck(deck)
    if loaded.errors:  # validated already: only a disk going bad could do this
        return ("failed", f"commit {_short(sha)} does not load from {deck}: {loaded.errors[0]}")
    info = repo.commit_info(sha)
    return ("ready", sha, loaded, info.time)


class RepoFollower(QObject):
    """Keeps a booth on the newest good commit of its content repository (see the module docstring).

    Without a booth yet (a first start with nothing fetched: the "back soon" screen) the first
    good deck is handed over by ``deck_ready``; :meth:`attach` then gives it the booth.
    """

    #: A new commit is on screen (its sha).
    switched = Signal(str)
    #: A commit was refused and is not shown (sha, reason).
    refused = Signal(str, str)
    #: A fetch or a step failed; the deck on screen stays (reason).
    failed = Signal(str)
    #: No booth yet: the first good deck, for its owner to open (LoadedDeck).
    deck_ready = Signal(object)

    def __init__(self, repo: ContentRepo, booth: Booth | None = None, *, fetch_every_s: float = FETCH_EVERY_S,
                 language: str | None = None, usb_poll_ms: int = USB_POLL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else booth)
        self.repo = repo
        self.booth: Booth | None = None
        self.language = language
        self.fetch_every_s = fetch_every_s
        #: The commit on screen, its commit time (UTC ISO) and the last problem (None: all well).
        self.commit: str | None = None
        self.commit_time: str | None = None
        self.last_error: str | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="szkiosk-gitsync")
        self._job: tuple[Future, Callable[[tuple[Any, ...]], None]] | None = None
        self._warm: WarmUp | None = None
        self._again = False
        self._started = False
        self._stopped = False
        self._logged_failure: str | None = None
        self._poll = self._timer(POLL_MS, self._collect)
        self._every = self._timer(int(fetch_every_s * 1000), self.fetch_now)
        self._usb = self._timer(usb_poll_ms, self._usb_tick) if repo.is_bundle else None
        self._usb_seen: tuple | None = None
        self._usb_fetched: tuple | None = None
        #: The look at the bundle under way (a stat on a worker: a dead USB mount can hang it
        #: for minutes, and the show must not hang with it), since when, and whether it was
        #: logged as stalled. The first look only notes what is there (start fetches anyway).
        self._usb_pool: ThreadPoolExecutor | None = None
        self._usb_look: Future | None = None
        self._usb_since = 0.0
        self._usb_stalled = False
        self._usb_primed = False
        self.usb_stall_s = USB_STALL_S
        current = repo.current()
        if current is not None:
            self.commit = current[0]
            try:
                self.commit_time = repo.commit_info(current[0]).time
            except GitError:
                self.commit_time = None
        if booth is not None:
            self.attach(booth)

    def _timer(self, ms: int, slot: Callable[[], Any]) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    # -- life -------------------------------------------------------------------------------------
    def attach(self, booth: Booth) -> None:
        """Follow the repository for ``booth`` (its folder watcher stands down)."""
        self.booth = booth
        booth.follow(self)
        if self.language is None:
            self.language = booth.window.presentation.language
        if self._started:
            self._every.setInterval(int(self.fetch_every_s * 1000))

    def start(self) -> None:
        """Fetch now, then every ``fetch_every_s`` (and watch a USB bundle). Idempotent."""
        if self._started or self._stopped:
            return
        self._started = True
        if self.booth is None and self.commit is None:
            self._every.setInterval(int(min(self.fetch_every_s, FIRST_RETRY_S) * 1000))
        self._every.start()
        if self._usb is not None:
            self._usb.start()
            self._usb_tick()  # the first look, noting what is there
        log.info("following %s (every %g min)%s; commit on screen: %s", self.repo.display_url,
                 self.fetch_every_s / 60, " with signatures checked" if self.repo.allowed_signers else "",
                 _short(self.commit))
        self.fetch_now()

    def stop(self) -> None:
        """Stop fetching (window closing); a git job under way finishes on its own."""
        self._stopped = True
        for timer in (self._poll, self._every, self._usb):
            if timer is not None:
                timer.stop()
        if self._warm is not None:
            self._warm.stop()
            self._warm = None
        self._job = None
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._usb_pool is not None:  # a look hanging on a dead mount is left to itself
            self._usb_pool.shutdown(wait=False, cancel_futures=True)

    @property
    def busy(self) -> bool:
        """True while a fetch, warm-up or switch is under way."""
        return self._job is not None or self._warm is not None

    # -- commands ---------------------------------------------------------------------------------
    def fetch_now(self) -> str:
        """Look for a new commit now (the ``fetch`` command); a short English result.

        The outcome follows by signal: ``switched``, ``refused`` or ``failed`` (or nothing new)."""
        if self._stopped:
            return "not following a content repository any more"
        if self.busy:
            self._again = True
            return "a fetch is already under way; looking again when it ends"
        self._submit(_check, self._checked)
        return f"fetching from {self.repo.display_url}"

    def rollback(self, to: str | None = None) -> str:
        """Go back to the previous good commit, or to ``to`` (a kept one); a short English result."""
        if self._stopped:
            return "not following a content repository any more"
        if self.busy:
            return "busy with a fetch; try the rollback again in a moment"
        try:
            target = self.repo.rollback_target(to)
        except (ValueError, GitError) as exc:
            return f"cannot roll back: {exc}"
        if target.sha == self.commit:
            return f"commit {_short(target.sha)} is on screen already"
        log.info("content: rolling back from %s to %s (%s)", _short(self.commit), _short(target.sha), target.subject)
        self._submit(lambda repo: _rollback(repo, target.sha), self._ready)
        return f"rolling back from {_short(self.commit)} to {_short(target.sha)} ({target.subject})"

    # -- the pipeline -----------------------------------------------------------------------------
    def _submit(self, work: Callable[[ContentRepo], tuple[Any, ...]], then: Callable[[tuple[Any, ...]], None]) -> None:
        self._job = (self._pool.submit(work, self.repo), then)
        self._poll.start()

    def _collect(self) -> None:
        job = self._job
        if job is None:
            self._poll.stop()
            return
        future, then = job
        if not future.done():
            return
        self._job = None
        self._poll.stop()
        try:
            result = future.result()
        except Exception as exc:  # a bug or a disk error must not end following
            log.debug("content repository job failed", exc_info=True)
            result = ("failed", f"{type(exc).__name__}: {exc}")
        if result[0] == "failed":
            self._failed(result[1])
        else:
            then(result)
        self._next()

    def _next(self) -> None:
        if self._again and not self.busy and not self._stopped:
            self._again = False
            self.fetch_now()

    def _failed(self, reason: str) -> None:
        self.last_error = reason
        if reason != self._logged_failure:  # an unplugged network: one line, not one every few minutes
            log.warning("content: %s; %s", reason, self._keeping())
        self._logged_failure = reason
        self.failed.emit(reason)

    def _keeping(self) -> str:
        return f"keeping commit {_short(self.commit)} on screen" if self.commit else "nothing to show yet"

    def _checked(self, result: tuple[Any, ...]) -> None:
        kind = result[0]
        if kind == "same":
            self._logged_failure = None
            if self.last_error and not self.last_error.startswith("commit "):
                self.last_error = None  # the remote answers again
            return
        if kind == "refused":
            self._refuse(result[1], result[2], record=False)
            return
        sha, loaded = result[1], result[2]
        log.info("content: commit %s fetched and valid; warming it up offscreen", _short(sha))
        language = self.language if self.language in loaded.model.languages else loaded.model.default_language
        self._warm = WarmUp(loaded, language, self)
        self._warm.finished.connect(lambda report: self._warmed(sha, report))
        self._warm.start()

    def _warmed(self, sha: str, report: WarmupReport) -> None:
        warm, self._warm = self._warm, None
        if warm is not None:
            warm.deleteLater()
        if self._stopped:
            return
        if report.failed:
            problems = [p for p in report.problems if any(f"panel {pid}" in p for pid in report.failed)]
            self._refuse(sha, f"warm-up failed: {(problems or report.problems or ['a panel failed'])[0]}")
            self._next()
            return
        self._submit(lambda repo: _promote(repo, sha), self._ready)

    def _refuse(self, sha: str, reason: str, *, record: bool = True) -> None:
        if record:
            try:
                self.repo.refuse(sha, reason)
            except OSError as exc:
                log.warning("content: cannot record the refusal of %s: %s", _short(sha), exc)
        self.last_error = f"commit {_short(sha)} refused: {reason}"
        log.error("content: commit %s refused: %s; %s", _short(sha), reason, self._keeping())
        self.refused.emit(sha, reason)

    def _ready(self, result: tuple[Any, ...]) -> None:
        """A promoted (or rolled-back-to) commit, loaded: put it on screen."""
        _, sha, loaded, when = result
        booth = self.booth
        if booth is None:
            self._shown(sha, when)
            self._every.setInterval(int(self.fetch_every_s * 1000))
            self.deck_ready.emit(loaded)
            return
        reload, window = booth.reload, booth.window
        reload.apply(loaded)
        event = reload.last_event[1]
        if event == "unchanged":
            window.deck.root = loaded.root  # same content; the files now live in the new commit's folder
        elif window.deck is not loaded:
            reason = f"commit {_short(sha)} could not be shown: {reload.last_error[1] if reload.last_error else '?'}"
            if self.commit is not None:
                try:
                    self.repo.rollback(self.commit, reason="could not be shown")
                except (ValueError, OSError, GitError) as exc:
                    log.warning("content: cannot go back to %s: %s", _short(self.commit), exc)
            self._failed(reason)
            return
        self._shown(sha, when)

    def _shown(self, sha: str, when: str | None) -> None:
        self.commit, self.commit_time = sha, when
        self.last_error = None
        self._logged_failure = None
        log.info("content: showing commit %s (%s) from %s", _short(sha), when or "time unknown",
                 self.repo.display_url)
        self.switched.emit(sha)

    # -- USB bundles ------------------------------------------------------------------------------
    def _usb_tick(self) -> None:
        """Collect the last look at the bundle and start the next, both without waiting: the
        file is stat'ed on a worker thread, since a dead USB mount can hang a stat for minutes."""
        look = self._usb_look
        if look is not None:
            if not look.done():
                if not self._usb_stalled and time.monotonic() - self._usb_since >= self.usb_stall_s:
                    self._usb_stalled = True
                    log.warning("content: the bundle at %s has not answered for %.0f s (a stalled USB mount?); "
                                "the show goes on", self.repo.location, time.monotonic() - self._usb_since)
                return
            self._usb_look = None
            if self._usb_stalled:
                self._usb_stalled = False
                log.info("content: the bundle at %s answers again", self.repo.location)
            try:
                stamp = look.result()
            except Exception as exc:  # source_stamp catches OSError; anything else: no bundle now
                log.debug("content: looking at the bundle failed: %s: %s", type(exc).__name__, exc)
                stamp = None
            self._usb_looked(stamp)
        if self._stopped:
            return
        if self._usb_pool is None:
            self._usb_pool = ThreadPoolExecutor(1, thread_name_prefix="szkiosk-usb")
        self._usb_since = time.monotonic()
        self._usb_look = self._usb_pool.submit(self.repo.source_stamp)

    def _usb_looked(self, stamp: tuple | None) -> None:
        """A bundle that appeared or changed, and has stayed the same for one look: fetch it."""
        if not self._usb_primed:  # what is there at start: the start's own fetch takes it
            self._usb_primed = True
            self._usb_fetched = self._usb_seen = stamp
            return
        settled = stamp == self._usb_seen
        self._usb_seen = stamp
        if stamp is None or not settled or stamp == self._usb_fetched or self.busy:
            return
        self._usb_fetched = stamp
        log.info("content: bundle %s appeared or changed; fetching from it", self.repo.location)
        self.fetch_now()


def first_commit(repo: ContentRepo, language: str | None = None) -> tuple[str, LoadedDeck] | str:
    """Nothing fetched yet and no window up: the whole pipeline at once, on this thread.

    Fetch, stage, verify, validate, warm up offscreen and promote; (sha, deck) of the commit
    to open the show on, or why there is none yet (after one log line)."""
    result = _check(repo)
    if result[0] == "failed":
        log.warning("content: %s; nothing to show yet", result[1])
        return str(result[1])
    if result[0] == "same":
        log.warning("content: the newest commit %s was refused earlier (%s); nothing to show yet",
                    _short(result[1]), result[2])
        return f"the newest commit {_short(result[1])} was refused: {result[2]}"
    if result[0] == "refused":
        log.error("content: commit %s refused: %s; nothing to show yet", _short(result[1]), result[2])
        return f"commit {_short(result[1])} refused: {result[2]}"
    sha, loaded = result[1], result[2]
    language = language if language in loaded.model.languages else loaded.model.default_language
    report = WarmUp(loaded, language).run_now()
    if report.failed:
        reason = f"warm-up failed: {(report.problems or ['a panel failed'])[0]}"
        repo.refuse(sha, reason)
        log.error("content: commit %s refused: %s; nothing to show yet", _short(sha), reason)
        return f"commit {_short(sha)} refused: {reason}"
    ready = _promote(repo, sha)
    if ready[0] != "ready":
        log.error("content: %s", ready[1])
        return str(ready[1])
    return sha, ready[2]
