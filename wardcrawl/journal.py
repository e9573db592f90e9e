"""The export journal: exactly-once JSON lines across crashes.

Each exported record is appended to ``<site>-<run>.jsonl.part`` and flushed *before* the
state store records it. At close the journal is fsynced and renamed to its final name.
After a crash (even SIGKILL) the next run recovers leftover journals: complete lines are
kept and replayed into the state store (idempotently), a torn last line is dropped (that
record was never recorded as archived, so it is fetched again), and the file is renamed
into place. So every record reaches exactly one final file, once.
"""

from __future__ import annotations

import json
import os
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
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._file.flush()  # in the OS before the state store hears of it: survives a killed process
        self.count += 1

    def close(self) -> None:
        if self._file is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file = None
        os.replace(self.partial, self.final)
        fsync_dir(self.final.parent)


def complete_lines(path: Path) -> list[str]:
    """The journal's whole, parseable lines; a torn or garbled tail is left out."""
    lines = []
    for line in path.read_bytes().split(b"\n"):
        try:
            text = line.decode("utf-8")
            json.loads(text)
        except (UnicodeDecodeError, ValueError):
            break  # a torn write can only be the last line
        lines.append(text)
    return lines


def recover(partial: Path, replay: Callable[[dict], None] | None = None) -> int:
    """Finish a journal a crashed run left behind; returns how many records it kept."""
    lines = complete_lines(partial)
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
