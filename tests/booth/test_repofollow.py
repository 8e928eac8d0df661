"""A real offscreen booth following a real git content repository (issue 17).

The show window, the booth and git are real; the repository is a temp folder (or a bundle on
a pretend USB stick). What counts is what the window shows: the title panel's text.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from content_repos import (
    TITLE,
    allowed_signers,
    break_deck,
    commit,
    git,
    new_source,
    set_title,
    ssh_key,
)
from szkiosk.booth.booth import Booth
from szkiosk.booth.repofollow import RepoFollower
from szkiosk.content import load_deck
from szkiosk.fleet.gitsync import ContentRepo, make_bundle

WAIT_MS = 60_000
ROOT = Path(__file__).resolve().parents[2]


def visible_text(win) -> str:
    return " ".join(b.text for b in win.stage.current.text_boxes())


def promote_tip(repo: ContentRepo) -> str:
    """Bring the repository's tip on as the booth's current commit (what a previous run left)."""
    found = repo.fetch()
    assert found.ok and found.new, found
    repo.stage(found.new)
    repo.promote(found.new)
    return found.new


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return new_source(tmp_path / "source")


@pytest.fixture
def booth_on(qtbot, window, tmp_path: Path):
    """make(url, **repo options) -> (window, booth, follower) on the repository's current commit."""
    made: list[Booth] = []

    def make(url: str, *, fetch_timeout: float = 300, usb_poll_ms: int = 3000, **options):
        repo = ContentRepo(url, tmp_path / "state", fetch_timeout=fetch_timeout, **options)
        if repo.current() is None:
            promote_tip(repo)
        _sha, deck = repo.current()
        win = window(load_deck(deck), kiosk=True)
        win.stage.animate_transitions = False
        booth = Booth(win, deck, analytics_path=tmp_path / "a.sqlite3", hide_cursor=False)
        booth.start(warm_up=False)
        made.append(booth)
        follower = RepoFollower(repo, booth, fetch_every_s=3600, usb_poll_ms=usb_poll_ms)
        return win, booth, follower

    yield make
    for booth in made:
        booth.stop()
        booth.window.stage.stop()


def shown_decks(booth: Booth) -> list:
    decks: list = []
    booth.reload.applied.connect(decks.append)
    return decks


def test_a_good_commit_is_warmed_up_and_shown_on_the_same_panel(qtbot, booth_on, source: Path,
                                                                 tmp_path: Path) -> None:
    win, booth, follower = booth_on(str(source))
    first = git("rev-parse", "HEAD", cwd=source)
    assert follower.commit == first and follower.commit_time.endswith("Z")
    assert booth.reload.watcher.watched_paths() == []  # the folder watcher stands down
    assert booth.controller.hooks.reload == follower.fetch_now  # staff Reload fetches
    assert TITLE in visible_text(win)
    set_title(source, "Fresh From Git")
    second = commit(source, "New title")
    with qtbot.waitSignal(follower.switched, timeout=WAIT_MS) as switched:
        follower.start()
    assert switched.args == [second]
    assert "Fresh From Git" in visible_text(win) and win.presentation.current_id == "title"
    assert follower.commit == second and follower.last_error is None
    assert win.deck.root == tmp_path / "state" / "commits" / second
    assert ContentRepo(str(source), tmp_path / "state").current()[0] == second
    assert "fetching from" in follower.fetch_now()  # nothing new: no switch, no error
    qtbot.waitUntil(lambda: not follower.busy, timeout=WAIT_MS)
    assert follower.commit == second and follower.last_error is None


def test_a_broken_commit_is_refused_and_never_shown(qtbot, booth_on, source: Path, caplog) -> None:
    win, booth, follower = booth_on(str(source))
    shown = shown_decks(booth)
    before = visible_text(win)
    break_deck(source)
    broken = commit(source, "Break a panel")
    with qtbot.waitSignal(follower.refused, timeout=WAIT_MS) as refused:
        follower.start()
    assert refused.args[0] == broken and "reforms.yaml" in refused.args[1]
    assert shown == [] and visible_text(win) == before
    assert follower.commit != broken and "refused" in follower.last_error
    assert any("refused" in r.getMessage() and broken[:12] in r.getMessage() for r in caplog.records)
    follower.fetch_now()  # asked again: the refused commit is not tried again
    qtbot.waitUntil(lambda: not follower.busy, timeout=WAIT_MS)
    assert shown == []


