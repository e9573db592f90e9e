"""Feed storage that never leaves a half-written file under the final name.

Items are written to ``<final>.part`` in the same directory; only when the feed is
closed is the file flushed, fsynced and renamed into place (``os.replace`` is atomic on
POSIX). A crash leaves at most a ``.part`` file, never a partial line under the final name.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage


FEED_TEMPLATE = "%(name)s/%(name)s-%(run_id)s.jsonl"


def feeds_under(data_dir: str) -> dict:
    """FEEDS setting: one JSON-lines file per site per run under ``data_dir``."""
    return {f"{data_dir}/{FEED_TEMPLATE}": {"format": "jsonlines", "encoding": "utf-8"}}


class AtomicFileFeedStorage(FileFeedStorage):
    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None):
        super().__init__(uri, feed_options=feed_options)
        self.final = Path(self.path)
        self.partial = self.final.with_name(self.final.name + ".part")

    def open(self, spider) -> IO[bytes]:
        self.final.parent.mkdir(parents=True, exist_ok=True)
        if self.write_mode == "ab" and self.final.exists():  # -o appends: start from the old file
            shutil.copyfile(self.final, self.partial)
            return self.partial.open("ab")
        return self.partial.open("wb")

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        os.replace(self.partial, self.final)
        _fsync_dir(self.final.parent)


class AtomicJsonLines:
    """A JSON-lines file written to ``.part`` and renamed into place on close."""

    def __init__(self, path: Path):
        self.final = path
        self.partial = path.with_name(path.name + ".part")
        self._file: IO[str] | None = None
        self.count = 0

    def write(self, line: str) -> None:
        if self._file is None:
            self.final.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.partial.open("w", encoding="utf-8")
        self._file.write(line + "\n")
        self.count += 1

    def close(self) -> None:
        if self._file is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.partial, self.final)
        _fsync_dir(self.final.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
