"""The screen stays ours: a kiosk show under a real X server and a real window manager.

Xvfb on a free display, openbox with the booth session's ``deploy/openbox/rc.xml``, the real
``szkiosk run content --kiosk`` as a subprocess on the xcb platform, and xdotool / a second
X client doing what a visitor or a stray program might: minimise, unmap, Super+D, Alt+Tab,
Alt+F4, a window that takes the focus, ``XDestroyWindow``. Each case waits (generously) until
the show is mapped, full screen, on top and active again; none times anything.

The X tools are system packages (``scripts/setup.sh --test`` installs them): without them
these tests skip, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent

from szkiosk.booth.guard import LOG_EVERY, WINDOW_LOST_EXIT_CODE, WindowGuard
from szkiosk.booth.service import STAFF_EXIT_CODE

ROOT = Path(__file__).resolve().parents[2]
RC_XML = ROOT / "deploy" / "openbox" / "rc.xml"
STOCK_RC_XML = Path("/etc/xdg/openbox/rc.xml")  # openbox's own defaults: Super+D shows the desktop
TOOLS = ("Xvfb", "openbox", "xdotool", "xwininfo", "xprop", "xmessage")
SCREEN = (1280, 720)
WAIT = 20.0  # seconds: generous, the machine may be busy; nothing here is a timing assertion


def test_rc_xml_is_well_formed_and_locks_the_session_down() -> None:
    root = ET.parse(RC_XML).getroot()
    ns = {"ob": "http://openbox.org/3.4/rc"}
    assert root.tag == "{http://openbox.org/3.4/rc}openbox_config"
    keyboard = root.find("ob:keyboard", ns)
    assert keyboard is not None and keyboard.findall(".//ob:keybind", ns) == []  # no Super+D, Alt+Tab, Alt+F4
    contexts = {c.get("name") for c in root.findall("ob:mouse/ob:context", ns)}
    assert contexts == {"Client"}  # no Root (desktop menu), Frame or Titlebar bindings
    actions = {a.get("name") for a in root.findall("ob:mouse//ob:action", ns)}
    assert actions <= {"Focus", "Raise"}
    assert root.find("ob:menu/ob:file", ns) is None
    app = root.find("ob:applications/ob:application", ns)
    assert app is not None and app.findtext("ob:decor", namespaces=ns) == "no"


# -- in-process, offscreen: the guard's rules ------------------------------------------------------------
#: Qt's offscreen platform has no window stack and says so when the guard raises the window.
offscreen_raise = pytest.mark.qt_log_ignore("This plugin does not support raise")


@pytest.fixture
def kiosk_window(window) -> Iterator:
    """A full-screen kiosk window (offscreen), its stage stopped afterwards."""
    win = window(kiosk=True)
    win.stage.animate_transitions = False
    win.show_full_screen()
    yield win
    win.stage.stop()  # the first panel may still be building


def test_guard_is_off_without_a_window_manager_or_outside_kiosk(kiosk_window, window) -> None:
    kiosk = kiosk_window
    guard = WindowGuard(kiosk)
    assert not guard.start() and not guard.active  # offscreen: no window manager to fight
    plain = window()
    plain.stage.stop()
    assert not WindowGuard(plain).wanted()  # not a kiosk window
    assert WindowGuard(kiosk, force=True).wanted()


@offscreen_raise
def test_hidden_or_minimised_window_is_taken_back(kiosk_window, qtbot, caplog) -> None:
    win = kiosk_window
    guard = WindowGuard(win, force=True)
    try:
        assert guard.start()
        with caplog.at_level("INFO", logger="szkiosk.booth.guard"):
            win.hide()
            qtbot.waitUntil(lambda: win.isVisible() and win.isFullScreen(), timeout=10000)
            win.showMinimized()
            qtbot.waitUntil(lambda: guard.counts.get("minimised", 0) >= 1, timeout=10000)
            qtbot.waitUntil(lambda: win.isVisible() and not win.isMinimized() and win.isFullScreen(), timeout=10000)
        assert guard.counts.get("hidden", 0) >= 1
        assert "window guard: show taken back (hidden)" in caplog.text
        assert "window guard: show taken back (minimised)" in caplog.text
    finally:
        guard.stop()


def test_guard_stands_down_when_the_window_closes(kiosk_window) -> None:
    """Staff quit and --quit-after close the window with force_close: the guard must not bring it back."""
    win = kiosk_window
    guard = WindowGuard(win, force=True)
    assert guard.start()
    win.force_close()
    assert not guard.active
    guard.check()
    guard.eventFilter(win, QEvent(QEvent.Type.Hide))
    assert not win.isVisible() and guard.counts == {}


@offscreen_raise
def test_re_assertions_are_logged_at_most_once_per_reason_and_period(kiosk_window, caplog) -> None:
    now = [100.0]
    guard = WindowGuard(kiosk_window, force=True, clock=lambda: now[0])
    assert guard.start()
    try:
        with caplog.at_level("INFO", logger="szkiosk.booth.guard"):
            for _ in range(50):  # a window manager fighting back
                guard.reassert("lost focus")
                now[0] += 0.5
            guard.reassert("minimised")
            now[0] += LOG_EVERY
            guard.reassert("lost focus")
    finally:
        guard.stop()
    lines = [m for r in caplog.records if "taken back" in (m := r.getMessage())]
    assert guard.counts == {"lost focus": 51, "minimised": 1}
    assert lines[0] == "window guard: show taken back (lost focus)"
    assert "window guard: show taken back (minimised)" in lines
    assert any(line.endswith("more since the last line)") for line in lines[1:])
    assert len(lines) <= 1 + 50 * 0.5 / LOG_EVERY + 3


# -- under a real X server ------------------------------------------------------------------------------
def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _libx11() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def _need_x_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if _libx11() is None:
        missing.append("libX11.so.6")
    if missing:
        reason = f"needs {', '.join(missing)} (apt-get install xvfb openbox xdotool x11-utils)"
        if _ci():
            pytest.fail(f"CI: {reason}")
        pytest.skip(reason)


def wait_until(condition: Callable[[], object], what: str, timeout: float = WAIT) -> None:
    """Poll ``condition`` until it is true; fail naming ``what`` if it never is."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    assert condition(), f"never happened within {timeout:g} s: {what}"


