"""SQLite state store: one file, WAL journal, one transaction per change.

A writer killed at any point leaves the database as of its last commit (SQLite's
guarantee), so a crashed crawl never corrupts what earlier runs recorded.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from wardcrawl.state.model import ArticleState, DeferredRequest, Outcome

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
"""


DEFERRED_COLUMNS = "site, method, url, body, kind, article_id, reason, runs, first_run, last_run"


class StateDamaged(RuntimeError):
    """The state store cannot be read (truncated, overwritten, not a database): nothing may run on it."""


class SqliteStateStore:
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

    def get(self, article_id: str) -> ArticleState | None:
        row = self._db.execute("SELECT article_id, sha256, version, first_seen, last_seen, published_at, body_chars "
                               "FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        return ArticleState(*row) if row else None

    def classify(self, article_id: str, sha256: str) -> Outcome:
        known = self.get(article_id)
        if known is None:
            return Outcome("new", 1, None)
        if known.sha256 == sha256:
            return Outcome("unchanged", known.version, None)
        return Outcome("updated", known.version + 1, known.sha256)

    def remember(self, article_id: str, sha256: str, version: int, published_at: str | None, seen_at: str,
                 body_chars: int | None = None) -> None:
        """Record an exported version; replaying the same version changes nothing (recovery is idempotent)."""
        with self._db:
            self._db.execute(
                "INSERT INTO articles (article_id, sha256, version, first_seen, last_seen, published_at, body_chars) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
                "sha256 = excluded.sha256, version = excluded.version, last_seen = excluded.last_seen, "
                "published_at = COALESCE(excluded.published_at, articles.published_at), "
                "body_chars = COALESCE(excluded.body_chars, articles.body_chars) "
                "WHERE excluded.version >= articles.version",
                (article_id, sha256, version, seen_at, seen_at, published_at, body_chars))

    def forget(self, article_id: str) -> None:
        """Drop an article's row (its feed line was found damaged): the next run fetches it as new."""
        with self._db:
            self._db.execute("DELETE FROM articles WHERE article_id = ?", (article_id,))

    def known_articles(self, site: str) -> dict[str, str | None]:
        """Every archived article id of a site (and every alias of one) -> its publication date."""
        prefix = site + ":%"
        known = dict(self._db.execute("SELECT article_id, published_at FROM articles WHERE article_id LIKE ?",
                                      (prefix,)).fetchall())
        for alias, article_id in self._db.execute("SELECT alias, article_id FROM aliases WHERE alias LIKE ?",
                                                  (prefix,)).fetchall():
            if article_id in known:
                known[alias] = known[article_id]
        return known

    def alias(self, alias: str, article_id: str) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO aliases (alias, article_id) VALUES (?, ?)", (alias, article_id))

    def touch(self, article_id: str, seen_at: str) -> None:
        with self._db:
            self._db.execute("UPDATE articles SET last_seen = ? WHERE article_id = ?", (seen_at, article_id))

    def walk_complete(self, site: str) -> bool:
        row = self._db.execute("SELECT walk_complete FROM sites WHERE site = ?", (site,)).fetchone()
        return bool(row and row[0])

    def set_walk_complete(self, site: str, complete: bool) -> None:
        with self._db:
            self._db.execute("INSERT INTO sites (site, walk_complete) VALUES (?, ?) "
                             "ON CONFLICT(site) DO UPDATE SET walk_complete = excluded.walk_complete",
                             (site, int(complete)))

    def save_run(self, site: str, run_id: str, report: dict) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO runs (site, run_id, report) VALUES (?, ?, ?)",
                             (site, run_id, json.dumps(report, ensure_ascii=False)))

    def previous_run(self, site: str, before_run_id: str) -> dict | None:
        row = self._db.execute("SELECT report FROM runs WHERE site = ? AND run_id < ? ORDER BY run_id DESC LIMIT 1",
                               (site, before_run_id)).fetchone()
        return json.loads(row[0]) if row else None

    # ---- deferred requests (docs/faults.md) ----------------------------------------------
    def defer(self, request: DeferredRequest) -> DeferredRequest:
        """Record a request that failed for good in run ``request.last_run``; a request deferred in an
        earlier run counts one more run. Deferring twice in one run changes nothing. Returns the row."""
        with self._db:
            self._db.execute(
                "INSERT INTO deferred (site, method, url, body, kind, article_id, reason, runs, first_run, last_run) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT(site, method, url, body) DO UPDATE SET "
                "reason = excluded.reason, kind = excluded.kind, article_id = excluded.article_id, "
                "runs = deferred.runs + (deferred.last_run <> excluded.last_run), last_run = excluded.last_run",
                (request.site, request.method, request.url, request.body, request.kind, request.article_id,
                 request.reason, request.last_run, request.last_run))
        return self._deferred_row(request.site, request.method, request.url, request.body)

    def _deferred_row(self, site: str, method: str, url: str, body: str) -> DeferredRequest:
        row = self._db.execute(f"SELECT {DEFERRED_COLUMNS} FROM deferred WHERE site = ? AND method = ? AND url = ? "
                               "AND body = ?", (site, method, url, body)).fetchone()
        return DeferredRequest(*row)

    def deferred(self, site: str) -> list[DeferredRequest]:
        """The site's deferred requests, oldest first."""
        rows = self._db.execute(f"SELECT {DEFERRED_COLUMNS} FROM deferred WHERE site = ? ORDER BY first_run, url",
                                (site,)).fetchall()
        return [DeferredRequest(*row) for row in rows]

    def resolve_deferred(self, site: str, keys: list[tuple[str, str, str]]) -> None:
        """Forget deferred requests (method, url, body) that have now been answered."""
        with self._db:
            self._db.executemany("DELETE FROM deferred WHERE site = ? AND method = ? AND url = ? AND body = ?",
                                 [(site, *key) for key in keys])

    def resolve_deferred_listings(self, site: str, before_run: str) -> int:
        """After a complete walk, forget listing pages deferred by earlier runs (the walk re-read them)."""
        with self._db:
            return self._db.execute("DELETE FROM deferred WHERE site = ? AND kind = 'listing' AND last_run < ?",
                                    (site, before_run)).rowcount

    def mark_gone(self, site: str, url: str, status: int, run_id: str, article_id: str | None = None) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO gone (site, url, article_id, status, first_run, last_run) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(site, url) DO UPDATE SET status = excluded.status, last_run = excluded.last_run, "
                "article_id = COALESCE(excluded.article_id, gone.article_id)",
                (site, url, article_id, status, run_id, run_id))

    def gone(self, site: str) -> dict[str, int]:
        """URL -> the status (404, 410) a site last answered for it."""
        return dict(self._db.execute("SELECT url, status FROM gone WHERE site = ?", (site,)).fetchall())

    def close(self) -> None:
        self._db.close()
