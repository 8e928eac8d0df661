"""The wrong-PIN count and the lockout on disk: written whole or not at all, read back as
written, and a missing, corrupt or strange file is a fresh start said once in the log."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from szkiosk.logs import state_dir
from szkiosk.pin_store import FILE_NAME, PinRecord, PinStore, default_path


def test_the_record_lives_in_the_state_folder(tmp_path: Path) -> None:
    assert default_path() == state_dir() / FILE_NAME
    assert str(default_path()).startswith(str(tmp_path))  # XDG_STATE_HOME points into the test's folder
    assert PinStore().path == default_path()


def test_a_record_reads_back_as_written(tmp_path: Path, caplog) -> None:
    store = PinStore(tmp_path / "state" / FILE_NAME)
    assert store.load() == PinRecord()  # nothing yet: a fresh start, said nowhere
    record = PinRecord(7, 240.0, 1_714_564_860.5)
    with caplog.at_level(logging.INFO):
        assert store.save(record)
        assert PinStore(store.path).load() == record
    assert caplog.records == []
    assert json.loads(store.path.read_text()) == {"version": 1, "failures": 7, "lockout_s": 240.0,
                                                  "locked_until": 1_714_564_860.5}
    assert sorted(p.name for p in store.path.parent.iterdir()) == [FILE_NAME]  # no temporary file left


def test_a_save_replaces_the_file_rather_than_writing_into_it(tmp_path: Path) -> None:
    store = PinStore(tmp_path / FILE_NAME)
    store.save(PinRecord(1))
    with open(store.path, encoding="utf-8") as reader:  # somebody reading the old record meanwhile
        store.save(PinRecord(2, 60.0, 100.0))
        assert PinRecord.from_json(reader.read()) == PinRecord(1)  # still the whole old record
    assert store.load() == PinRecord(2, 60.0, 100.0)


@pytest.mark.parametrize("content", [
    b"", b"{", b"\xff\xfe not utf-8", b"[]", b'{"version": 2, "failures": 1, "lockout_s": 0, "locked_until": 0}',
    b'{"version": 1, "failures": -1, "lockout_s": 0, "locked_until": 0}',
    b'{"version": 1, "failures": true, "lockout_s": 0, "locked_until": 0}',
    b'{"version": 1, "failures": 1.5, "lockout_s": 0, "locked_until": 0}',
    b'{"version": 1, "failures": 5, "lockout_s": NaN, "locked_until": 0}',
    b'{"version": 1, "failures": 5, "lockout_s": 60, "locked_until": "soon"}',
    b'{"version": 1, "failures": 5}',
    b" " * 5000,
])
def test_a_corrupt_record_is_a_fresh_start_said_once(tmp_path: Path, caplog, content: bytes) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(content)
    store = PinStore(path)
    with caplog.at_level(logging.WARNING):
        assert store.load() == PinRecord()
    assert len(caplog.records) == 1 and "corrupt" in caplog.records[0].getMessage()
    assert store.save(PinRecord(5, 60.0, 1.0)) and store.load() == PinRecord(5, 60.0, 1.0)  # and rewritten


def test_a_fifo_or_a_folder_in_its_place_does_not_block_or_crash(tmp_path: Path, caplog) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    with caplog.at_level(logging.WARNING):
        assert PinStore(fifo).load() == PinRecord()  # opening a FIFO would wait for a writer forever
        assert PinStore(folder).load() == PinRecord()
    assert [r.getMessage().count("not a regular file") for r in caplog.records] == [1, 1]


def test_a_failing_save_is_said_once_and_recovery_too(tmp_path: Path, caplog) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the folder should be")
    store = PinStore(blocker / FILE_NAME)
    with caplog.at_level(logging.INFO):
        assert not store.save(PinRecord(1))
        assert not store.save(PinRecord(2))
        assert [r.levelno for r in caplog.records] == [logging.WARNING]
        blocker.unlink()
        assert store.save(PinRecord(3))
    assert [r.levelno for r in caplog.records] == [logging.WARNING, logging.INFO]
    assert "saved again" in caplog.records[-1].getMessage()
    assert store.load() == PinRecord(3)
