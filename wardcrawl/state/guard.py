"""Write failures (disk full, read-only, I/O error) stop a crawl cleanly.

``fail_write`` logs one short line saying what and where, records it in the stats
(``wardcrawl/write_failed/<what>``: the run report marks the run failed, exit status 3)
and closes the spider with finish reason ``write_failed``. ``guarded_store`` wraps the state
store so that every write to it fails that way; the journal of a run that failed to write is
left as ``.part`` for the next run to recover, so nothing is marked archived that is not in
a finished feed.
"""

from __future__ import annotations

import logging
import sqlite3

from scrapy.utils.defer import deferred_from_coro

from wardcrawl.state import open_store

logger = logging.getLogger(__name__)

WRITE_FAILED = "write_failed"  # the finish reason of a crawl stopped by a write failure
STAT_PREFIX = "wardcrawl/write_failed/"
STORE_ERRORS = (OSError, sqlite3.Error)


class WriteFailed(RuntimeError):
    """A write failed and the run is stopping; raised so that the caller does not go on."""


def describe(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def fail_write(crawler, what: str, where, exc: BaseException) -> WriteFailed:
    """Record a failed write of ``what`` (journal, state, rejects, stats...) at ``where`` and stop the
    crawl; returns the exception for the caller to raise."""
    message = f"cannot write the {what} ({where}): {describe(exc)}; the run stops"
    key = STAT_PREFIX + what
    first = not any(k.startswith(STAT_PREFIX) for k in crawler.stats.get_stats())
    if crawler.stats.get_value(key) is None:
        crawler.stats.set_value(key, message)
    if first:
        logger.error("wardcrawl: %s", message)
        engine = crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(_close(engine))
    return WriteFailed(message)


async def _close(engine) -> None:
    try:
        await engine.close_spider_async(reason=WRITE_FAILED)
    except RuntimeError:
        pass  # closed already (the failure came while closing)


def write_failures(stats: dict) -> dict[str, str]:
    """what -> message, for each kind of write that failed in a crawl."""
    return {k[len(STAT_PREFIX):]: v for k, v in stats.items() if k.startswith(STAT_PREFIX)}


class GuardedStore:
    """A state store whose writes (and reads: a store that cannot be read is as bad) end the crawl
    through ``fail_write`` instead of raising a traceback per call."""

    def __init__(self, store, crawler):
        self._store, self._crawler = store, crawler
        self._errors = (OSError, *getattr(store, "errors", (sqlite3.Error,)))  # the backend's own failures

    def __getattr__(self, name):
        method = getattr(self._store, name)
        if not callable(method) or name == "close":
            return method

        def guarded(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except self._errors as exc:
                raise fail_write(self._crawler, "state", getattr(self._store, "path", "state store"), exc) from exc

        return guarded


def guarded_store(crawler) -> GuardedStore:
    return GuardedStore(open_store(crawler.settings), crawler)
