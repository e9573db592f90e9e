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

from wardcrawl.state.journal import fsync_dir


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
        fsync_dir(self.final.parent)
