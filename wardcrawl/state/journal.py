"""The export journal: exactly-once JSON lines across crashes.

Each exported record is appended to ``<site>-<run>.jsonl.part`` and flushed *before* the
state store records it. At close the journal is fsynced and renamed to its final name.
After a crash (even SIGKILL) the next run recovers leftover journals: complete lines are
kept and replayed into the state store (idempotently), a torn last line is dropped (that
record was never recorded as archived, so it is fetched again), and the file is renamed
into place. So every record reaches exactly one final file, once.

A journal being written is flock'ed by its writer: recovery leaves such a file alone (it
belongs to a live run), whatever the data dir's lock says. A journal whose run failed to
write (disk full, I/O error) is closed without the rename: it stays ``.part`` and the next
run recovers it like a crashed run's. A torn line names, where it still can, the article it
held (``torn_ids``): the caller makes the state forget it, so it is fetched again.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO

PART = ".part"


class Journal:
    def __init__(self, path: Path):
        self.final = path
        self.partial = path.with_name(path.name + PART)
        self._file: IO[str] | None = None
        self.count = 0

    def append(self, record: dict) -> None:
        if self._file is None:
            self.final.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.partial.open("a", encoding="utf-8")
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a live journal: recovery keeps off
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._file.flush()  # in the OS before the state store hears of it: survives a killed process
        self.count += 1

    def close(self, finish: bool = True) -> None:
        """Fsync and rename into place; with ``finish=False`` (the run failed to write) only close,
        leaving the ``.part`` for the next run's recovery."""
        if self._file is None:
            return
        handle, self._file = self._file, None
        try:
            if finish:
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            try:
                handle.close()
            except OSError:
                pass  # the flush of a failed write failed again: the .part is recovered next run
        if finish:
            os.replace(self.partial, self.final)
            fsync_dir(self.final.parent)


def is_live(partial: Path) -> bool:
    """Whether a writer holds this journal (a run going on now, in this process or another)."""
    try:
        with partial.open("rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
    except FileNotFoundError:
        return False
    return False


ID_RE = re.compile(rb'^\{"id": "((?:[^"\\]|\\.)*)"')


def torn_ids(path: Path) -> list[str]:
    """Article ids of the lines that are not whole JSON (torn or garbled), where a line still shows one."""
    ids = []
    for line in path.read_bytes().split(b"\n"):
        if not line.strip():
            continue
        try:
            json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            match = ID_RE.match(line)
            if match:
                ids.append(match.group(1).decode("utf-8", "replace"))
    return ids


def complete_lines(path: Path) -> list[str]:
    """The journal's whole, parseable lines; torn or garbled ones are left out (``torn_ids`` names them)."""
    lines = []
    for line in path.read_bytes().split(b"\n"):
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
            json.loads(text)
        except (UnicodeDecodeError, ValueError):
            continue
        lines.append(text)
    return lines


def recover(partial: Path, replay: Callable[[dict], None] | None = None,
            forget: Callable[[str], None] | None = None) -> int:
    """Finish a journal a crashed run left behind; returns how many records it kept. ``forget`` is
    called with the id of each torn line's article, so that it is fetched again."""
    lines = complete_lines(partial)
    if forget:
        for article_id in torn_ids(partial):
            forget(article_id)
    if replay:
        for line in lines:
            replay(json.loads(line))
    final = partial.with_name(partial.name.removesuffix(PART))
    if final.exists():  # an earlier recovery renamed it, then died before removing the .part
        partial.unlink()
        return len(lines)
    tmp = partial.with_name(partial.name + ".recovering")
    tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    with tmp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, final)
    partial.unlink()
    fsync_dir(final.parent)
    return len(lines)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
