"""``szkiosk install-service``: start the booth with the desktop session and restart it if it dies.

Two files, both per user (no root needed):

* a systemd user unit, ``~/.config/systemd/user/szkiosk.booth.service``, ``Restart=always``,
  ordered after ``graphical-session.target``;
* an XDG autostart entry, ``~/.config/autostart/szkiosk.desktop``, that asks systemd to
  start that unit. Sessions that never reach ``graphical-session.target`` (many plain X11
  or kiosk sessions) still start the show, and starting a running unit is a no-op, so the
  two never launch a second copy.

Pure Python; no Qt.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

UNIT_NAME = "szkiosk.booth.service"
#: Exit status of a staff quit from the admin overlay; the unit does not restart after it.
STAFF_EXIT_CODE = 86
DESKTOP_NAME = "szkiosk.desktop"


def config_home(home: Path | None = None) -> Path:
    """``$XDG_CONFIG_HOME`` or ``~/.config``."""
    base = os.environ.get("XDG_CONFIG_HOME")
    if base and Path(base).is_absolute() and home is None:
        return Path(base)
    return (home or Path.home()) / ".config"


def _quote(arg: str) -> str:
    """Quote one argument for systemd's ``ExecStart=`` (systemd.service(5), "Command lines").

    ``%`` starts a specifier (``%a`` is the architecture, ``%Q`` is fatal) and ``$`` a variable,
    so they are doubled; backslashes, double quotes, tabs and newlines are C-escaped inside
    double quotes.
    """
    escaped = (arg.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
               .replace("%", "%%").replace("$", "$$"))
    if arg and not any(c in arg for c in ' \t\n"\'\\$%;'):
        return escaped
    return f'"{escaped}"'


def command_line(deck: Path | None, executable: str | None = None, log_level: str = "info") -> list[str]:
    """The command the service runs: this installation's ``szkiosk`` on ``deck``, in kiosk mode
    (``deck`` None: the booth follows the content repository its ``booth.yaml`` names)."""
    if executable:
        prefix = [executable]
    else:
        beside = Path(sys.executable).with_name("szkiosk")
        prefix = [str(beside)] if beside.exists() else [sys.executable, "-m", "szkiosk"]
    return [*prefix, "--log-level", log_level, "run", *([str(deck.resolve())] if deck is not None else []), "--kiosk"]


def unit_text(command: list[str]) -> str:
    """The systemd user unit."""
    exec_start = " ".join(_quote(a) for a in command)
    return f"""[Unit]
Description=szkiosk booth presentation
PartOf=graphical-session.target
After=graphical-session.target
# keep restarting however often it fails: nobody is there to press a button
StartLimitIntervalSec=0

[Service]
Type=simple
ExecStart={exec_start}
Restart=always
RestartSec=3
# staff chose Quit in the admin overlay: stay stopped until the next login or a manual start
RestartPreventExitStatus={STAFF_EXIT_CODE}
# the show writes its log itself ($XDG_STATE_HOME/szkiosk/szkiosk.log); keep the journal short
StandardOutput=null
StandardError=journal

[Install]
WantedBy=graphical-session.target
"""


def desktop_text() -> str:
    """The XDG autostart entry: starts (not runs) the unit, so there is one copy only."""
    return f"""[Desktop Entry]
Type=Application
Name=szkiosk booth
Comment=Start the szkiosk booth presentation (systemd user unit {UNIT_NAME})
Exec=systemctl --user start {UNIT_NAME}
Terminal=false
NoDisplay=true
X-GNOME-Autostart-enabled=true
"""


@dataclass(frozen=True)
class ServiceFiles:
    """What ``install-service`` writes, and where."""

    unit_path: Path
    unit: str
    desktop_path: Path
    desktop: str


def service_files(deck: Path | None, *, home: Path | None = None, executable: str | None = None,
                  log_level: str = "info") -> ServiceFiles:
    """The two files for ``deck`` (nothing is written)."""
    config = config_home(home)
    return ServiceFiles(
        config / "systemd" / "user" / UNIT_NAME,
        unit_text(command_line(deck, executable, log_level)),
        config / "autostart" / DESKTOP_NAME,
        desktop_text(),
    )


def install(files: ServiceFiles) -> list[Path]:
    """Write both files (creating folders); returns their paths."""
    for path, text in ((files.unit_path, files.unit), (files.desktop_path, files.desktop)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return [files.unit_path, files.desktop_path]


NEXT_STEPS = f"""Next:
  systemctl --user daemon-reload
  systemctl --user enable --now {UNIT_NAME}
Log in to the booth account automatically (display manager setting) so the session starts on boot.
Staff leave the show with Quit in the admin overlay; the unit then stays stopped (exit {STAFF_EXIT_CODE}).
Any other exit or crash restarts the show after 3 s.  Stop by hand: systemctl --user stop {UNIT_NAME}"""
