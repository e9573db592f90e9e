"""The state store's queries, shared by the SQLite and PostgreSQL stores.

Both speak the same SQL here (upserts with ``ON CONFLICT``, ``RETURNING``), written with
``?`` placeholders; the PostgreSQL store turns them into ``%s``. Every change is one
autocommitted statement: a writer killed at any point leaves the database as of its last
statement, and replaying a journal line is idempotent. The subclasses bring the schema, the
connection, how a JSON report is stored, and the locks.
"""

from __future__ import annotations

import json

from wardcrawl.state.model import ArticleState, DeferredRequest, Outcome

DEFERRED_COLUMNS = "site, method, url, body, kind, article_id, reason, runs, first_run, last_run"


class SqlStateStore:
    placeholder = "?"

    def _execute(self, sql: str, params=()):
        if self.placeholder != "?":
            sql = sql.replace("?", self.placeholder)
        return self._db.execute(sql, params)

    def _one(self, sql: str, params=()):
        return self._execute(sql, params).fetchone()

    def _all(self, sql: str, params=()) -> list:
        return self._execute(sql, params).fetchall()

    # How a run report is stored: JSON text (SQLite), JSONB (PostgreSQL).
    def _report_param(self, report: dict):
        return json.dumps(report, ensure_ascii=False)

    def _report_value(self, value) -> dict:
        return json.loads(value)

    def get(self, article_id: str) -> ArticleState | None:
        row = self._one("SELECT article_id, sha256, version, first_seen, last_seen, published_at, body_chars "
                        "FROM articles WHERE article_id = ?", (article_id,))
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
        self._execute(
            "INSERT INTO articles (article_id, sha256, version, first_seen, last_seen, published_at, body_chars) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
            "sha256 = excluded.sha256, version = excluded.version, last_seen = excluded.last_seen, "
            "published_at = COALESCE(excluded.published_at, articles.published_at), "
            "body_chars = COALESCE(excluded.body_chars, articles.body_chars) "
            "WHERE excluded.version >= articles.version",
            (article_id, sha256, version, seen_at, seen_at, published_at, body_chars))

    def forget(self, article_id: str) -> None:
        """Drop an article's row (its feed line was found damaged): the next run fetches it as new."""
        self._execute("DELETE FROM articles WHERE article_id = ?", (article_id,))

    def known_articles(self, site: str) -> dict[str, str | None]:
        """Every archived article id of a site (and every alias of one) -> its publication date."""
        prefix = site + ":%"
        known = dict(self._all("SELECT article_id, published_at FROM articles WHERE article_id LIKE ?", (prefix,)))
        for alias, article_id in self._all("SELECT alias, article_id FROM aliases WHERE alias LIKE ?", (prefix,)):
            if article_id in known:
                known[alias] = known[article_id]
        return known

    def alias(self, alias: str, article_id: str) -> None:
        self._execute("INSERT INTO aliases (alias, article_id) VALUES (?, ?) "
                      "ON CONFLICT (alias) DO UPDATE SET article_id = excluded.article_id", (alias, article_id))

    def touch(self, article_id: str, seen_at: str) -> None:
        self._execute("UPDATE articles SET last_seen = ? WHERE article_id = ?", (seen_at, article_id))

    def walk_complete(self, site: str) -> bool:
        row = self._one("SELECT walk_complete FROM sites WHERE site = ?", (site,))
        return bool(row and row[0])

    def set_walk_complete(self, site: str, complete: bool) -> None:
        self._execute("INSERT INTO sites (site, walk_complete) VALUES (?, ?) "
                      "ON CONFLICT (site) DO UPDATE SET walk_complete = excluded.walk_complete", (site, int(complete)))

    def save_run(self, site: str, run_id: str, report: dict) -> None:
        self._execute("INSERT INTO runs (site, run_id, report) VALUES (?, ?, ?) "
                      "ON CONFLICT (site, run_id) DO UPDATE SET report = excluded.report",
                      (site, run_id, self._report_param(report)))

    def run_report(self, site: str, run_id: str) -> dict | None:
        row = self._one("SELECT report FROM runs WHERE site = ? AND run_id = ?", (site, run_id))
        return self._report_value(row[0]) if row else None

    def previous_run(self, site: str, before_run_id: str) -> dict | None:
        row = self._one("SELECT report FROM runs WHERE site = ? AND run_id < ? ORDER BY run_id DESC LIMIT 1",
                        (site, before_run_id))
        return self._report_value(row[0]) if row else None

    def runs(self) -> list[tuple[str, str, dict]]:
        """Every saved run report as (site, run_id, report), oldest run first (the HTML report reads these)."""
        rows = self._all("SELECT site, run_id, report FROM runs ORDER BY run_id, site")
        return [(site, run_id, self._report_value(report)) for site, run_id, report in rows]

    # ---- deferred requests (docs/faults.md) ----------------------------------------------
    def defer(self, request: DeferredRequest) -> DeferredRequest:
        """Record a request that failed for good in run ``request.last_run``; a request deferred in an
        earlier run counts one more run. Deferring twice in one run changes nothing. Returns the row."""
        row = self._one(
            "INSERT INTO deferred (site, method, url, body, kind, article_id, reason, runs, first_run, last_run) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (site, method, url, body) DO UPDATE SET "
            "reason = excluded.reason, kind = excluded.kind, article_id = excluded.article_id, "
            "runs = deferred.runs + CASE WHEN deferred.last_run <> excluded.last_run THEN 1 ELSE 0 END, "
            f"last_run = excluded.last_run RETURNING {DEFERRED_COLUMNS}",
            (request.site, request.method, request.url, request.body, request.kind, request.article_id,
             request.reason, request.last_run, request.last_run))
        return DeferredRequest(*row)

    def deferred(self, site: str) -> list[DeferredRequest]:
        """The site's deferred requests, oldest first."""
        rows = self._all(f"SELECT {DEFERRED_COLUMNS} FROM deferred WHERE site = ? ORDER BY first_run, url", (site,))
        return [DeferredRequest(*row) for row in rows]

    def resolve_deferred(self, site: str, keys: list[tuple[str, str, str]]) -> None:
        """Forget deferred requests (method, url, body) that have now been answered."""
        for key in keys:
            self._execute("DELETE FROM deferred WHERE site = ? AND method = ? AND url = ? AND body = ?", (site, *key))

    def resolve_deferred_listings(self, site: str, before_run: str) -> int:
        """After a complete walk, forget listing pages deferred by earlier runs (the walk re-read them)."""
        return self._execute("DELETE FROM deferred WHERE site = ? AND kind = 'listing' AND last_run < ?",
                             (site, before_run)).rowcount

    def mark_gone(self, site: str, url: str, status: int, run_id: str, article_id: str | None = None) -> None:
        self._execute(
            "INSERT INTO gone (site, url, article_id, status, first_run, last_run) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (site, url) DO UPDATE SET status = excluded.status, last_run = excluded.last_run, "
            "article_id = COALESCE(excluded.article_id, gone.article_id)",
            (site, url, article_id, status, run_id, run_id))

    def gone(self, site: str) -> dict[str, int]:
        """URL -> the status (404, 410) a site last answered for it."""
        return dict(self._all("SELECT url, status FROM gone WHERE site = ?", (site,)))

    # ---- recovery from web archives (wardcrawl/spiders/recovery.py) -----------------------
    def save_archive_page(self, site: str, source: str, query: str, page: int, next_key: str | None,
                          captures: str) -> None:
        """An index page read: its captures (JSON) and the resumeKey of the next page (None: the last)."""
        self._execute("INSERT INTO archive_pages (site, source, query, page, next_key, captures) "
                      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, source, query, page) DO UPDATE SET "
                      "next_key = excluded.next_key, captures = excluded.captures",
                      (site, source, query, page, next_key, captures))

    def archive_pages(self, site: str, source: str) -> list[tuple[str, int, str | None, str]]:
        """The index pages an unfinished recovery read: (query, page, next_key, captures), in page order."""
        return [tuple(row) for row in self._all(
            "SELECT query, page, next_key, captures FROM archive_pages WHERE site = ? AND source = ? "
            "ORDER BY query, page", (site, source))]

    def clear_archive_pages(self, site: str, source: str) -> None:
        """A recovery finished: the next one lists the archive afresh (it may hold new captures)."""
        self._execute("DELETE FROM archive_pages WHERE site = ? AND source = ?", (site, source))

    def capture_done(self, site: str, source: str, url: str, timestamp: str) -> None:
        self._execute("INSERT INTO archive_captures (site, source, url, timestamp) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT DO NOTHING", (site, source, url, timestamp))

    def captures_done(self, site: str, source: str) -> set[tuple[str, str]]:
        """(URL, timestamp) of every capture a recovery of the site is done with."""
        return {tuple(row) for row in self._all("SELECT url, timestamp FROM archive_captures "
                                                "WHERE site = ? AND source = ?", (site, source))}

    def close(self) -> None:
        self._db.close()