def test_a_panel_failing_warm_up_refuses_the_commit(qtbot, booth_on, source: Path, monkeypatch) -> None:
    win, booth, follower = booth_on(str(source))
    shown = shown_decks(booth)
    set_title(source, "Never On Screen")
    bad = commit(source, "A title panel that cannot be built")
    from szkiosk.panels import panel_class

    title_class = panel_class("title")
    monkeypatch.setattr(title_class, "finish", lambda self: (_ for _ in ()).throw(RuntimeError("cannot draw")))
    with qtbot.waitSignal(follower.refused, timeout=WAIT_MS) as refused:
        follower.start()
    assert refused.args[0] == bad and "warm-up failed" in refused.args[1] and "cannot draw" in refused.args[1]
    assert shown == [] and "Never On Screen" not in visible_text(win)
    assert "warm-up failed" in follower.repo.refused()[bad]["reason"]


def test_unsigned_commits_are_refused_when_signers_are_set(qtbot, booth_on, source: Path, tmp_path: Path) -> None:
    key, stranger = ssh_key(tmp_path / "keys", "curator"), ssh_key(tmp_path / "keys", "stranger")
    set_title(source, "Signed One")
    commit(source, "Signed", key=key)
    signers = allowed_signers(tmp_path / "allowed_signers", key)
    win, booth, follower = booth_on(str(source), allowed_signers=signers)
    shown = shown_decks(booth)
    follower.start()
    set_title(source, "Unsigned Two")
    unsigned = commit(source, "Unsigned")
    with qtbot.waitSignal(follower.refused, timeout=WAIT_MS) as refused:
        follower.fetch_now()
    assert refused.args == [unsigned, "commit is not signed (allowed signers are set)"]
    set_title(source, "Stranger Three")
    foreign = commit(source, "Stranger", key=stranger)
    with qtbot.waitSignal(follower.refused, timeout=WAIT_MS) as refused:
        follower.fetch_now()
    assert refused.args[0] == foreign and "not in the allowed signers" in refused.args[1]
    assert shown == [] and "Signed One" in visible_text(win)
    set_title(source, "Signed Four")
    signed = commit(source, "Signed again", key=key)
    with qtbot.waitSignal(follower.switched, timeout=WAIT_MS):
        follower.fetch_now()
    assert follower.commit == signed and "Signed Four" in visible_text(win)


def test_a_fetch_cut_in_the_middle_keeps_the_deck_and_the_show_answering(qtbot, booth_on, source: Path,
                                                                         tmp_path: Path) -> None:
    win, _booth, follower = booth_on(str(source), fetch_timeout=4)
    first = follower.commit
    (source / "data" / "noise.bin").write_bytes(os.urandom(512 * 1024))
    set_title(source, "Big And Slow")
    big = commit(source, "Big commit")
    home = Path(os.environ["HOME"])
    home.mkdir(parents=True, exist_ok=True)
    hook = home / "stall.sh"
    hook.write_text('#!/bin/sh\nout=$(mktemp)\n"$@" > "$out"\nhead -c 65536 "$out"\nsleep 120\n', encoding="utf-8")
    hook.chmod(0o755)
    (home / ".gitconfig").write_text(f"[uploadpack]\n\tpackObjectsHook = {hook}\n", encoding="utf-8")
    with qtbot.waitSignal(follower.failed, timeout=WAIT_MS) as failed:
        follower.start()
        assert follower.busy
        presentation = win.presentation  # git stalls in its worker; the show answers keys meanwhile
        qtbot.keyClick(win, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda: presentation.current_id != "title", timeout=1000)
        qtbot.keyClick(win, Qt.Key.Key_Left)
        qtbot.waitUntil(lambda: presentation.current_id == "title", timeout=1000)
    assert "took longer than 4 s" in failed.args[0]
    assert follower.commit == first and TITLE in visible_text(win)
    (home / ".gitconfig").unlink()
    with qtbot.waitSignal(follower.switched, timeout=WAIT_MS):
        follower.fetch_now()
    assert follower.commit == big and "Big And Slow" in visible_text(win)


