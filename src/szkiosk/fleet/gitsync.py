"""Follow a content repository: fetch, stage, verify, validate, promote, roll back (issue 17).

A booth keeps everything in its state folder (``$XDG_STATE_HOME/szkiosk/fleet/<booth>/``)::

    repo.git/          bare mirror; the followed branch's tip is kept as refs/szkiosk/tip
    staging/<sha>/     a commit checked out for validation (gone once promoted or refused)
    commits/<sha>/     the last ``keep`` good commits, as plain folders
    current ->         symlink to commits/<sha>: the commit on screen (swapped by rename)
    history.json       the good commits, newest first (sha, commit time, subject)
    refused.json       commits refused, with the reason (not tried again)
    fetch.lock         held while a fetch runs (a second process does not fetch at once)

Why it never shows half a commit:

* **Fetch** runs ``git fetch <url> +<ref>:refs/szkiosk/tip``. Git writes the objects first
  and moves the ref only after they are all there and connected; a fetch cut in the middle
  (a killed process, a vanished remote, a truncated bundle) leaves the ref where it was.
  Lock files and temporary packs such a cut leaves behind are cleared before the next fetch.
* **Stage** checks the commit's signature (``git verify-commit`` with ``gpg.format=ssh``
  and ``gpg.ssh.allowedSignersFile``) when allowed signers are set, writes the tree with
  ``git archive`` into a temporary folder (tar's ``data`` filter: nothing lands outside it),
  renames it to ``staging/<sha>`` and loads the deck there as ``szkiosk validate`` would
  (any content error or legibility problem refuses it).
* **Promote** renames ``staging/<sha>`` to ``commits/<sha>`` and swaps the ``current``
  symlink in one ``rename``; a power cut leaves the old commit or the new one current.

Every ``git`` runs as a list of arguments (never through a shell) with a timeout; a timeout
kills git's whole process group. Nothing here prompts for a password (``GIT_TERMINAL_PROMPT=0``,
ssh in batch mode). Pure Python: no Qt.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tarfile
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from szkiosk.content import ContentFileError, LoadedDeck, load_deck

log = logging.getLogger(__name__)

#: A fetch (network, or a slow USB stick) that receives nothing for this long is stopped:
#: git reports its progress at least once a second while bytes arrive, so silence is a stall.
FETCH_IDLE_S = 60.0
#: ... and one that is still going after this long, however steadily (a big deck on a slow
#: link gets an hour, not the five minutes a stalled one used to be allowed).
FETCH_TIMEOUT_S = 3600.0
#: Any other git command (archive, verify, show) that takes longer than this is stopped.
GIT_TIMEOUT_S = 60.0
#: Commits kept for rollback (besides the one on screen).
KEEP = 5
#: A commit whose tree is bigger than this is refused (a booth deck is a few hundred KB).
MAX_TREE_BYTES = 512 * 1024 * 1024
#: Refusals remembered (the oldest are forgotten first).
MAX_REFUSED = 100
#: Where the followed branch's tip lives in the mirror.
TIP_REF = "refs/szkiosk/tip"
SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_BRANCH = re.compile(r"^[A-Za-z0-9._][A-Za-z0-9._/-]{0,199}$")
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
#: Variables that would point git at another repository than the one we name.
_GIT_LOCATION_VARS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                      "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX")


class GitError(RuntimeError):
    """A git command failed, timed out, or git is missing; the message is one line for the log."""


class Refused(Exception):
    """A commit that is not to be shown, and why."""

    def __init__(self, sha: str, reason: str) -> None:
        super().__init__(f"commit {sha[:12]} refused: {reason}")
        self.sha = sha
        self.reason = reason


@dataclass(frozen=True)
class FetchResult:
    """What one fetch found.

    ``tip``: the followed branch's commit after the fetch (the old one on error).
    ``new``: that commit when it is worth staging (not on screen, not refused), else None.
    ``error``: why the fetch failed (the mirror and the commit on screen are as before).
    ``refused``: the reason when the tip is a commit refused earlier.
    """

    tip: str | None = None
    new: str | None = None
    error: str | None = None
    refused: str | None = None

    @property
    def ok(self) -> bool:
        """True when the fetch itself worked."""
        return self.error is None


@dataclass(frozen=True)
class Commit:
    """A commit: its id, commit time (UTC, ISO 8601) and subject line."""

    sha: str
    time: str
    subject: str

    def as_dict(self) -> dict[str, str]:
        """For JSON."""
        return {"sha": self.sha, "time": self.time, "subject": self.subject}


def redact(text: str) -> str:
    """``text`` without any ``user:password@`` of a URL in it (for logs and status)."""
    return _USERINFO.sub("***@", text)


def _iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
    env["GIT_TERMINAL_PROMPT"] = "0"  # a kiosk has no one to type a password
    env["LC_ALL"] = "C"  # messages we can read back
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=20")
    return env


def run_git(args: Sequence[str | os.PathLike[str]], *, cwd: Path | None = None, timeout: float = GIT_TIMEOUT_S,
            check: bool = True, idle_timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``git ARGS`` (no shell) and return it; :class:`GitError` on failure (with ``check``) or timeout.

    ``idle_timeout``: stop git also when it writes nothing for this long (give it ``--progress``,
    so that a transfer that moves says so). On either timeout git's whole process group is
    killed (a fetch's helpers too)."""
    command = ["git", *(os.fspath(a) for a in args)]
    try:
        # with an idle timeout the output is read as bytes as they come (a text stream's read
        # waits for a whole buffer), and decoded at the end
        text = {"text": True, "errors": "replace"} if idle_timeout is None else {}
        proc = subprocess.Popen(command, cwd=cwd, env=_git_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True, **text)
    except FileNotFoundError as exc:
        raise GitError("git is not installed (the git executable was not found)") from exc
    name = _subcommand(command)
    if idle_timeout is None:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise GitError(f"git {name} took longer than {timeout:g} s and was stopped") from None
    else:
        out, err = _communicate_while_talking(proc, name, timeout, idle_timeout)
    result = subprocess.CompletedProcess(command, proc.returncode, out, err)
    if check and proc.returncode != 0:
        raise GitError(_git_failure(result))
    return result


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def _communicate_while_talking(proc: subprocess.Popen, name: str, timeout: float,
                               idle_timeout: float) -> tuple[str, str]:
    """Collect git's output like ``communicate`` (``proc`` opened in bytes), but stop it after
    ``idle_timeout`` seconds without a byte on either stream, or ``timeout`` seconds in all."""
    assert proc.stdout is not None and proc.stderr is not None
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}
    heard = [time.monotonic()]

    def read(stream: IO[bytes], key: str) -> None:
        fd = stream.fileno()
        while True:
            try:
                piece = os.read(fd, 65536)  # returns as soon as anything is there
            except OSError:
                return
            if not piece:
                return
            chunks[key].append(piece)
            heard[0] = time.monotonic()

    readers = [threading.Thread(target=read, args=(stream, key), daemon=True, name=f"szkiosk-git-{key}")
               for stream, key in ((proc.stdout, "out"), (proc.stderr, "err"))]
    for reader in readers:
        reader.start()
    started = time.monotonic()
    read_so_far, looked = _group_read_bytes(proc.pid), started
    while True:
        try:
            proc.wait(0.2)
            break
        except subprocess.TimeoutExpired:
            now = time.monotonic()
            if now - looked >= 1.0:  # git prints no progress for a few big objects: count what it reads
                looked = now
                total = _group_read_bytes(proc.pid)
                if total != read_so_far:
                    read_so_far, heard[0] = total, now
            if now - heard[0] >= idle_timeout:
                why = f"received nothing for {idle_timeout:g} s"
            elif now - started >= timeout:
                why = f"took longer than {timeout:g} s"
            else:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            for reader in readers:
                reader.join(5)
            proc.stdout.close()
            proc.stderr.close()
            raise GitError(f"git {name} {why} and was stopped") from None
    for reader in readers:
        reader.join(30)
    proc.stdout.close()
    proc.stderr.close()
    return (b"".join(chunks["out"]).decode("utf-8", "replace"), b"".join(chunks["err"]).decode("utf-8", "replace"))


