"""Plain values the state store hands out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleState:
    article_id: str
    sha256: str
    version: int
    first_seen: str
    last_seen: str
    published_at: str | None
    body_chars: int | None = None  # length of the archived version's body (None: not recorded)


@dataclass(frozen=True)
class Outcome:
    """What a freshly parsed article is, compared with the archive."""

    kind: str  # "new", "updated" or "unchanged"
    version: int  # the version to export (or the current one, when unchanged)
    previous_sha256: str | None


@dataclass(frozen=True)
class DeferredRequest:
    """A request that still failed after the retries (or was asked to wait past the cap): the
    next run asks for it first. ``runs`` counts the runs in a row it failed in."""

    site: str
    method: str
    url: str
    body: str
    kind: str  # "article" or "listing"
    article_id: str | None
    reason: str
    runs: int = 1
    first_run: str = ""
    last_run: str = ""