def test_an_unreachable_remote_keeps_the_deck(qtbot, booth_on, source: Path, tmp_path: Path, caplog) -> None:
    win, _booth, follower = booth_on(str(source))
    first = follower.commit
    set_title(source, "Behind A Dead Link")
    second = commit(source, "Second")
    source.rename(tmp_path / "unplugged")
    with qtbot.waitSignal(follower.failed, timeout=WAIT_MS) as failed:
        follower.start()
    assert "cannot fetch" in failed.args[0] and follower.commit == first and TITLE in visible_text(win)
    assert follower.last_error == failed.args[0]
    with qtbot.waitSignal(follower.failed, timeout=WAIT_MS):
        follower.fetch_now()
    assert sum("cannot fetch" in r.getMessage() for r in caplog.records) == 1  # one line, not one per try
    (tmp_path / "unplugged").rename(source)
    with qtbot.waitSignal(follower.switched, timeout=WAIT_MS):
        follower.fetch_now()
    assert follower.commit == second and follower.last_error is None


def test_rollback_goes_back_and_stays_until_a_newer_commit(qtbot, booth_on, source: Path) -> None:
    win, _booth, follower = booth_on(str(source))
    first = follower.commit
    follower.start()
    qtbot.waitUntil(lambda: not follower.busy, timeout=WAIT_MS)
    assert follower.rollback().startswith("cannot roll back: no earlier good commit")
    set_title(source, "Second Version")
    second = commit(source, "Second")
    with qtbot.waitSignal(follower.switched, timeout=WAIT_MS):
        follower.fetch_now()
    assert "Second Version" in visible_text(win)
    with qtbot.waitSignal(follower.switched, timeout=WAIT_MS) as switched:
        answer = follower.rollback()
    assert answer == f"rolling back from {second[:12]} to {first[:12]} (First deck)"
    assert switched.args == [first] and follower.commit == first and TITLE in visible_text(win)
    follower.fetch_now()  # the commit rolled back from does not come straight back
    qtbot.waitUntil(lambda: not follower.busy, timeout=WAIT_MS)
    assert follower.commit == first
    with qtbot.waitSignal(follower.switched, timeout=WAIT_MS):
        assert follower.rollback(second[:8]).startswith("rolling back")
    assert "Second Version" in visible_text(win)
    assert follower.rollback("nope").startswith("cannot roll back")


def test_a_usb_bundle_that_appears_is_picked_up(qtbot, booth_on, source: Path, tmp_path: Path) -> None:
    stick = tmp_path / "media" / "usb" / "deck.bundle"
    make_bundle(source, stick)
    win, _booth, follower = booth_on(str(stick), usb_poll_ms=100)
    follower.start()
    qtbot.waitUntil(lambda: not follower.busy, timeout=WAIT_MS)
    stick.unlink()  # the stick is taken away to the office
    set_title(source, "Carried On A Stick")
    second = commit(source, "Second")
    qtbot.wait(300)
    assert not follower.busy
    with qtbot.waitSignal(follower.switched, timeout=WAIT_MS):
        make_bundle(source, stick)  # ... and comes back with a newer bundle: nobody presses anything
    assert follower.commit == second and "Carried On A Stick" in visible_text(win)


def test_a_stalled_usb_mount_never_stalls_the_show(qtbot, booth_on, source: Path, tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="szkiosk.booth.repofollow")
    stick = tmp_path / "media" / "usb" / "deck.bundle"
    make_bundle(source, stick)
    win, _booth, follower = booth_on(str(stick), usb_poll_ms=50)
    follower.start()
    qtbot.waitUntil(lambda: not follower.busy, timeout=WAIT_MS)
    # a dead mount: the stat of the bundle hangs until the stick "answers" again
    answer = threading.Event()
    real = follower.repo.source_stamp
    hung: list[str] = []

    def dead_mount():
        hung.append(threading.current_thread().name)
        answer.wait(60)
        return real()

    follower.repo.source_stamp = dead_mount
    follower.usb_stall_s = 0.3
    try:
        qtbot.waitUntil(lambda: bool(hung), timeout=5000)
        assert hung[0].startswith("szkiosk-usb")  # never the GUI thread
        # the GUI thread goes on: it notices the stall itself, and a visitor's key still turns the panel
        qtbot.waitUntil(lambda: "has not answered" in caplog.text, timeout=5000)
        before = win.presentation.index
        qtbot.keyClick(win, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda: win.presentation.index == before + 1, timeout=5000)
        assert len(hung) == 1  # one look hangs; no pile of them behind it
    finally:
        answer.set()
    follower.repo.source_stamp = real
    qtbot.waitUntil(lambda: "answers again" in caplog.text, timeout=5000)
    set_title(source, "After The Stall")
    second = commit(source, "After the stall")
    with qtbot.waitSignal(follower.switched, timeout=WAIT_MS):
        make_bundle(source, stick)  # the stick still works after it came back
    assert follower.commit == second
    win.presentation.goto("title")
    qtbot.waitUntil(lambda: "After The Stall" in visible_text(win), timeout=5000)