def _group_read_bytes(group: int) -> int | None:
    """Bytes read so far by every process of process group ``group`` (Linux ``/proc/PID/io``
    ``rchar``: a fetch and the helpers that receive the pack); None where /proc cannot tell.

    A transfer that moves reads; a stalled one blocks in ``read`` and the sum stands still.
    """
    total, found = 0, False
    try:
        entries = os.scandir("/proc")
    except OSError:
        return None
    with entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
                if int(stat[stat.rindex(")") + 2:].split()[2]) != group:  # field 5: the process group
                    continue
                io = Path(entry.path, "io").read_text()
            except (OSError, ValueError, IndexError):
                continue  # gone meanwhile, or not ours to read
            for line in io.splitlines():
                if line.startswith("rchar:"):
                    total += int(line.split()[1])
                    found = True
    return total if found else None


def _git_failure(result: subprocess.CompletedProcess[str]) -> str:
    """One line saying why git failed: its last ``fatal:``/``error:`` line, else its last line."""
    lines = [line.strip() for line in (result.stderr or "").splitlines() if line.strip()]
    picked = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines[-1:]
    text = "; ".join(dict.fromkeys(picked[:3])) if picked else f"exit status {result.returncode}"
    return redact(f"git {_subcommand(result.args)}: {text}")


