"""Real git content repositories in a temp folder, for the fleet's content tests (issue 17).

A small deck (three panels of the bundled one) committed with the real ``git``; commits can be
signed with a real ssh key made by ``ssh-keygen``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
TITLE = "Shenzhen High-Quality Development"
PANELS = ("title", "five-actions", "reforms")
_WHO = ["-c", "user.name=Curator", "-c", "user.email=curator@example.org"]


def git(*args: str | Path, cwd: Path | None = None) -> str:
    """Run git (no shell); its standard output, stripped. Fails the test on a non-zero exit."""
    done = subprocess.run(["git", *(str(a) for a in args)], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"git {' '.join(map(str, args))}: {done.stderr}"
    return done.stdout.strip()


def small_deck(target: Path) -> Path:
    """A copy of the bundled deck showing three panels (quick to warm up)."""
    shutil.copytree(CONTENT, target)
    deck = target / "deck.yaml"
    text = deck.read_text(encoding="utf-8")
    text = re.sub(r"attract_panels: \[[^\]]*\]", "attract_panels: [title, five-actions]", text)
    text = text[: text.index("panels:\n  - ")] + "panels:\n" + "".join(f"  - panels/{p}.yaml\n" for p in PANELS)
    deck.write_text(text, encoding="utf-8")
    return target


def new_source(folder: Path, *, subdir: str = "") -> Path:
    """A content repository (branch main) whose first commit holds the small deck (in ``subdir``)."""
    folder.mkdir(parents=True)
    git("init", "--quiet", "-b", "main", folder)
    small_deck(folder / subdir if subdir else folder / "deck-tmp")
    if not subdir:
        for item in (folder / "deck-tmp").iterdir():
            item.rename(folder / item.name)
        (folder / "deck-tmp").rmdir()
    commit(folder, "First deck")
    return folder


def title_file(source: Path, subdir: str = "") -> Path:
    return (source / subdir if subdir else source) / "panels" / "title.yaml"


def current_title(source: Path, subdir: str = "") -> str:
    text = title_file(source, subdir).read_text(encoding="utf-8")
    return re.search(r"^title:\n  en: (.*)$", text, re.M).group(1)


def set_title(source: Path, title: str, subdir: str = "") -> None:
    """Give the title panel a new English title (in the working tree)."""
    path = title_file(source, subdir)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"  en: {current_title(source, subdir)}\n", f"  en: {title}\n", 1), encoding="utf-8")


def break_deck(source: Path, subdir: str = "") -> None:
    """Make a panel file invalid YAML (``szkiosk validate`` fails)."""
    path = (source / subdir if subdir else source) / "panels" / "reforms.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  : : [unclosed\n", encoding="utf-8")


def commit(source: Path, message: str, *, key: Path | None = None) -> str:
    """Commit everything (signed with the ssh ``key`` when given); the new commit's id."""
    git("add", "-A", cwd=source)
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}"] if key else []
    git(*_WHO, *sign, "commit", "--quiet", *(["-S"] if key else []), "-m", message, cwd=source)
    return git("rev-parse", "HEAD", cwd=source)


def ssh_key(folder: Path, name: str) -> Path:
    """A new ed25519 key pair without a passphrase; the private key's path."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True,
                   timeout=60)
    return key


def allowed_signers(path: Path, *keys: Path) -> Path:
    """An ssh allowed-signers file trusting ``keys`` for the curator's address."""
    lines = []
    for key in keys:
        kind, blob = key.with_suffix(".pub").read_text(encoding="utf-8").split()[:2]
        lines.append(f"curator@example.org {kind} {blob}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path