class XSession:
    """Xvfb on a free display (``-displayfd``) with openbox on it."""

    def __init__(self, tmp: Path, config: Path) -> None:
        read, write = os.pipe()
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=(tmp / "xvfb.log").open("wb"))
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.xvfb.kill()
            pytest.fail("Xvfb did not start: " + (tmp / "xvfb.log").read_text(errors="replace"))
        self.display = f":{number}"
        self.env = {**os.environ, "DISPLAY": self.display}
        self.env.pop("WAYLAND_DISPLAY", None)
        self.openbox = subprocess.Popen(["openbox", "--sm-disable", "--config-file", str(config)], env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=(tmp / "openbox.log").open("wb"))
        wait_until(lambda: "window id" in self.x("xprop", "-root", "_NET_SUPPORTING_WM_CHECK"), "openbox running")

    def x(self, *args: str) -> str:
        """Run an X tool on this display; its stdout ('' when it fails)."""
        out = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=30)
        return out.stdout if out.returncode == 0 else ""

    def close(self) -> None:
        for proc in (self.openbox, self.xvfb):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


class Show:
    """``szkiosk run content --kiosk`` on a session, its log in a file."""

    def __init__(self, session: XSession, tmp: Path, deck: str = "content") -> None:
        self.session = session
        self.log_path = tmp / "show.log"
        env = {**session.env, "QT_QPA_PLATFORM": "xcb", "XDG_STATE_HOME": str(tmp / "state"),
               "XDG_CACHE_HOME": str(tmp / "cache"), "XDG_CONFIG_HOME": str(tmp / "config")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "szkiosk", "--log-level", "debug", "--log-file", "none",
             "run", deck, "--kiosk", "--analytics", "off"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log_path.open("wb"))
        wait_until(lambda: "window guard on" in self.log() or self.proc.poll() is not None, "the guard armed", 90)
        assert self.proc.poll() is None, self.log()
        self.window = ""
        wait_until(self._find_window, "the show's window")
        wait_until(self.is_ours, f"the show mapped, full screen, on top and active: {self.state()}")

    def _find_window(self) -> bool:
        found = self.session.x("xdotool", "search", "--onlyvisible", "--pid", str(self.proc.pid)).split()
        self.window = found[0] if len(found) == 1 else ""
        return bool(self.window)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def state(self) -> dict[str, str]:
        """What the X server and the window manager say about the show's window."""
        x = self.session.x
        info = x("xwininfo", "-id", self.window)
        fields = {key.strip(): value.strip() for key, value in
                  (line.split(": ", 1) for line in info.splitlines() if ": " in line)}
        active = x("xdotool", "getactivewindow").strip()
        stacking = x("xprop", "-root", "_NET_CLIENT_LIST_STACKING").rsplit("#", 1)[-1].split(",")
        return {
            "map": fields.get("Map State", "?"),
            "geometry": f"{fields.get('Width')}x{fields.get('Height')}+{fields.get('Absolute upper-left X')}"
                        f"+{fields.get('Absolute upper-left Y')}",
            "active": str(active == self.window),
            "focus": x("xdotool", "getwindowfocus").strip(),
            "top": str(bool(stacking) and stacking[-1].strip() and int(stacking[-1], 16) == int(self.window)),
            "wm_state": x("xprop", "-id", self.window, "_NET_WM_STATE"),
        }

    def is_ours(self) -> bool:
        s = self.state()
        return (s["map"] == "IsViewable" and s["geometry"] == f"{SCREEN[0]}x{SCREEN[1]}+0+0"
                and s["active"] == "True" and s["top"] == "True"
                and "_NET_WM_STATE_FULLSCREEN" in s["wm_state"] and "_NET_WM_STATE_HIDDEN" not in s["wm_state"])

    def reasserted(self, reason: str) -> int:
        """How many times the guard has taken the screen back for ``reason`` (its debug lines)."""
        return self.log().count(f"window guard: re-asserting ({reason})")

    def wait_ours(self, after: str) -> None:
        wait_until(self.is_ours, f"the show ours again after {after}; last seen {self.state()}\n{self.log()}")
        assert self.proc.poll() is None, self.log()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(15)


