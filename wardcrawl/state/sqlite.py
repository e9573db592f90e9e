"""SQLite state store: one file, WAL journal, one transaction per change (the queries: state/sql.py).

A writer killed at any point leaves the database as of its last commit (SQLite's
guarantee), so a crashed crawl never corrupts what earlier runs recorded.
"""

from __future__ import annotations

import fcntl
import sqlite3
from pathlib import Path
from typing import IO

from wardcrawl.state.sql import SqlStateStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id   TEXT PRIMARY KEY,
    sha256       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    published_at TEXT,
    body_chars   INTEGER  -- length of the archived version's body (content sanity, wardcrawl/sanity.py)
);
CREATE TABLE IF NOT EXISTS aliases (
    alias      TEXT PRIMARY KEY,  -- another key a site's URLs give the same article ("longbien:t:<urlTitle>")
    article_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sites (
    site          TEXT PRIMARY KEY,
    walk_complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS runs (
    site   TEXT NOT NULL,
    run_id TEXT NOT NULL,
    report TEXT NOT NULL,
    PRIMARY KEY (site, run_id)
);
CREATE TABLE IF NOT EXISTS deferred (  -- requests that still failed after the retries: the next run asks first
    site       TEXT NOT NULL,
    method     TEXT NOT NULL,
    url        TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL,  -- "article" or "listing"
    article_id TEXT,
    reason     TEXT NOT NULL,
    runs       INTEGER NOT NULL,  -- how many runs in a row it failed in
    first_run  TEXT NOT NULL,
    last_run   TEXT NOT NULL,
    PRIMARY KEY (site, method, url, body)
);
CREATE TABLE IF NOT EXISTS gone (  -- URLs a site answered 404 or 410
    site       TEXT NOT NULL,
    url        TEXT NOT NULL,
    article_id TEXT,
    status     INTEGER NOT NULL,
    first_run  TEXT NOT NULL,
    last_run   TEXT NOT NULL,
    PRIMARY KEY (site, url)
);
CREATE TABLE IF NOT EXISTS archive_pages (  -- a recovery's index pages read so far (docs/recover.md)
    site      TEXT NOT NULL,
    source    TEXT NOT NULL,  -- "wayback" or "commoncrawl"
    query     TEXT NOT NULL,  -- the index query's first page (a host; a crawl and a host)
    page      INTEGER NOT NULL,
    next_key  TEXT,  -- the resumeKey of the page after it; NULL: the last page
    captures  TEXT NOT NULL,  -- the page's captures, JSON (wardcrawl/sources/captures.py)
    PRIMARY KEY (site, source, query, page)
);
CREATE TABLE IF NOT EXISTS archive_captures (  -- captures a recovery is done with (exported, or no article)
    site      TEXT NOT NULL,
    source    TEXT NOT NULL,
    url       TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    PRIMARY KEY (site, source, url, timestamp)
);
"""


class StateDamaged(RuntimeError):
    """The state store cannot be read (truncated, overwritten, not a database): nothing may run on it."""


class SqliteStateStore(SqlStateStore):
    errors = (sqlite3.Error,)  # what a failed read or write raises (wardcrawl.state.guard stops the run on it)

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes; WAL keeps it consistent
            problems = [row[0] for row in self._db.execute("PRAGMA quick_check(5)").fetchall()]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError("; ".join(problems))
            self._db.executescript(SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
            if "body_chars" not in columns:  # a store from before content sanity
                self._db.execute("ALTER TABLE articles ADD COLUMN body_chars INTEGER")
        except sqlite3.DatabaseError as exc:
            self._db.close()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise
            raise StateDamaged(f"the state store {self.path} is damaged ({exc}); rebuild it from the feeds with "
                               "`scrapy state rebuild`") from exc
        self._locks: dict[str, IO[str]] = {}

    # ---- locks ---------------------------------------------------------------------------
    def try_lock(self, name: str) -> bool:
        """Hold the lock ``name`` (e.g. "site:longbien") until this store closes or its process dies:
        an flock on a file beside the database; False when another store holds it."""
        if name in self._locks:
            return True
        path = self.path.parent / "locks" / (name.replace(":", "-").replace("/", "_") + ".lock")
        path.parent.mkdir(exist_ok=True)
        handle = path.open("a", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._locks[name] = handle
        return True

    def unlock(self, name: str) -> None:
        handle = self._locks.pop(name, None)
        if handle is not None:
            handle.close()  # closing the file releases the flock

    def close(self) -> None:
        for handle in self._locks.values():
            handle.close()
        self._locks.clear()
        self._db.close()
