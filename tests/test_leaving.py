"""The process ends with its own exit code, whatever its worker threads are doing.

Real interpreters in subprocesses: a daemon thread validating a deck (pydantic-core, a Rust
extension) at the moment the interpreter shuts down made CPython abort with signal 6 or crash
with 11 instead of exiting 75 for the booth's service; a thread stuck for good held the process
open. :func:`szkiosk.leaving.leave` waits a bounded time and, if needed, leaves without them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(body: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``body`` (indented Python) in a fresh interpreter from the repository's top."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(body)], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_validation_running_on_daemon_threads_at_exit_never_aborts_the_exit_code() -> None:
    # Four threads validate the bundled deck without end; the main thread leaves at varied moments.
    # Before the fix, about one run in seven (two threads) here died with -6 ("FATAL: exception not rethrown")
    # or -11 instead of 75.
    codes = []
    for delay in [0.05 * n for n in range(1, 17)]:
        done = run(f"""
            import logging, threading, time
            from szkiosk.content import load_deck
            from szkiosk.leaving import leave
            logging.basicConfig(level=logging.INFO)
            def validate():
                while True:
                    load_deck("content")
            for n in range(4):
                threading.Thread(target=validate, name=f"check-{{n}}", daemon=True).start()
            time.sleep({delay})
            raise SystemExit(leave(75, grace_s=0.2))
            """)
        codes.append(done.returncode)
        said = "leaving with 4 worker thread(s) still running after 0.2 s: check-0, check-1, check-2, check-3"
        assert said in done.stderr, done.stderr[-2000:]
    assert codes == [75] * len(codes)


def test_a_thread_stuck_for_good_does_not_hold_the_process_open() -> None:
    # A non-daemon worker (a thread pool's, on a dead mount) blocks Python's own exit forever.
    done = run("""
        import threading
        from szkiosk.leaving import leave
        threading.Thread(target=threading.Event().wait, name="szkiosk-usb_0").start()
        raise SystemExit(leave(75, grace_s=0.5))
        """, timeout=30)
    assert done.returncode == 75, done.stderr
    assert "szkiosk-usb_0" in done.stderr


def test_a_job_that_finishes_in_time_is_waited_for_and_the_exit_is_ordinary(tmp_path: Path) -> None:
    marker = tmp_path / "saved"
    done = run(f"""
        import atexit, threading, time
        from pathlib import Path
        from szkiosk.leaving import leave
        atexit.register(lambda: print("atexit ran"))
        def save():
            time.sleep(0.4)
            Path({str(marker)!r}).write_text("done")
        threading.Thread(target=save, name="szkiosk-last-good", daemon=True).start()
        raise SystemExit(leave(3, grace_s=10))
        """)
    assert done.returncode == 3, done.stderr
    assert marker.read_text() == "done"  # the daemon thread was not cut off
    assert "atexit ran" in done.stdout  # an ordinary exit: Python's own shutdown ran
    assert "leaving with" not in done.stderr


def test_the_console_script_and_python_m_go_through_the_clean_exit() -> None:
    scripts = {ep.name: ep.value for ep in metadata.entry_points(group="console_scripts")
               if ep.dist is not None and ep.dist.name == "szkiosk"}
    assert scripts == {"szkiosk": "szkiosk.cli:entry"}
    # `python -m szkiosk` with a worker stuck for good: the command's own code still comes out
    done = run("""
        import runpy, sys, threading
        import szkiosk.leaving
        szkiosk.leaving.GRACE_S = 0.5
        threading.Thread(target=threading.Event().wait, name="szkiosk-stuck").start()
        sys.argv = ["szkiosk", "validate", "content"]
        runpy.run_module("szkiosk", run_name="__main__")
        """, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "still running after 0.5 s: szkiosk-stuck" in done.stderr


def test_a_thread_python_did_not_start_is_not_waited_for() -> None:
    # Qt's own threads that call Python (its message handler) leave a stand-in that stays
    # "alive" and cannot be joined: waiting for it would cost the whole grace, then cut the exit.
    done = run("""
        import _thread, threading, time
        from szkiosk.leaving import leave, others
        seen = threading.Event()
        def foreign():
            threading.current_thread()  # as logging does from a thread Python did not start
            seen.set()
        _thread.start_new_thread(foreign, ())
        seen.wait(10)
        time.sleep(0.2)
        assert any(type(t).__name__ == "_DummyThread" for t in threading.enumerate())
        assert others() == []
        started = time.monotonic()
        code = leave(4, grace_s=30)
        print(f"waited {time.monotonic() - started:.1f}")
        raise SystemExit(code)
        """)
    assert done.returncode == 4, done.stderr
    assert "waited 0.0" in done.stdout
    assert "leaving with" not in done.stderr
