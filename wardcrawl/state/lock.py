"""One run at a time per data dir: an advisory lock file, ``<data dir>/wardcrawl.lock``
(released by the OS if the holder dies).

Every entry point that writes a data dir takes it: ``scrapy cron``, ``scrapy demo``,
``scrapy crawl`` (and every registry spider, when it opens), ``scrapy extract -O`` into it, and
``scrapy state rebuild|verify --repair``. Within one process the lock is re-entrant: the
crawls ``scrapy cron`` starts run under the lock cron took, and do not refuse themselves.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

from wardcrawl.text.dates import HANOI_TZ

LOCK_NAME = "wardcrawl.lock"


class AlreadyRunning(RuntimeError):
    pass


_held: dict[Path, list] = {}  # lock path -> [open file, holders in this process]
_guard = threading.Lock()


def lock_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / LOCK_NAME


def data_dir_lock(settings) -> Path | None:
    """The data dir's lock file; None where a shared (PostgreSQL) state store's per-site locks guard
    each site instead, so that scrapyd nodes sharing one DATA_DIR run their jobs side by side
    (docs/distributed.md)."""
    from wardcrawl.state import is_postgres

    return None if is_postgres(settings.get("STATE_URL")) else lock_path(settings.get("DATA_DIR", "data"))


def acquire(path: Path, what: str = "") -> None:
    """Take the lock at ``path`` (or count one more holder in this process); AlreadyRunning when
    another process holds it."""
    path = Path(path).resolve()
    with _guard:
        if path in _held:
            _held[path][1] += 1
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle: IO[str] = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise AlreadyRunning(f"another wardcrawl run holds {path} ({holder}); not starting") from None
        handle.seek(0)
        handle.truncate()
        started = datetime.now(HANOI_TZ).isoformat(timespec="seconds")
        handle.write(f"pid {os.getpid()}{', ' + what if what else ''}, started {started}")
        handle.flush()
        _held[path] = [handle, 1]


def release(path: Path) -> None:
    path = Path(path).resolve()
    with _guard:
        entry = _held.get(path)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1]:
            return
        del _held[path]
        handle = entry[0]
        with contextlib.suppress(OSError):  # a full disk must not keep the lock: closing releases it
            handle.seek(0)
            handle.truncate()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


@contextlib.contextmanager
def run_lock(path: Path | None, what: str = "") -> Iterator[None]:
    """Hold the lock at ``path`` for the block (nothing when ``path`` is None: data_dir_lock)."""
    if path is None:
        yield
        return
    acquire(path, what)
    try:
        yield
    finally:
        release(path)

