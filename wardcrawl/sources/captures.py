"""A site's captures in a web archive, as a recovery uses them (pure).

- ``CaptureIndex``: the 200 HTML captures of an index listing by URL, so a link found on an
  archived listing page is fetched from the newest capture of that very URL;
- ``version_chain``: the captures of one article to fetch, oldest first, so that a later
  capture whose text differs becomes the next version (the state store's versions, as for a
  live re-crawl) and identical text makes none;
- ``redirect_target``: where an archived redirect points, as (timestamp, original URL);
- ``memento_timestamp``: a replay's capture time from its ``Memento-Datetime`` header;
- ``to_rows``/``from_rows``: captures as JSON, kept in the state store between runs (a killed
  recovery resumes its index paging where it stopped).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from wardcrawl.sources.commoncrawl import CrawlCapture
from wardcrawl.sources.wayback import HTML_TYPES, ArchivedCapture

# /<14-digit timestamp><modifier>/<original URL>, as a wayback writes replay URLs
REPLAY_PATH = re.compile(r"/(\d{4,14})(?:[a-z]{2}_)?/(https?:/{1,2}.+)$")


def url_form(url: str) -> str:
    """The form two URLs of one page share in an archive's index: no scheme, host lower-case,
    no default port, no fragment, no trailing slash on the path."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port not in (None, 80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def is_page_capture(capture: ArchivedCapture) -> bool:
    return capture.statuscode == "200" and capture.mimetype.lower().startswith(HTML_TYPES)


class CaptureIndex:
    """The page captures (200, HTML) of a listing, by URL form, newest first."""

    def __init__(self, captures: Iterable[ArchivedCapture]):
        self.by_url: dict[str, list[ArchivedCapture]] = {}
        for capture in sorted(captures, key=lambda c: c.timestamp, reverse=True):
            if is_page_capture(capture):
                self.by_url.setdefault(url_form(capture.original), []).append(capture)

    def captures_of(self, url: str) -> list[ArchivedCapture]:
        """The URL's captures, newest first (none: the index does not hold it)."""
        return self.by_url.get(url_form(url), [])


def version_chain(newest_first: list, done: set[tuple[str, str]], since: str | None = None,
                  per_article: int = 5) -> list:
    """The captures of one article to fetch this run, oldest first: the newest ``per_article``,
    captured on or after ``since`` (YYYY-MM-DD), less those a run already processed (``done``:
    (original URL, timestamp))."""
    kept = [c for c in newest_first[:per_article] if not since or c.timestamp[:8] >= since.replace("-", "")]
    return [c for c in reversed(kept) if (c.original, c.timestamp) not in done]


def redirect_target(original: str, timestamp: str, location: str) -> tuple[str, str]:
    """(timestamp, URL) a captured redirect points at: a replay URL names both; a plain one
    (absolute or relative to the redirecting page) is asked at the redirect's own time."""
    match = REPLAY_PATH.search(urlsplit(location).path + ("?" + urlsplit(location).query
                                                          if urlsplit(location).query else ""))
    if match:
        url = re.sub(r"^(https?:)/(?!/)", r"\1//", match.group(2))
        return match.group(1), url
    return timestamp, urljoin(original, location)


def memento_timestamp(value: str | bytes | None) -> str | None:
    """The 14-digit UTC timestamp of a ``Memento-Datetime`` header (RFC 7089), or None."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value.decode("latin-1") if isinstance(value, bytes) else value)
    except (TypeError, ValueError):
        return None
    return moment.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")


def now_timestamp() -> str:
    """A replay timestamp the archive resolves to the newest capture (the closest to now)."""
    return datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")


def to_rows(captures: Iterable[ArchivedCapture]) -> str:
    return json.dumps([dataclasses.asdict(c) for c in captures], ensure_ascii=False)


def from_rows(text: str) -> list[ArchivedCapture]:
    return [CrawlCapture(**row) if "filename" in row else ArchivedCapture(**row) for row in json.loads(text)]
