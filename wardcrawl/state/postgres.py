"""PostgreSQL state store: one database shared by every node of a distributed run.

Selected by ``STATE_URL=postgresql://…`` (docs/distributed.md). Same tables, queries
(state/sql.py) and semantics as the SQLite store: every change is one autocommitted
statement, so a writer killed at any point leaves the database as of its last statement,
and replaying a journal is idempotent. Text keys
use the "C" collation: run ids and article-id prefixes compare bytewise, as in SQLite, and a
``LIKE 'site:%'`` scan uses the primary key's index.

Locks are PostgreSQL session advisory locks held by this store's connection: the server drops
them when the connection ends, so a node that dies (or a job killed with -9) frees its sites.
"""

from __future__ import annotations

import psycopg
from psycopg.types.json import Jsonb

from wardcrawl.state.sql import SqlStateStore
from wardcrawl.state.sqlite import SCHEMA as SQLITE_SCHEMA

# SQLite's tables, with bytewise text ("C" collation) and the run reports as JSONB.
SCHEMA = SQLITE_SCHEMA.replace(" TEXT", ' TEXT COLLATE "C"').replace('report TEXT COLLATE "C"', "report JSONB")
# Two stores creating the tables at once would race in the catalogue: one creates, the others wait.
SCHEMA_LOCK = "wardcrawl:schema"


class PostgresStateStore(SqlStateStore):
    placeholder = "%s"
    errors = (psycopg.Error,)  # what a failed read or write raises (wardcrawl.state.guard stops the run on it)

    def __init__(self, url: str):
        self.url = url
        # keepalives: a node that vanishes without closing its connection frees its locks in about a minute
        self._db = psycopg.connect(url, autocommit=True, keepalives=1, keepalives_idle=30,
                                   keepalives_interval=10, keepalives_count=3)
        self._locks: set[str] = set()
        # As the SQLite store's synchronous=NORMAL: a commit survives this process dying at once, and a
        # server crash loses at most the last moments' commits, never consistency; the export journal
        # replays those (wardcrawl/state/journal.py). Not a WAL flush per article.
        self._db.execute("SET synchronous_commit = off")
        with self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (SCHEMA_LOCK,))
            self._db.execute(SCHEMA)
            # a store from before content sanity (wardcrawl/text/sanity.py) lacks the body length
            self._db.execute("ALTER TABLE articles ADD COLUMN IF NOT EXISTS body_chars INTEGER")

    def _report_param(self, report: dict):
        return Jsonb(report)

    def _report_value(self, value) -> dict:
        return value  # psycopg loads JSONB

    # ---- locks ---------------------------------------------------------------------------
    def try_lock(self, name: str) -> bool:
        """Hold the lock ``name`` (e.g. "site:longbien") until this store closes or its process dies;
        False when another connection, on any node, holds it."""
        if name in self._locks:  # PostgreSQL counts re-locks; one unlock must free it, as in SQLite
            return True
        if self._one("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (f"wardcrawl:{name}",))[0]:
            self._locks.add(name)
            return True
        return False

    def unlock(self, name: str) -> None:
        if name in self._locks:
            self._locks.discard(name)
            self._one("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (f"wardcrawl:{name}",))