def _subcommand(command: Sequence[object]) -> str:
    """The git command a ``git [-C DIR] [-c KEY=VALUE] ... NAME ...`` line runs (``fetch``)."""
    args = [str(a) for a in command[1:]]
    while len(args) > 1 and args[0] in ("-C", "-c"):
        args = args[2:]
    return args[0] if args else ""


def parse_source(url: str) -> tuple[str, str | None, bool]:
    """``URL[#branch]`` -> (location for git, branch or None for the remote's default, is a bundle).

    A local path (absolute, ``./``, ``~/`` or existing) is made absolute; a ``.bundle`` file
    is a bundle. A ``#`` is a branch separator only when what follows is a branch name."""
    url = url.strip()
    if not url:
        raise ValueError("empty content repository URL")
    location, branch = url, None
    head, sep, tail = url.rpartition("#")
    if sep and head and _BRANCH.match(tail) and ".." not in tail and not tail.endswith((".lock", "/")):
        location, branch = head, tail
    remote = "://" in location or re.match(r"^[\w.-]+@[\w.-]+:", location) is not None
    if not remote:
        expanded = os.path.expanduser(location)
        if expanded.startswith(("/", "./", "../")) or os.path.exists(expanded) or ":" not in expanded:
            location = os.path.abspath(expanded)
    is_bundle = not remote and location.endswith(".bundle")
    return location, branch, is_bundle


