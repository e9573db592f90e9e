"""State across runs: what was archived, in which version, and how each run went.

``StateStore`` is the interface; ``open_store`` picks the implementation from ``STATE_URL``:
``SqliteStateStore`` (the default: one file under data/, WAL, transactions) or, for runs
spread over several machines, ``PostgresStateStore`` (``STATE_URL=postgresql://…``, one
database shared by every node; docs/distributed.md). Nothing else touches either database.
Opening a store that cannot be read raises ``StateDamaged`` (its message names the recovery
command, `scrapy state rebuild`); a write that fails raises the backend's error (the store's
``errors``), which wardcrawl.state.guard turns into a stopped run.
One run at a time per data dir: wardcrawl.state.lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from wardcrawl.state.model import ArticleState, DeferredRequest, Outcome
from wardcrawl.state.sqlite import SqliteStateStore, StateDamaged

__all__ = ["ArticleState", "DeferredRequest", "Outcome", "StateStore", "SqliteStateStore", "StateDamaged",
           "lock_is_free", "open_store"]


class StateStore(Protocol):
    """``errors``: the backend's exception types for a failed read or write (a tuple, e.g.
    ``(sqlite3.Error,)``); wardcrawl.state.guard turns them, and OSError, into a stopped run
    (exit status 3) instead of a traceback per call."""

    errors: tuple[type[BaseException], ...]

    def get(self, article_id: str) -> ArticleState | None: ...

    def classify(self, article_id: str, sha256: str) -> Outcome: ...

    def remember(self, article_id: str, sha256: str, version: int, published_at: str | None, seen_at: str,
                 body_chars: int | None = None) -> None:
        """Record an exported version (idempotent; an older version never overwrites a newer one).
        ``body_chars``, the length of its body, is what content sanity (wardcrawl/sanity.py) compares
        the next capture with; ``get`` hands it back in ``ArticleState.body_chars``."""
        ...

    def forget(self, article_id: str) -> None:
        """Drop an article's row, aliases aside: its feed line was damaged or lost (`scrapy state verify
        --repair`, journal recovery), so the next run fetches it as new."""
        ...

    def touch(self, article_id: str, seen_at: str) -> None: ...

    def known_articles(self, site: str) -> dict[str, str | None]: ...

    def alias(self, alias: str, article_id: str) -> None: ...

    def walk_complete(self, site: str) -> bool: ...

    def set_walk_complete(self, site: str, complete: bool) -> None: ...

    def save_run(self, site: str, run_id: str, report: dict) -> None: ...

    def run_report(self, site: str, run_id: str) -> dict | None: ...

    def previous_run(self, site: str, before_run_id: str) -> dict | None: ...

    def runs(self) -> list[tuple[str, str, dict]]: ...

    def defer(self, request: DeferredRequest) -> DeferredRequest: ...

    def deferred(self, site: str) -> list[DeferredRequest]: ...

    def resolve_deferred(self, site: str, keys: list[tuple[str, str, str]]) -> None: ...

    def resolve_deferred_listings(self, site: str, before_run: str) -> int: ...

    def mark_gone(self, site: str, url: str, status: int, run_id: str, article_id: str | None = None) -> None: ...

    def gone(self, site: str) -> dict[str, int]: ...

    def save_archive_page(self, site: str, source: str, query: str, page: int, next_key: str | None,
                          captures: str) -> None: ...

    def archive_pages(self, site: str, source: str) -> list[tuple[str, int, str | None, str]]: ...

    def clear_archive_pages(self, site: str, source: str) -> None: ...

    def capture_done(self, site: str, source: str, url: str, timestamp: str) -> None: ...

    def captures_done(self, site: str, source: str) -> set[tuple[str, str]]: ...

    def try_lock(self, name: str) -> bool: ...

    def unlock(self, name: str) -> None: ...

    def close(self) -> None: ...


def lock_is_free(store: StateStore, name: str) -> bool:
    """Whether no other process holds the lock ``name`` now (taken and given back at once)."""
    if store.try_lock(name):
        store.unlock(name)
        return True
    return False


POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in POSTGRES_SCHEMES


def open_store(settings) -> StateStore:
    """The store ``STATE_URL`` names (``postgresql://…`` or ``sqlite:///path``); by default
    STATE_PATH, else DATA_DIR/state.sqlite3."""
    url = settings.get("STATE_URL")
    if is_postgres(url):
        from wardcrawl.state.postgres import PostgresStateStore  # psycopg only where it is used

        return PostgresStateStore(url)
    if url and not url.startswith("sqlite:///"):
        raise ValueError(f"STATE_URL must be postgresql://… or sqlite:///path, not {url.split(':', 1)[0]}:…")
    path = url.removeprefix("sqlite://") if url else settings.get("STATE_PATH")
    return SqliteStateStore(Path(path or Path(settings.get("DATA_DIR", "data")) / "state.sqlite3"))
