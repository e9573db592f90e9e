"""Where the bytes of a WARC record came from, for ``scrapy extract`` (pure).

A record re-extracted from a WARC file is ``source = "warc-file"``; but a WARC written by
``scrapy recover`` holds what we fetched from a web archive, and the record keeps what that
recovery recorded (wardcrawl/spiders/archives.py), read back from the WARC alone:

- a Wayback ``id_`` replay (``<wayback>/<14-digit timestamp>id_/<original URL>``): ``wayback``,
  the page under its original URL, ``captured_at`` from ``Memento-Datetime`` (else the URL's
  timestamp), ``archive_url`` the replay URL of that capture;
- a Common Crawl range answer (206, ``Content-Range``, one whole WARC response record):
  ``commoncrawl``, the inner record's page under its own target URI, ``captured_at`` its
  ``WARC-Date``, ``archive_url`` the file's URL with ``#offset=…&length=…``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from warcio.timeutils import iso_date_to_datetime

from wardcrawl.archive.read import ArchivedResponse, to_scrapy_response
from wardcrawl.text.decoding import decoded_response
from wardcrawl.sources import commoncrawl
from wardcrawl.sources.captures import memento_timestamp
from wardcrawl.text.dates import HANOI_TZ

WARC_FILE = "warc-file"
# <base>/<timestamp>id_/<original URL>: the raw form a recovery fetches (other replay forms rewrite the page)
ID_REPLAY = re.compile(r"^(?P<base>https?://[^/]+(?:/.*?)?)/(?P<ts>\d{14})id_/(?P<original>https?:/{1,2}.+)$")


@dataclass(frozen=True)
class Provenance:
    source: str = WARC_FILE
    captured_at: str | None = None
    archive_url: str | None = None

    def fields(self) -> dict:
        return dataclasses.asdict(self)


def _hanoi(moment: datetime) -> str:
    return moment.astimezone(HANOI_TZ).isoformat(timespec="seconds")


def archived_page(capture: ArchivedResponse) -> tuple[ArchivedResponse, Provenance]:
    """(the page the record holds, under its original URL, and where its bytes came from)."""
    return _wayback(capture) or _commoncrawl(capture) or (capture, Provenance())


def _wayback(capture: ArchivedResponse):
    match = ID_REPLAY.match(capture.url)
    if match is None:
        return None
    original = re.sub(r"^(https?:)/(?!/)", r"\1//", match.group("original"))
    timestamp = memento_timestamp(capture.response.headers.get("Memento-Datetime")) or match.group("ts")
    archive_url = f"{match.group('base')}/{timestamp}id_/{original}"  # as the recovery names the capture
    moment = datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    page = dataclasses.replace(capture, url=original, response=capture.response.replace(url=original))
    return page, Provenance("wayback", _hanoi(moment), archive_url)


def _commoncrawl(capture: ArchivedResponse):
    if capture.status != 206:
        return None
    location = commoncrawl.record_location(capture.response.headers.get("Content-Range"))
    record = commoncrawl.read_response_record(capture.response.body) if location else None
    if record is None:
        return None
    warc_headers, http, payload = record
    original = (warc_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    date = warc_headers.get_header("WARC-Date")
    if not original or not date:
        return None
    response = decoded_response(to_scrapy_response(original, http, payload))  # as the recovery reads it
    page = dataclasses.replace(capture, url=original, response=response, status=response.status)
    offset, length = location
    moment = iso_date_to_datetime(date, tz_aware=True)
    return page, Provenance("commoncrawl", _hanoi(moment), f"{capture.url}#offset={offset}&length={length}")