def make_bundle(repo_dir: str | os.PathLike[str], out_path: str | os.PathLike[str]) -> dict[str, object]:
    """Write a bundle of every ref (and HEAD) of ``repo_dir`` to ``out_path``, for a USB stick.

    Written beside the target, checked with ``git bundle verify``, flushed to disk and renamed
    into place, so a stick pulled out early holds the old bundle or the new one. Returns
    ``{"head": sha, "refs": count, "bytes": size}``; :class:`GitError` when it cannot."""
    repo = Path(repo_dir)
    out = Path(out_path).absolute()
    if not repo.is_dir():
        raise GitError(f"{repo}: no such folder")
    run_git(["-C", repo, "rev-parse", "--git-dir"])
    head = run_git(["-C", repo, "rev-parse", "--verify", "HEAD^{commit}"], check=False)
    if head.returncode != 0:
        raise GitError(f"{repo}: has no commit yet (HEAD does not name one)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}.bundle")
    try:
        run_git(["-C", repo, "bundle", "create", "--quiet", tmp, "--all"], timeout=FETCH_TIMEOUT_S)
        run_git(["-C", repo, "bundle", "verify", "--quiet", tmp], timeout=FETCH_TIMEOUT_S)
        heads = run_git(["bundle", "list-heads", tmp]).stdout.split("\n")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, out)
        _fsync_dir(out.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return {"head": head.stdout.strip(), "refs": sum(1 for line in heads if line.strip()), "bytes": out.stat().st_size}


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_json(path: Path, data: object) -> None:
    """Write JSON atomically (a temporary file renamed over the old one)."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _read_json(path: Path, default: object) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (OSError, ValueError) as exc:
        log.warning("content repository: %s unreadable (%s); starting it afresh", path, exc)
        return default


def validation_errors(deck: Path, root: Path | None = None) -> tuple[LoadedDeck | None, list[str]]:
    """Load ``deck`` as ``szkiosk validate`` checks it: (deck, problems); any problem refuses it.

    ``root``: the commit's checkout; files are then named as in the repository
    (``panels/reforms.yaml:108``), which is what a curator can find, not the booth's staging path.
    """
    from szkiosk.content.legibility import check_legibility

    def said(errors) -> list[str]:
        return [str(_in_repository(e, root)) for e in errors]

    if not deck.is_dir():
        return None, [f"{deck.name or deck}: no deck folder in this commit"]
    try:
        loaded = load_deck(deck)
    except ContentFileError as exc:
        return None, said(exc.errors) or ["deck.yaml could not be used"]
    except (OSError, RuntimeError, ValueError, RecursionError) as exc:
        return None, [f"cannot be read: {type(exc).__name__}: {exc}"]
    problems, _warnings = check_legibility(loaded)
    return loaded, said([*loaded.errors, *problems])


def _in_repository(error: object, root: Path | None) -> object:
    """``error`` with its file named relative to ``root`` when it lies inside it."""
    file = getattr(error, "file", None)
    if root is None or not file:
        return error
    try:
        inside = Path(file).resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return error
    return dataclasses.replace(error, file=inside.as_posix())  # type: ignore[type-var]


class ContentRepo:
    """One booth's copy of a content repository (see the module docstring for the layout).

    ``url``: any git URL, a local path or a ``.bundle`` file, optionally ``#branch``.
    ``subdir``: the deck's folder inside the repository. ``allowed_signers``: an ssh
    allowed-signers file; when set, only commits signed by a key in it are shown.
    ``keep``: good commits kept for rollback. Thread-safe (one operation at a time).
    """

    def __init__(self, url: str, state_dir: str | os.PathLike[str], *, subdir: str | os.PathLike[str] = ".",
                 allowed_signers: str | os.PathLike[str] | None = None, keep: int = KEEP,
                 fetch_timeout: float = FETCH_TIMEOUT_S, fetch_idle: float = FETCH_IDLE_S) -> None:
        self.url = url
        self.location, self.branch, self.is_bundle = parse_source(url)
        self.state = Path(state_dir).absolute()
        sub = Path(subdir)
        if sub.is_absolute() or ".." in sub.parts:
            raise ValueError(f"deck folder {subdir!s} must be a relative path inside the repository")
        self.subdir = sub
        self.allowed_signers = Path(allowed_signers).expanduser().absolute() if allowed_signers else None
        if keep < 1:
            raise ValueError("keep must be at least 1")
        self.keep = keep
        self.fetch_timeout = fetch_timeout
        self.fetch_idle = fetch_idle
        self.mirror = self.state / "repo.git"
        self.staging = self.state / "staging"
        self.commits = self.state / "commits"
        self.current_link = self.state / "current"
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"ContentRepo({self.display_url!r}, {str(self.state)!r})"

    @property
    def display_url(self) -> str:
        """The URL without any password, for logs and status."""
        return redact(self.url)

    # -- the mirror -------------------------------------------------------------------------------
    def _ensure_mirror(self) -> None:
        if (self.mirror / "HEAD").is_file():
            return
        self.state.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".repo-", dir=self.state))
        try:
            run_git(["init", "--quiet", "--bare", tmp])
            run_git(["-C", tmp, "config", "gc.autoDetach", "false"])  # no git left running after us
            os.rename(tmp, self.mirror)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _clear_leftovers(self) -> None:
        """Remove what a git killed half-way leaves: lock files and temporary packs.

        Only called under the fetch lock: no other git of ours runs on the mirror then."""
        for pattern in ("*.lock", "refs/**/*.lock", "objects/pack/tmp_*", "objects/incoming-*", "objects/tmp_*"):
            for path in self.mirror.glob(pattern):
                log.info("content repository: removing %s left by an interrupted git", path.name)
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()

    def source_stamp(self) -> tuple[int, int, int] | None:
        """A bundle's (size, mtime, inode), None when it is not there (or the source is no bundle)."""
        if not self.is_bundle:
            return None
        try:
            info = os.stat(self.location)
        except OSError:
            return None
        return (info.st_size, info.st_mtime_ns, info.st_ino)

    def tip(self) -> str | None:
        """The followed branch's commit as last fetched (None before the first fetch)."""
        if not (self.mirror / "HEAD").is_file():
            return None
        found = run_git(["-C", self.mirror, "rev-parse", "--verify", "--quiet", TIP_REF + "^{commit}"], check=False)
        return found.stdout.strip() if found.returncode == 0 else None

    def fetch(self) -> FetchResult:
        """Fetch the followed branch; never raises. On any failure everything stays as it was."""
        with self._lock:
            try:
                self._ensure_mirror()
            except (GitError, OSError) as exc:
                return FetchResult(error=f"cannot create the mirror in {self.mirror}: {exc}")
            lock_path = self.state / "fetch.lock"
            try:
                handle = open(lock_path, "a+")  # noqa: SIM115 - held across the fetch below
            except OSError as exc:
                return FetchResult(self._safe_tip(), error=f"cannot open {lock_path}: {exc}")
            with handle:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError as exc:
                    if exc.errno in (errno.EAGAIN, errno.EACCES):
                        return FetchResult(self._safe_tip(), error="another process is fetching into "
                                           f"{self.mirror}")
                    raise
                self._clear_leftovers()
                error = self._fetch_tip()
            tip = self._safe_tip()
            if error is not None:
                return FetchResult(tip, error=error)
            return self._judge(tip)

    def _safe_tip(self) -> str | None:
        try:
            return self.tip()
        except GitError:
            return None

    def _fetch_tip(self) -> str | None:
        """Run the fetch; the error in one line, or None."""
        if self.is_bundle and not os.path.isfile(self.location):
            return f"bundle {self.location} is not there (USB stick not inserted?)"
        refs = [f"refs/heads/{self.branch}"] if self.branch else ["HEAD"]
        if not self.branch and self.is_bundle:
            refs += self._bundle_branches()
        error = None
        for ref in refs:
            result = self._fetch_ref(ref)
            if isinstance(result, str):
                error = result
                if "couldn't find remote ref" not in result and "not found in upstream" not in result:
                    return error
                continue
            return None
        return error

    def _fetch_ref(self, ref: str) -> str | None:
        try:
            # --progress: git says at least once a second that bytes arrive, so silence means a stall
            run_git(["-C", self.mirror, "-c", "fetch.recurseSubmodules=false", "fetch", "--progress", "--no-tags",
                     "--no-write-fetch-head", "--no-auto-maintenance", self.location, f"+{ref}:{TIP_REF}"],
                    timeout=self.fetch_timeout, idle_timeout=self.fetch_idle)
        except GitError as exc:
            return f"cannot fetch {self.display_url}: {exc}"
        return None

    def _bundle_branches(self) -> list[str]:
        """A bundle without HEAD: its main, master or only branch (in that order)."""
        try:
            heads = run_git(["bundle", "list-heads", self.location]).stdout.split()
        except GitError:
            return []
        names = [h for h in heads if h.startswith("refs/heads/")]
        picked = [n for n in ("refs/heads/main", "refs/heads/master") if n in names]
        return picked or (names if len(names) == 1 else [])

    def _judge(self, tip: str | None) -> FetchResult:
        if tip is None:
            return FetchResult(error="the fetch brought no commit")
        current = self.current()
        if current is not None and current[0] == tip:
            return FetchResult(tip)
        refused = self.refused().get(tip)
        if refused is not None:
            return FetchResult(tip, refused=str(refused.get("reason", "")))
        return FetchResult(tip, new=tip)

    # -- staging ----------------------------------------------------------------------------------
    def stage(self, sha: str) -> Path:
        """Check ``sha`` out into ``staging/<sha>``, verify and validate it; the deck folder.

        :class:`Refused` (after remembering why) when the commit must not be shown."""
        return self.check(sha).root

    def check(self, sha: str) -> LoadedDeck:
        """:meth:`stage`, returning the validated deck (loaded from ``staging/<sha>/<subdir>``)."""
        with self._lock:
            if not SHA.match(sha or ""):
                raise Refused(sha or "?", "not a full commit id")
            try:
                return self._check(sha)
            except Refused as exc:
                shutil.rmtree(self.staging / sha, ignore_errors=True)
                self.refuse(sha, exc.reason)
                raise

    def _check(self, sha: str) -> LoadedDeck:
        kind = run_git(["-C", self.mirror, "cat-file", "-t", sha], check=False)
        if kind.returncode != 0 or kind.stdout.strip() != "commit":
            raise Refused(sha, "no such commit in the mirror")
        if self.allowed_signers is not None:
            self._verify(sha)
        folder = self._extract(sha)
        loaded, problems = validation_errors(folder / self.subdir, folder)
        if problems or loaded is None:
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            raise Refused(sha, f"content invalid: {problems[0] if problems else 'no deck'}{more}")
        return loaded

    def _verify(self, sha: str) -> None:
        signers = self.allowed_signers
        if signers is None or not signers.is_file():
            raise Refused(sha, f"allowed signers file {signers} not found")
        config = ["-c", "gpg.format=ssh", "-c", f"gpg.ssh.allowedSignersFile={signers}"]
        verified = run_git(["-C", self.mirror, *config, "verify-commit", sha], check=False)
        if verified.returncode == 0:
            return
        status = run_git(["-C", self.mirror, *config, "show", "-s", "--format=%G?%x00%GF%x00%GK", sha],
                         check=False)
        code, _, rest = status.stdout.strip().partition("\0")
        fingerprint = rest.split("\0")[0] or rest.split("\0")[-1]
        detail = " ".join(line.strip() for line in verified.stderr.splitlines() if line.strip())
        if code == "N" or not (detail or fingerprint):
            reason = "commit is not signed (allowed signers are set)"
        elif code == "U" or "No principal matched" in detail:
            reason = f"signed by a key not in the allowed signers ({fingerprint or 'unknown key'})"
        elif code == "B":
            reason = "bad signature (the commit was changed after signing)"
        else:
            reason = f"signature not accepted: {detail or code}"
        raise Refused(sha, reason)

    def _extract(self, sha: str) -> Path:
        """The commit's tree, written to ``staging/<sha>`` (by way of a temporary folder)."""
        self.staging.mkdir(parents=True, exist_ok=True)
        for old in self.staging.glob(".tmp-*"):
            shutil.rmtree(old, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{sha[:12]}-", dir=self.staging))
        try:
            archive = tmp / ".archive.tar"
            run_git(["-C", self.mirror, "archive", "--format=tar", "-o", archive, sha])
            if archive.stat().st_size > MAX_TREE_BYTES:
                raise Refused(sha, f"tree larger than {MAX_TREE_BYTES >> 20} MB")
            tree = tmp / "tree"
            tree.mkdir()
            try:
                with tarfile.open(archive, "r:") as tar:
                    tar.extractall(tree, filter="data")
            except (tarfile.TarError, OSError) as exc:
                raise Refused(sha, f"cannot be checked out: {exc}") from exc
            archive.unlink()
            target = self.staging / sha
            shutil.rmtree(target, ignore_errors=True)
            os.rename(tree, target)
            return target
        except GitError as exc:
            raise Refused(sha, f"cannot be checked out: {exc}") from exc
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # -- refusals ---------------------------------------------------------------------------------
    def refused(self) -> dict[str, dict[str, str]]:
        """Commits refused so far: sha -> {"reason", "at"}."""
        data = _read_json(self.state / "refused.json", {})
        return data if isinstance(data, dict) else {}

    def refuse(self, sha: str, reason: str) -> None:
        """Remember that ``sha`` is not to be shown (it is not tried again until a newer commit comes)."""
        with self._lock:
            data = self.refused()
            data.pop(sha, None)
            data[sha] = {"reason": reason, "at": _iso(int(time.time()))}
            while len(data) > MAX_REFUSED:
                data.pop(next(iter(data)))
            self.state.mkdir(parents=True, exist_ok=True)
            _write_json(self.state / "refused.json", data)

    def _unrefuse(self, sha: str) -> None:
        data = self.refused()
        if data.pop(sha, None) is not None:
            _write_json(self.state / "refused.json", data)

    # -- promotion, history, rollback -------------------------------------------------------------
    def commit_info(self, sha: str) -> Commit:
        """Commit time and subject of ``sha`` (from the mirror)."""
        shown = run_git(["-C", self.mirror, "show", "-s", "--format=%H%x00%ct%x00%s", sha]).stdout.strip()
        full, stamp, subject = [*shown.split("\0"), "", ""][:3]
        return Commit(full, _iso(int(stamp or 0)), subject)

    def history(self) -> list[Commit]:
        """The good commits kept, newest first (the order they were shown in)."""
        data = _read_json(self.state / "history.json", [])
        out = []
        for item in data if isinstance(data, list) else []:
            if isinstance(item, dict) and SHA.match(str(item.get("sha", ""))) and (self.commits / item["sha"]).is_dir():
                out.append(Commit(item["sha"], str(item.get("time", "")), str(item.get("subject", ""))))
        return out

    def promote(self, sha: str) -> Path:
        """Make the staged ``sha`` current (one rename of the ``current`` link); its deck folder.

        Keeps the newest ``keep`` good commits (and always the current one)."""
        with self._lock:
            staged, final = self.staging / sha, self.commits / sha
            self.commits.mkdir(parents=True, exist_ok=True)
            if final.is_dir():
                shutil.rmtree(staged, ignore_errors=True)  # shown before (a rollback, a revert upstream)
            elif staged.is_dir():
                os.rename(staged, final)
            else:
                raise GitError(f"commit {sha[:12]} is not staged")
            info = self.commit_info(sha)
            history = [c for c in self.history() if c.sha != sha]
            history.insert(0, info)
            _write_json(self.state / "history.json", [c.as_dict() for c in history])
            self._set_current(sha)
            self._unrefuse(sha)
            self._prune(history)
            return final / self.subdir

    def _set_current(self, sha: str) -> None:
        tmp = self.state / f".current-{os.getpid()}-{threading.get_ident()}"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(os.path.join("commits", sha), tmp)
        os.replace(tmp, self.current_link)
        _fsync_dir(self.state)

    def _prune(self, history: list[Commit]) -> None:
        current = self.current()
        keep = {c.sha for c in history[: self.keep]} | ({current[0]} if current else set())
        kept = [c for c in history if c.sha in keep]
        if len(kept) != len(history):
            _write_json(self.state / "history.json", [c.as_dict() for c in kept])
        for folder in self.commits.iterdir():
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
        if self.staging.is_dir():
            for folder in self.staging.iterdir():
                shutil.rmtree(folder, ignore_errors=True)

    def current(self) -> tuple[str, Path] | None:
        """(sha, deck folder) of the commit shown last, or None (nothing promoted yet)."""
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        sha = Path(target).name
        folder = self.commits / sha
        if not SHA.match(sha) or not folder.is_dir():
            return None
        return sha, folder / self.subdir

    def rollback_target(self, to: str | None = None) -> Commit:
        """The commit :meth:`rollback` would go to; :class:`ValueError` saying why there is none."""
        history = self.history()
        current = self.current()
        if to:
            wanted = to.strip().lower()
            found = [c for c in history if c.sha.startswith(wanted)] if len(wanted) >= 4 else []
            if len(found) != 1:
                kept = ", ".join(c.sha[:12] for c in history) or "none"
                raise ValueError(f"{to!r} is {'ambiguous' if found else 'not'} one of the kept good commits "
                                 f"({kept})")
            return found[0]
        if current is None:
            raise ValueError("no commit is current yet")
        shas = [c.sha for c in history]
        index = shas.index(current[0]) if current[0] in shas else -1
        if index < 0 or index + 1 >= len(history):
            raise ValueError("no earlier good commit is kept")
        return history[index + 1]

    def rollback(self, to: str | None = None, *, reason: str = "rolled back") -> Path:
        """Make the previous good commit (or ``to``, a kept one) current; its deck folder.

        The commit left is held back (as refused, with ``reason``) so the next fetch does not
        bring it straight back; a newer commit upstream is shown as usual."""
        with self._lock:
            target = self.rollback_target(to)
            current = self.current()
            self._set_current(target.sha)
            self._unrefuse(target.sha)
            if current is not None and current[0] != target.sha:
                self.refuse(current[0], f"{reason} (to {target.sha[:12]})")
            return self.commits / target.sha / self.subdir
