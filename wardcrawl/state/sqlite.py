"""SQLite state store: one file, WAL journal, one transaction per change.

A writer killed at any point leaves the database as of its last commit (SQLite's
guarantee), so a crashed crawl never corrupts what earlier runs recorded.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from wardcrawl.state.model import ArticleState, Outcome

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id   TEXT PRIMARY KEY,
    sha256       TEXT NOT NULL,
    version      INTEGER NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    published_at TEXT
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
"""


class SqliteStateStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes; WAL keeps it consistent
        self._db.executescript(SCHEMA)

    def get(self, article_id: str) -> ArticleState | None:
        row = self._db.execute("SELECT article_id, sha256, version, first_seen, last_seen, published_at "
                               "FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        return ArticleState(*row) if row else None

    def classify(self, article_id: str, sha256: str) -> Outcome:
        known = self.get(article_id)
        if known is None:
            return Outcome("new", 1, None)
        if known.sha256 == sha256:
            return Outcome("unchanged", known.version, None)
        return Outcome("updated", known.version + 1, known.sha256)

    def remember(self, article_id: str, sha256: str, version: int, published_at: str | None, seen_at: str) -> None:
        """Record an exported version; replaying the same version changes nothing (recovery is idempotent)."""
        with self._db:
            self._db.execute(
                "INSERT INTO articles (article_id, sha256, version, first_seen, last_seen, published_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
                "sha256 = excluded.sha256, version = excluded.version, last_seen = excluded.last_seen, "
                "published_at = COALESCE(excluded.published_at, articles.published_at) "
                "WHERE excluded.version >= articles.version",
                (article_id, sha256, version, seen_at, seen_at, published_at))

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

    def count(self, prefix: str) -> int:
        return self._db.execute("SELECT COUNT(*) FROM articles WHERE article_id LIKE ?", (prefix + "%",)).fetchone()[0]

    def close(self) -> None:
        self._db.close()
