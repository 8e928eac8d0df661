"""Following a content repository with the real git: fetch, stage, verify, validate, promote, roll back.

Real repositories in temp folders, real ``git``, real ssh keys from ``ssh-keygen``; no mocks.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

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
from szkiosk.content import load_deck
from szkiosk.fleet.config import (
    BoothConfig,
    ConfigError,
    config_path,
    fleet_state_dir,
    load_config,
    merge,
)
from szkiosk.fleet.gitsync import ContentRepo, Refused, make_bundle, parse_source


def title_of(deck: Path) -> str:
    loaded = load_deck(deck)
    return loaded.panels[loaded.index_of("title")].title.get("en")


def follow(repo: ContentRepo) -> str | None:
    """One round as a booth does it: fetch, stage, promote; the commit now current."""
    found = repo.fetch()
    assert found.ok, found.error
    if found.new:
        repo.stage(found.new)
        repo.promote(found.new)
    current = repo.current()
    return current[0] if current else None


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return new_source(tmp_path / "source")


def test_a_good_commit_is_fetched_staged_and_made_current(source: Path, tmp_path: Path) -> None:
    repo = ContentRepo(str(source), tmp_path / "state")
    assert repo.current() is None
    found = repo.fetch()
    first = git("rev-parse", "HEAD", cwd=source)
    assert found.ok and found.tip == first and found.new == first
    staged = repo.stage(first)
    assert staged == tmp_path / "state" / "staging" / first
    assert title_of(staged) == TITLE
    deck = repo.promote(first)
    assert deck == tmp_path / "state" / "commits" / first
    assert repo.current() == (first, deck)
    assert os.readlink(tmp_path / "state" / "current") == f"commits/{first}"
    assert not (tmp_path / "state" / "staging" / first).exists()
    [entry] = repo.history()
    assert entry.sha == first and entry.subject == "First deck" and entry.time.endswith("Z")
    assert repo.fetch().new is None  # nothing new: nothing to stage

    set_title(source, "Second Title")
    second = commit(source, "New title")
    assert repo.fetch().new == second
    assert title_of(repo.stage(second)) == "Second Title"
    repo.promote(second)
    assert repo.current()[0] == second and title_of(repo.current()[1]) == "Second Title"
    assert [c.sha for c in repo.history()] == [second, first]


def test_a_broken_commit_is_refused_remembered_and_never_current(source: Path, tmp_path: Path) -> None:
    repo = ContentRepo(str(source), tmp_path / "state")
    first = follow(repo)
    break_deck(source)
    broken = commit(source, "Break a panel")
    assert repo.fetch().new == broken
    with pytest.raises(Refused) as refused:
        repo.stage(broken)
    # the file as the curator knows it in the repository, not the booth's staging folder
    assert refused.value.reason.startswith("content invalid: panels/reforms.yaml:")
    assert repo.current()[0] == first
    assert not (tmp_path / "state" / "staging" / broken).exists()
    record = json.loads((tmp_path / "state" / "refused.json").read_text(encoding="utf-8"))
    assert "reforms.yaml" in record[broken]["reason"]
    again = repo.fetch()  # not tried again every few minutes
    assert again.ok and again.new is None and again.tip == broken and "reforms.yaml" in again.refused
    # a newer commit that fixes it is taken
    git("checkout", "--quiet", "HEAD~1", "--", "panels/reforms.yaml", cwd=source)
    set_title(source, "Fixed")
    fixed = commit(source, "Fix the panel")
    assert follow(repo) == fixed


def test_a_missing_deck_folder_is_refused(tmp_path: Path) -> None:
    source = new_source(tmp_path / "source", subdir="booth-deck")
    sha = git("rev-parse", "HEAD", cwd=source)
    wrong = ContentRepo(str(source), tmp_path / "wrong", subdir="other")
    assert wrong.fetch().new == sha
    with pytest.raises(Refused, match="no deck folder"):
        wrong.stage(sha)
    right = ContentRepo(str(source), tmp_path / "right", subdir="booth-deck")
    assert follow(right) == sha
    assert right.current()[1] == tmp_path / "right" / "commits" / sha / "booth-deck"
    with pytest.raises(ValueError):
        ContentRepo(str(source), tmp_path / "x", subdir="../elsewhere")


def test_allowed_signers_refuse_unsigned_and_foreign_commits(source: Path, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    good, foreign = ssh_key(keys, "curator"), ssh_key(keys, "stranger")
    signers = allowed_signers(tmp_path / "allowed_signers", good)
    repo = ContentRepo(str(source), tmp_path / "state", allowed_signers=signers)
    unsigned = git("rev-parse", "HEAD", cwd=source)
    assert repo.fetch().new == unsigned
    with pytest.raises(Refused, match="not signed"):
        repo.stage(unsigned)
    set_title(source, "Signed By A Stranger")
    stranger = commit(source, "Stranger", key=foreign)
    assert repo.fetch().new == stranger
    with pytest.raises(Refused, match="not in the allowed signers"):
        repo.stage(stranger)
    assert repo.current() is None
    set_title(source, "Signed By The Curator")
    signed = commit(source, "Curator", key=good)
    assert follow(repo) == signed
    assert title_of(repo.current()[1]) == "Signed By The Curator"
    # the same commits without allowed signers: the unsigned one would pass
    assert "not signed" in repo.refused()[unsigned]["reason"]
    open_repo = ContentRepo(str(source), tmp_path / "open")
    open_repo.fetch()
    open_repo.stage(unsigned)


def test_a_missing_allowed_signers_file_refuses_everything(source: Path, tmp_path: Path) -> None:
    repo = ContentRepo(str(source), tmp_path / "state", allowed_signers=tmp_path / "nowhere")
    sha = repo.fetch().new
    with pytest.raises(Refused, match=r"allowed signers file .* not found"):
        repo.stage(sha)


def test_an_unreachable_remote_keeps_everything(source: Path, tmp_path: Path) -> None:
    repo = ContentRepo(str(source), tmp_path / "state")
    first = follow(repo)
    gone = ContentRepo(str(tmp_path / "no-such-repo"), tmp_path / "state")
    found = gone.fetch()
    assert not found.ok and "no-such-repo" in found.error
    assert found.tip == first and gone.current()[0] == first
    ssh_down = ContentRepo("ssh://git@127.0.0.1:1/deck.git", tmp_path / "state")
    found = ssh_down.fetch()
    assert not found.ok and ssh_down.current()[0] == first


def test_a_password_in_the_url_never_reaches_a_message(tmp_path: Path) -> None:
    repo = ContentRepo("https://curator:s3cret@127.0.0.1:1/deck.git", tmp_path / "state")
    found = repo.fetch()
    assert not found.ok
    assert "s3cret" not in found.error and "s3cret" not in repr(repo) and "s3cret" not in repo.display_url


def _slow_upload(home: Path, cut_after: int) -> None:
    """Make every git upload (the remote's side of a fetch) stall after ``cut_after`` bytes of the pack."""
    home.mkdir(parents=True, exist_ok=True)
    hook = home / "slow-pack.sh"
    hook.write_text('#!/bin/sh\nout=$(mktemp)\n"$@" > "$out"\nhead -c ' + str(cut_after)
                    + ' "$out"\nsleep 120\ntail -c +' + str(cut_after + 1) + ' "$out"\n', encoding="utf-8")
    hook.chmod(0o755)
    (home / ".gitconfig").write_text(f"[uploadpack]\n\tpackObjectsHook = {hook}\n", encoding="utf-8")


def test_a_fetch_killed_mid_transfer_leaves_the_mirror_usable(source: Path, tmp_path: Path) -> None:
    repo = ContentRepo(str(source), tmp_path / "state", fetch_timeout=4)
    first = follow(repo)
    # a big commit: half a megabyte that does not compress
    (source / "data" / "noise.bin").write_bytes(random.Random(1).randbytes(512 * 1024))
    set_title(source, "After The Big Commit")
    big = commit(source, "Big commit")
    home = Path(os.environ["HOME"])
    _slow_upload(home, 64 * 1024)  # the booth has received 64 KB when the transfer stalls; then git is killed
    found = repo.fetch()
    assert not found.ok and "took longer than 4 s" in found.error
    assert found.tip == first and repo.tip() == first and repo.current()[0] == first
    mirror = tmp_path / "state" / "repo.git"
    # the cut came mid-way: the new commit itself arrived (git unpacks it first), its big file did not
    assert subprocess.run(["git", "-C", str(mirror), "cat-file", "-e", big], check=False).returncode == 0
    noise = git("rev-parse", "HEAD:data/noise.bin", cwd=source)
    assert subprocess.run(["git", "-C", str(mirror), "cat-file", "-e", noise], check=False).returncode != 0
    git("-C", mirror, "fsck", "--connectivity-only", "--no-dangling")  # what the refs name is whole
    (home / ".gitconfig").unlink()
    assert follow(repo) == big  # the next fetch works and clears what the cut left
    assert not list((mirror / "objects" / "pack").glob("tmp_*"))
    git("-C", mirror, "fsck", "--no-dangling")
    assert title_of(repo.current()[1]) == "After The Big Commit"


def _trickle_upload(home: Path, chunk: int, pause: float) -> None:
    """Make every git upload send its pack ``chunk`` bytes at a time, ``pause`` seconds apart (a slow link)."""
    home.mkdir(parents=True, exist_ok=True)
    hook = home / "trickle-pack.py"
    hook.write_text(
        f"#!{sys.executable}\nimport subprocess, sys, time\n"
        "data = subprocess.run(sys.argv[1:], stdin=sys.stdin, capture_output=True, check=True).stdout\n"
        f"for i in range(0, len(data), {chunk}):\n"
        f"    sys.stdout.buffer.write(data[i:i + {chunk}]); sys.stdout.buffer.flush(); time.sleep({pause})\n",
        encoding="utf-8")
    hook.chmod(0o755)
    (home / ".gitconfig").write_text(f"[uploadpack]\n\tpackObjectsHook = {hook}\n", encoding="utf-8")


def test_a_slow_steady_fetch_goes_on_and_a_stalled_one_stops_soon(source: Path, tmp_path: Path) -> None:
    """A fetch is stopped when nothing arrives for ``fetch_idle`` seconds, not after a fixed
    total: a big deck over a slow link completes, a stalled transfer does not hold the booth."""
    home = Path(os.environ["HOME"])
    repo = ContentRepo(str(source), tmp_path / "state", fetch_idle=4, fetch_timeout=120)
    first = follow(repo)
    (source / "data" / "noise.bin").write_bytes(random.Random(2).randbytes(256 * 1024))
    set_title(source, "Over A Slow Link")
    slow = commit(source, "Big commit over a slow link")
    _trickle_upload(home, 32 * 1024, 0.5)  # 256 KB in about 4.5 s: longer than the idle limit in all
    try:
        assert follow(repo) == slow  # it kept arriving, so it went on
        # the same transfer under a fixed total as short as the idle limit would have been cut
        set_title(source, "Still Slow")
        commit(source, "Another")
        (source / "data" / "noise2.bin").write_bytes(random.Random(3).randbytes(256 * 1024))
        commit(source, "More noise")
        capped = ContentRepo(str(source), tmp_path / "capped", fetch_idle=4, fetch_timeout=2)
        found = capped.fetch()
        assert not found.ok and "took longer than 2 s" in found.error, found.error
    finally:
        (home / ".gitconfig").unlink()
    # a transfer that stalls after 64 KB is stopped once nothing arrived for the idle limit
    (source / "data" / "noise3.bin").write_bytes(random.Random(4).randbytes(512 * 1024))
    stalled = commit(source, "Stalls")
    _slow_upload(home, 64 * 1024)
    try:
        found = repo.fetch()
    finally:
        (home / ".gitconfig").unlink()
    assert not found.ok and "received nothing for 4 s" in found.error, found.error
    assert repo.current()[0] == slow != first
    assert follow(repo) == stalled  # and the next one, unhindered, gets it


def test_lock_files_left_by_a_killed_git_do_not_block_the_next_fetch(source: Path, tmp_path: Path) -> None:
    repo = ContentRepo(str(source), tmp_path / "state")
    follow(repo)
    mirror = tmp_path / "state" / "repo.git"
    (mirror / "refs" / "szkiosk" / "tip.lock").write_text("", encoding="utf-8")
    (mirror / "packed-refs.lock").write_text("", encoding="utf-8")
    set_title(source, "Past The Locks")
    second = commit(source, "Second")
    assert follow(repo) == second


def test_a_truncated_bundle_is_refused_and_a_whole_one_taken(source: Path, tmp_path: Path) -> None:
    stick = tmp_path / "usb" / "deck.bundle"
    make_bundle(source, stick)
    repo = ContentRepo(str(stick), tmp_path / "state")
    assert repo.is_bundle
    first = follow(repo)
    assert first == git("rev-parse", "HEAD", cwd=source)
    set_title(source, "From The Stick")
    second = commit(source, "Second")
    make_bundle(source, stick)
    whole = stick.read_bytes()
    stick.write_bytes(whole[: len(whole) // 2])  # pulled out while copying
    found = repo.fetch()
    assert not found.ok and found.tip == first and repo.current()[0] == first
    stick.write_bytes(whole)
    assert follow(repo) == second
    stick.unlink()
    found = repo.fetch()
    assert not found.ok and "not there" in found.error and repo.current()[0] == second


def test_fleet_bundle_makes_a_bundle_a_booth_and_git_can_clone(source: Path, tmp_path: Path) -> None:
    git("branch", "other", cwd=source)
    out = tmp_path / "out" / "deck.bundle"
    made = make_bundle(source, out)
    head = git("rev-parse", "HEAD", cwd=source)
    assert made["head"] == head and made["refs"] >= 3 and made["bytes"] == out.stat().st_size
    git("bundle", "verify", out, cwd=source)
    heads = git("bundle", "list-heads", out)
    assert "refs/heads/main" in heads and "refs/heads/other" in heads and "HEAD" in heads
    git("clone", "--quiet", out, tmp_path / "clone")
    assert git("rev-parse", "HEAD", cwd=tmp_path / "clone") == head
    assert follow(ContentRepo(str(out), tmp_path / "state")) == head
    assert not list(out.parent.glob(".*tmp*"))
    with pytest.raises(Exception, match="no such folder"):
        make_bundle(tmp_path / "nowhere", tmp_path / "x.bundle")


def test_a_named_branch_is_followed(source: Path, tmp_path: Path) -> None:
    main = git("rev-parse", "HEAD", cwd=source)
    git("checkout", "--quiet", "-b", "hall-b", cwd=source)
    set_title(source, "Hall B")
    hall_b = commit(source, "Hall B title")
    git("checkout", "--quiet", "main", cwd=source)
    assert follow(ContentRepo(f"{source}#hall-b", tmp_path / "b")) == hall_b
    assert follow(ContentRepo(str(source), tmp_path / "a")) == main
    assert parse_source(f"{source}#hall-b") == (str(source), "hall-b", False)
    assert parse_source("https://h/x.git#main") == ("https://h/x.git", "main", False)
    assert parse_source("git@host:fair/deck.git")[0] == "git@host:fair/deck.git"


def test_rollback_goes_to_the_previous_good_commit_and_stays(source: Path, tmp_path: Path) -> None:
    repo = ContentRepo(str(source), tmp_path / "state")
    shas = [follow(repo)]
    for title in ("Two", "Three"):
        set_title(source, title)
        commit(source, title)
        shas.append(follow(repo))
    deck = repo.rollback()
    assert repo.current() == (shas[1], deck) and title_of(deck) == "Two"
    assert "rolled back" in repo.refused()[shas[2]]["reason"]
    assert repo.fetch().new is None  # the commit left is not brought straight back
    assert repo.rollback()  # further back
    assert repo.current()[0] == shas[0]
    with pytest.raises(ValueError, match="no earlier good commit"):
        repo.rollback()
    repo.rollback(to=shas[2][:10])  # forward again, by name
    assert repo.current()[0] == shas[2] and shas[2] not in repo.refused()
    with pytest.raises(ValueError, match="not one of the kept"):
        repo.rollback(to="deadbeef")
    set_title(source, "Four")
    commit(source, "Four")
    assert follow(repo) != shas[2]  # a newer commit upstream is shown as usual


def test_only_the_last_few_good_commits_are_kept(source: Path, tmp_path: Path) -> None:
    repo = ContentRepo(str(source), tmp_path / "state", keep=2)
    shas = [follow(repo)]
    for n in range(3):
        set_title(source, f"Version {n}")
        commit(source, f"Version {n}")
        shas.append(follow(repo))
    assert [c.sha for c in repo.history()] == shas[:-3:-1]
    assert sorted(p.name for p in (tmp_path / "state" / "commits").iterdir()) == sorted(shas[-2:])


def test_a_restart_without_network_starts_on_the_last_commit(source: Path, tmp_path: Path) -> None:
    first = follow(ContentRepo(str(source), tmp_path / "state"))
    offline = ContentRepo(str(tmp_path / "unplugged"), tmp_path / "state")
    assert offline.current() == (first, tmp_path / "state" / "commits" / first)
    assert not offline.fetch().ok
    assert offline.current()[0] == first


# -- the booth config file ------------------------------------------------------------------------


def test_config_file_is_read_and_the_command_line_wins(tmp_path: Path) -> None:
    path = config_path()
    assert path == tmp_path / "xdg_config_home" / "szkiosk" / "booth.yaml"
    assert load_config() == BoothConfig()
    path.parent.mkdir(parents=True)
    path.write_text("booth: hall-a-01\ncontent_repo: /srv/deck.git#main\nallowed_signers: signers\n"
                    "fleet: mqtt://127.0.0.1:1883\nfetch_every: 2\n", encoding="utf-8")
    config = load_config()
    assert config.booth == "hall-a-01" and config.content_repo == "/srv/deck.git#main"
    assert config.allowed_signers == path.parent / "signers" and config.fleet == "mqtt://127.0.0.1:1883"
    assert config.fetch_every_s == 120 and config.source == path
    merged = merge(config, booth="b2", content_repo=None, fetch_every=0.5)
    assert merged.booth == "b2" and merged.content_repo == "/srv/deck.git#main" and merged.fetch_every_s == 30
    assert fleet_state_dir("b2") == tmp_path / "xdg_state_home" / "szkiosk" / "fleet" / "b2"


@pytest.mark.parametrize(("text", "message"), [
    ("booth: [a\n", "not valid YAML"),
    ("- a\n", "must be a mapping"),
    ("bootj: x\n", ":1: unknown key 'bootj'"),
    ("booth: all\n", "reserved"),
    ("booth: a b\n", "booth name"),
    ("fetch_every: 0\n", "out of range"),
    ("fetch_every: soon\n", "not a number"),
    ("content_repo: 3\n", "non-empty text"),
])
def test_a_bad_config_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "booth.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as error:
        load_config(path)
    assert str(error.value).startswith(str(path))