@pytest.fixture(scope="module")
def booth_x(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XSession]:
    """One X session with the booth's openbox configuration for the cases below."""
    _need_x_tools()
    session = XSession(tmp_path_factory.mktemp("x"), RC_XML)
    yield session
    session.close()


@pytest.fixture
def own_x(tmp_path: Path) -> Iterator[XSession]:
    """A session of its own with the booth's openbox configuration (one show per display: two would fight)."""
    _need_x_tools()
    session = XSession(tmp_path, RC_XML)
    yield session
    session.close()


@pytest.fixture(scope="module")
def show(booth_x: XSession, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Show]:
    """One running kiosk show shared by the cases that leave it running."""
    running = Show(booth_x, tmp_path_factory.mktemp("show"))
    yield running
    running.stop()


#: The cases under a real X server: system tools needed, a few seconds each.
xserver = pytest.mark.xserver


@xserver
def test_minimised_show_comes_back(show: Show) -> None:
    show.wait_ours("the previous case")
    before = show.reasserted("minimised")
    show.session.x("xdotool", "windowminimize", show.window)
    wait_until(lambda: show.reasserted("minimised") > before, "the guard to see the show minimised")
    show.wait_ours("windowminimize")
    assert "window guard: show taken back (minimised)" in show.log()  # the INFO line (rate-limited)


@xserver
def test_unmapped_show_comes_back(show: Show) -> None:
    show.wait_ours("the previous case")
    before = show.reasserted("unmapped")
    show.session.x("xdotool", "windowunmap", show.window)
    wait_until(lambda: show.reasserted("unmapped") > before, "the guard to see the show unmapped")
    show.wait_ours("windowunmap")
    assert "window guard: show taken back (unmapped)" in show.log()


