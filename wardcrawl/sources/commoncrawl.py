"""Common Crawl as a source: its index server lists a site's captures with the WARC file,
offset and length of each record; an HTTP range request gets that one record from the data
host, and warcio reads it.

Pure functions; the recovery spider (wardcrawl/spiders/recovery.py) does the requests.

- Index query: ``<index>/<crawl>-index?url=<host>/*&output=json&filter=status:200``; the
  answer is one JSON object per line (``url``, ``timestamp``, ``status``, ``mime``,
  ``digest``, ``filename``, ``offset``, ``length``): Common Crawl's index server is pywb's CDX
  server, so a pywb collection's ``/<coll>/cdx`` answers alike.
- Record: ``GET <data>/<filename>`` with ``Range: bytes=<offset>-<offset+length-1>``: one
  gzip member, a whole WARC ``response`` record.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from warcio.archiveiterator import ArchiveIterator

from wardcrawl.sources.wayback import ArchivedCapture

DEFAULT_INDEX_URL = "https://index.commoncrawl.org"
DEFAULT_DATA_URL = "https://data.commoncrawl.org"


@dataclass(frozen=True)
class CrawlCapture(ArchivedCapture):
    filename: str = ""
    offset: int = 0
    length: int = 0

    def range_header(self) -> str:
        return f"bytes={self.offset}-{self.offset + self.length - 1}"


def index_query(index_url: str, crawl: str, host: str) -> str:
    """The index URL of a host's successful captures in one crawl (``CC-MAIN-2024-10``)."""
    params = [("url", f"{host}/*"), ("output", "json"), ("filter", "status:200")]
    return f"{index_url.rstrip('/')}/{crawl}-index?{urlencode(params)}"


def parse_index(body: bytes) -> list[CrawlCapture]:
    """The captures of an index answer (JSON lines); rows without a record location are left out."""
    captures = []
    for line in body.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if not row.get("filename") or row.get("offset") is None or not row.get("length"):
            continue
        captures.append(CrawlCapture(original=row.get("url") or row.get("original") or "",
                                     timestamp=str(row.get("timestamp", "")),
                                     statuscode=str(row.get("status") or row.get("statuscode") or ""),
                                     mimetype=row.get("mime") or row.get("mimetype") or "",
                                     digest=row.get("digest") or "",
                                     filename=row["filename"], offset=int(row["offset"]), length=int(row["length"])))
    return captures


def record_url(data_url: str, capture: CrawlCapture) -> str:
    return f"{data_url.rstrip('/')}/{capture.filename}"


def read_record(data: bytes):
    """(HTTP status and headers, payload) of the single WARC response record in ``data``:
    the payload de-chunked and content-decoded, as Scrapy would keep it. None if ``data`` is
    not one whole response record."""
    record = read_response_record(data)
    return None if record is None else record[1:]


def read_response_record(data: bytes):
    """``read_record`` with the record's WARC headers first: (WARC headers, HTTP headers, payload)."""
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type == "response" and record.http_headers is not None:
                return record.rec_headers, record.http_headers, record.content_stream().read()
    except Exception:  # noqa: BLE001 (a truncated or foreign range: counted by the caller)
        return None
    return None


def record_location(content_range: str | bytes | None) -> tuple[int, int] | None:
    """(offset, length) of a range answer's ``Content-Range: bytes <first>-<last>/<size>``."""
    if isinstance(content_range, bytes):
        content_range = content_range.decode("latin-1")
    match = re.fullmatch(r"\s*bytes\s+(\d+)-(\d+)/(?:\d+|\*)\s*", content_range or "")
    if match is None:
        return None
    first, last = int(match.group(1)), int(match.group(2))
    return first, last - first + 1