def test_a_booth_without_content_yet_gets_its_first_deck(qtbot, source: Path, tmp_path: Path) -> None:
    repo = ContentRepo(str(source), tmp_path / "state")
    follower = RepoFollower(repo, fetch_every_s=3600)
    assert follower.commit is None
    with qtbot.waitSignal(follower.deck_ready, timeout=WAIT_MS) as ready:
        follower.start()
    follower.stop()
    assert ready.args[0].root == tmp_path / "state" / "commits" / follower.commit
    assert repo.current()[0] == follower.commit == git("rev-parse", "HEAD", cwd=source)


# -- the command line -----------------------------------------------------------------------------


def run_szkiosk(*args: str, tmp_path: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT / "src"), HOME=str(tmp_path / "home"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, "-m", "szkiosk", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.slow
def test_run_follows_a_repository_and_restarts_offline(source: Path, tmp_path: Path) -> None:
    sha = git("rev-parse", "HEAD", cwd=source)
    done = run_szkiosk("--log-file", "none", "run", "--kiosk", "--booth", "b1", "--content-repo", str(source),
                       "--quit-after", "5", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"showing commit {sha[:12]}" in done.stderr
    assert (tmp_path / "state" / "szkiosk" / "fleet" / "b1" / "commits" / sha / "deck.yaml").is_file()
    # the next start without network: straight onto the commit shown last, from the config file
    (tmp_path / "config" / "szkiosk").mkdir(parents=True)
    (tmp_path / "config" / "szkiosk" / "booth.yaml").write_text(
        f"booth: b1\ncontent_repo: {tmp_path / 'unplugged'}\nfetch_every: 1\n", encoding="utf-8")
    again = run_szkiosk("--log-file", "none", "run", "--kiosk", "--quit-after", "5", tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"starting on commit {sha[:12]}" in again.stderr and "cannot fetch" in again.stderr


def test_fleet_bundle_command_makes_a_bundle_a_booth_clones(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "usb" / "deck.bundle"
    done = run_szkiosk("fleet", "bundle", str(source), str(out), tmp_path=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    head = git("rev-parse", "HEAD", cwd=source)
    assert head[:12] in done.stdout and str(out) in done.stdout
    git("bundle", "verify", out, cwd=source)
    repo = ContentRepo(str(out), tmp_path / "booth")
    assert promote_tip(repo) == head
    bad = run_szkiosk("fleet", "bundle", str(tmp_path / "nowhere"), str(out), tmp_path=tmp_path, timeout=120)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "nowhere" in bad.stderr
    helped = run_szkiosk("fleet", "bundle", "--help", tmp_path=tmp_path, timeout=120)
    assert helped.returncode == 0 and "DECK_REPO" in helped.stdout


def test_a_booth_without_a_content_repo_imports_no_fleet_code(tmp_path: Path) -> None:
    check = ("import sys\nfrom szkiosk import cli\nargs = cli.build_parser().parse_args(['run', '--kiosk'])\n"
             "assert cli._booth_config(args) is None\n"
             "loaded = [m for m in sys.modules if m.startswith(('szkiosk.fleet', 'szkiosk.booth.repofollow'))]\n"
             "assert not loaded, loaded\n"
             "(cli._booth_config_path().parent).mkdir(parents=True)\n"
             "cli._booth_config_path().write_text('booth: b9\\n')\n"
             "assert cli._booth_config(args) is None and args.booth == 'b9' and args.content_repo is None\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