@xserver
def test_another_window_cannot_keep_the_screen(show: Show) -> None:
    show.wait_ours("the previous case")
    before = show.reasserted("lost focus")
    intruder = subprocess.Popen(["xmessage", "-name", "intruder", "I want the screen"], env=show.session.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        found: list[str] = []

        def mapped() -> bool:
            found[:] = show.session.x("xdotool", "search", "--onlyvisible", "--classname", "intruder").split()
            return bool(found)

        wait_until(mapped, "the intruder mapped")
        show.wait_ours("a new window appeared")
        again = show.reasserted("lost focus")
        show.session.x("xdotool", "windowactivate", found[0])
        wait_until(lambda: show.reasserted("lost focus") > again, "the guard to see the focus go")
        show.wait_ours("windowactivate of another window")
    finally:
        intruder.kill()
        intruder.wait(10)
    assert show.reasserted("lost focus") > before
    assert "window guard: show taken back (lost focus)" in show.log()


@xserver
def test_window_manager_keys_do_nothing(show: Show) -> None:
    """Under the booth's rc.xml, Super+D, Alt+Tab and Alt+F4 reach no window manager action."""
    show.wait_ours("the previous case")
    before = show.log().count("window guard: re-asserting")
    for key in ("super+d", "alt+Tab", "alt+F4", "ctrl+alt+Left"):
        show.session.x("xdotool", "key", key)
    # watch for a while: the show must stay ours without the guard having to step in
    end = time.monotonic() + 3
    while time.monotonic() < end:
        assert show.is_ours(), show.state()
        time.sleep(0.2)
    assert show.log().count("window guard: re-asserting") == before, show.log()
    assert show.session.x("xprop", "-root", "_NET_SHOWING_DESKTOP").strip().endswith("= 0")
    assert "Traceback" not in show.log()


@xserver
def test_destroyed_window_exits_for_a_restart(own_x: XSession, tmp_path: Path) -> None:
    doomed = Show(own_x, tmp_path)
    try:
        x11 = _libx11()
        assert x11 is not None
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XDestroyWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        x11.XFlush.argtypes = [ctypes.c_void_p]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        display = x11.XOpenDisplay(own_x.display.encode())
        assert display, "cannot open the test display"
        x11.XDestroyWindow(display, int(doomed.window))
        x11.XFlush(display)
        x11.XCloseDisplay(display)
        wait_until(lambda: doomed.proc.poll() is not None, "the show to exit")
    finally:
        doomed.stop()
    log = doomed.log()
    assert doomed.proc.returncode == WINDOW_LOST_EXIT_CODE, log
    assert "the show's window was destroyed by another program" in log
    assert "Traceback" not in log


@xserver
def test_the_back_soon_screen_is_taken_back_too(own_x: XSession, tmp_path: Path) -> None:
    # no deck and no last good copy: the calm screen, which a visitor must not get past either
    calm = Show(own_x, tmp_path, deck=str(tmp_path / "no-deck-here"))
    try:
        assert "back-soon screen up" in calm.log()
        own_x.x("xdotool", "windowminimize", calm.window)
        wait_until(lambda: calm.reasserted("minimised") > 0, "the guard to see the back-soon screen minimised")
        calm.wait_ours("windowminimize of the back-soon screen")
    finally:
        calm.stop()
    assert calm.proc.returncode == 0, calm.log()  # SIGTERM: a clean stop


@xserver
def test_guard_stands_down_for_the_staff_quit(own_x: XSession, tmp_path: Path) -> None:
    staff = Show(own_x, tmp_path)
    try:
        # content/ ships without a PIN: the keyboard chord opens the staff menu directly
        own_x.x("xdotool", "key", "ctrl+alt+shift+k")
        wait_until(lambda: "staff menu opened" in staff.log(), "the staff menu to open")
        # Quit is the staff menu's fifth button (booth/admin.py): stage (350, 706) of 1920x1080
        x, y = round(350 * SCREEN[0] / 1920), round(706 * SCREEN[1] / 1080)
        for _attempt in range(5):  # a tap while the menu is still being built may be lost: tap again
            own_x.x("xdotool", "mousemove", str(x), str(y), "click", "1")
            try:
                wait_until(lambda: staff.proc.poll() is not None, "the show to quit by the staff menu", 4)
                break
            except AssertionError:
                continue
        wait_until(lambda: staff.proc.poll() is not None, "the show to quit by the staff menu")
    finally:
        staff.stop()
    log = staff.log()
    assert staff.proc.returncode == STAFF_EXIT_CODE, log
    assert "staff quit from the staff menu" in log
    assert "show taken back (hidden)" not in log


@xserver
@pytest.mark.skipif(not STOCK_RC_XML.exists(), reason="openbox's stock rc.xml is not installed")
def test_show_desktop_of_a_stock_openbox_is_undone(tmp_path: Path) -> None:
    """Even a window manager left on its defaults (Super+D shows the desktop) does not keep the screen."""
    _need_x_tools()
    session = XSession(tmp_path, STOCK_RC_XML)
    try:
        stock = Show(session, tmp_path)
        try:
            before = stock.log().count("window guard: re-asserting")
            session.x("xdotool", "key", "super+d")
            wait_until(lambda: stock.log().count("window guard: re-asserting") > before,
                       "show-desktop seen by the guard")
            stock.wait_ours("super+d (show desktop)")
            wait_until(lambda: session.x("xprop", "-root", "_NET_SHOWING_DESKTOP").strip().endswith("= 0"),
                       "the desktop no longer showing")
        finally:
            stock.stop()
    finally:
        session.close()
