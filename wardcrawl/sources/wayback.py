"""The Wayback Machine as a source: its CDX API lists a site's captures, ``id_`` replay gives
each capture's bytes as archived (no banner, no rewritten links).

Pure functions; the recovery spider (wardcrawl/spiders/recovery.py) does the requests.

- CDX query (the Internet Archive's CDX server API): ``<cdx>?url=<host>/*&output=json
  &filter=statuscode:200&collapse=digest&showResumeKey=true&limit=N[&resumeKey=K]``. Its JSON
  answer is an array of arrays, the first the field names (urlkey, timestamp, original,
  mimetype, statuscode, digest, length); with ``showResumeKey`` an empty row and
  ``[resumeKey]`` close the page. pywb's CDX server (which an institution's own wayback may
  run) answers ``output=json`` with one JSON object per line instead, under its own names
  (url, mime, status), and does not page: both are read. No ``fl``: pywb leaves out the
  fields it asks for by the Internet Archive's names.
- Replay: ``<wayback>/<timestamp>id_/<original URL>``.

Base URLs are settings (``WAYBACK_URL``, ``WAYBACK_CDX_URL``), so a private pywb or another
institution's wayback serves as well.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlencode, urlsplit

DEFAULT_WAYBACK_URL = "https://web.archive.org/web"
DEFAULT_CDX_URL = "https://web.archive.org/cdx/search/cdx"
CDX_PAGE_SIZE = 5000
HTML_TYPES = ("text/html", "application/xhtml+xml", "warc/revisit", "unk")  # what a capture of a page may say


@dataclass(frozen=True)
class ArchivedCapture:
    original: str  # the URL as captured
    timestamp: str  # 14 digits, UTC
    statuscode: str
    mimetype: str
    digest: str

    @property
    def captured_at(self) -> datetime:
        return datetime.strptime(self.timestamp[:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)


def cdx_query(cdx_url: str, host: str, resume_key: str | None = None, limit: int = CDX_PAGE_SIZE) -> str:
    """The CDX URL listing a host's successful captures, one capture per distinct payload."""
    params = [("url", f"{host}/*"), ("output", "json"), ("filter", "statuscode:200"), ("collapse", "digest"), ("showResumeKey", "true"), ("limit", str(limit))]
    query = f"{cdx_url}?{urlencode(params)}"
    return with_resume_key(query, resume_key) if resume_key else query


def with_resume_key(query: str, resume_key: str) -> str:
    """The next page of a CDX query (``showResumeKey``'s key)."""
    return f"{query}&{urlencode([('resumeKey', resume_key)])}"


def parse_cdx(body: bytes) -> tuple[list[ArchivedCapture], str | None]:
    """(captures, resume key or None) from a CDX answer: the Internet Archive's JSON array of
    rows, or pywb's JSON lines."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return [], None
    if text.startswith("["):
        rows = json.loads(text)
        if not rows:
            return [], None
        header, rows = rows[0], rows[1:]
        resume = None
        if len(rows) >= 2 and rows[-2] == [] and len(rows[-1]) == 1:  # showResumeKey: [], [key]
            resume, rows = rows[-1][0], rows[:-2]
        return [_capture(dict(zip(header, row))) for row in rows if row], resume
    return [_capture(json.loads(line)) for line in text.splitlines() if line.strip()], None


def _capture(row: dict) -> ArchivedCapture:
    # pywb names some fields its own way (url, status, mime) unless asked with fl
    return ArchivedCapture(original=row.get("original") or row.get("url") or "",
                           timestamp=str(row.get("timestamp", "")),
                           statuscode=str(row.get("statuscode") or row.get("status") or ""),
                           mimetype=row.get("mimetype") or row.get("mime") or "",
                           digest=row.get("digest") or "")


def replay_url(wayback_url: str, capture: ArchivedCapture) -> str:
    """The raw bytes of a capture: ``<wayback>/<timestamp>id_/<original>``."""
    return f"{wayback_url.rstrip('/')}/{capture.timestamp}id_/{capture.original}"


def article_captures(captures: Iterable[ArchivedCapture], article_key: Callable[[str], str | None],
                     hosts: Iterable[str]) -> list[tuple[str, list[ArchivedCapture]]]:
    """The captures to try for each article: (key, its captures newest first), newest key first.

    Only 200s of HTML pages on the site's hosts whose URL the site's spider takes for an
    article (its article key: one article under many URL variants is one key), one per
    payload digest. The newest is parsed first; an older one only when a newer one holds no
    article (a parked domain's page, an error page served with a 200).
    """
    hosts = {h.lower() for h in hosts}
    by_key: dict[str, list[ArchivedCapture]] = {}
    digests: set[tuple[str, str]] = set()
    for capture in sorted(captures, key=lambda c: c.timestamp, reverse=True):
        if capture.statuscode != "200" or not capture.mimetype.lower().startswith(HTML_TYPES):
            continue
        if (urlsplit(capture.original).hostname or "").lower() not in hosts:
            continue
        key = article_key(capture.original)
        if key is None or (capture.digest and (key, capture.digest) in digests):
            continue
        digests.add((key, capture.digest))
        by_key.setdefault(key, []).append(capture)
    return list(by_key.items())
