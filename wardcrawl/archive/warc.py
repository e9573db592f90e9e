"""WARC writing: every fetched response, with its request, in gzip-compressed WARC 1.1 files.

On when ``WARC_ENABLED`` is true (off by default, on in the cron profile); see docs/warc.md.

- Files: ``<DATA_DIR>/warc/<spider>-<run_id>-<serial>.warc.gz``, a new serial when a file
  reaches ``WARC_MAX_SIZE`` bytes and a new file set per run. Each file opens with a
  ``warcinfo`` record naming the crawler and its settings. A file is written as
  ``<name>.open`` and only renamed to its final name when it is complete (flushed and
  fsynced): a crash leaves a ``.open`` file, never a truncated file under a final name.
- Records: a ``response`` record (the body exactly as Scrapy got it: after content
  decoding, see ``http_header_lines``) and its ``request`` record (``WARC-Concurrent-To``).
  A payload already captured (this run or an earlier one) is written as a ``revisit``
  record (identical-payload-digest profile) instead of a copy: one captured under the same
  target URI first, else (``WARC_REVISIT_ANY_URI``, on by default) one captured under another
  URI, named by ``WARC-Refers-To-Target-URI`` (one article reached by several URL variants).
- Revisits across runs are looked up in ``<DATA_DIR>/warc/index.sqlite3``: one row per
  first full capture of a (target URI, payload digest). Rows are added only once the file
  holding the capture has its final name, so a revisit never points into a ``.open`` file.
- Linkage: the file, record id, payload digest and date of each response go into
  ``request.meta["warc"]`` (wardcrawl/archive/capture.py copies them onto the items).
- Request records are the request as Scrapy's HTTP client sent it (``request_header_lines``):
  ``Content-Length`` included, so POST bodies are read back and indexed per body.

The middlewares that feed the writer during a crawl are in wardcrawl/archive/capture.py.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from wardcrawl.state.journal import fsync_dir
from wardcrawl.text.dates import HANOI_TZ

logger = logging.getLogger(__name__)

WARC_SUBDIR = "warc"
INDEX_NAME = "index.sqlite3"
OPEN_SUFFIX = ".open"
WARC_SUFFIXES = (".warc.gz", ".warc")
META_KEY = "warc"  # request.meta key holding the linkage of the response's record
LINK_FIELDS = ("warc_file", "warc_record_id", "warc_payload_digest")
DATE_KEY = "warc_date"  # the linkage's WARC-Date: the items' fetched_at
WARC_VERSION = "WARC/1.1"
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
DEFAULT_MAX_SIZE = 1_000_000_000  # the WARC spec's customary 1 GB
# Headers that no longer describe the body once Scrapy has de-chunked and decoded it:
# the original value is kept under ORIGINAL_PREFIX + name.
ORIGINAL_PREFIX = "X-Wardcrawl-Original-"


def payload_digest(body: bytes) -> str:
    """``WARC-Payload-Digest`` of a payload: ``sha1:`` + base32, as warcio writes it."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(moment: datetime) -> str:
    """WARC 1.1 date (UTC, microseconds)."""
    return datetime_to_iso_date(moment.astimezone(timezone.utc).replace(tzinfo=None), use_micros=True)


def fetched_at(date: str | datetime) -> str:
    """A record's ``fetched_at`` (Hanoi time, seconds) from its WARC record's ``WARC-Date``:
    the same second, so a record is found in a CDX index (14-digit timestamps) by its own time."""
    if isinstance(date, str):
        date = iso_date_to_datetime(date, tz_aware=True)
    return date.astimezone(HANOI_TZ).isoformat(timespec="seconds")


def is_finished_warc(path: Path) -> bool:
    """A WARC under its final name (not a ``.open`` file left by a crash or being written)."""
    return path.name.endswith(WARC_SUFFIXES)


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def http_header_lines(headers, body_length: int) -> list[tuple[str, str]]:
    """The response headers as recorded, coherent with the body Scrapy kept.

    Scrapy's HTTP client de-chunks the body and its compression middleware decodes it and
    drops ``Content-Encoding`` (an encoding it could not decode stays, with the body still
    encoded). So ``Transfer-Encoding`` is dropped and ``Content-Length`` set to the body's
    length; the values the server sent are kept as ``X-Wardcrawl-Original-*``.
    """
    lines: list[tuple[str, str]] = []
    for name, values in headers.items():
        key = _text(name)
        for value in values:
            value = _text(value)
            if key.lower() == "transfer-encoding":
                lines.append((ORIGINAL_PREFIX + "Transfer-Encoding", value))
            elif key.lower() == "content-length":
                if value.strip() != str(body_length):
                    lines.append((ORIGINAL_PREFIX + "Content-Length", value))
            else:
                lines.append((key, value))
    lines.append(("Content-Length", str(body_length)))
    return lines


# Request headers that are not recorded: credentials for a proxy, not sent to the site.
UNRECORDED_REQUEST_HEADERS = frozenset({"proxy-authorization"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def request_line(request, protocol: str = "HTTP/1.1") -> str:
    """``METHOD /path?query PROTOCOL``, the origin-form target Scrapy's HTTP client sends."""
    sent = urlsplit(request.url)
    return f"{request.method} {(sent.path or '/') + (f'?{sent.query}' if sent.query else '')} {protocol}"


def request_header_lines(request) -> list[tuple[str, str]]:
    """The request's headers as Scrapy's HTTP/1.1 client (Twisted) puts them on the wire.

    Twisted writes ``Content-Length`` first when the request has a body, and for a POST or
    PUT without one (``0``), then the request's own headers, then ``Host`` unless one was
    set (the host, with the port only when it is not the scheme's default). Without the
    ``Content-Length`` a reader (warcio, pywb's and cdxj-indexer's POST indexing) takes the
    request body for empty, and every POST to one URL gets the same index key.
    """
    lines: list[tuple[str, str]] = []
    body = request.body or b""
    if body or request.method.upper() in ("POST", "PUT"):
        lines.append(("Content-Length", str(len(body))))
    for name, values in request.headers.items():
        key = _text(name)
        if key.lower() in UNRECORDED_REQUEST_HEADERS or key.lower() == "content-length":
            continue
        lines.extend((key, _text(value)) for value in values)
    if not any(k.lower() == "host" for k, _ in lines):
        sent = urlsplit(request.url)
        host = sent.hostname or ""
        if ":" in host:
            host = f"[{host}]"  # an IPv6 literal
        if sent.port is not None and sent.port != DEFAULT_PORTS.get(sent.scheme):
            host = f"{host}:{sent.port}"
        lines.append(("Host", host))
    return lines


@dataclass(frozen=True)
class Capture:
    """Where a full response record was written."""

    warc_file: str  # relative to the data dir, e.g. "warc/longbien-<run>-00000.warc.gz"
    record_id: str
    date: str  # its WARC-Date
    offset: int  # byte offset of the record in the file


class DigestIndex:
    """(target URI, payload digest) -> first full capture, across runs (SQLite).

    One connection per file per process, shared by the crawlers of a process (``scrapy
    demo`` runs several): use ``DigestIndex.open`` and ``release``.
    """

    _open: dict[Path, DigestIndex] = {}

    def __init__(self, path: Path):
        self.path = path
        self.users = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=60)
        with self.db:
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS captures (uri TEXT NOT NULL, digest TEXT NOT NULL,"
                " warc_file TEXT NOT NULL, record_id TEXT NOT NULL, date TEXT NOT NULL,"
                " offset INTEGER NOT NULL, PRIMARY KEY (uri, digest))")
            self.db.execute("CREATE INDEX IF NOT EXISTS captures_by_digest ON captures (digest)")

    @classmethod
    def open(cls, path: Path) -> DigestIndex:
        path = path.resolve()
        index = cls._open.get(path)
        if index is None:
            index = cls._open[path] = cls(path)
        index.users += 1
        return index

    def release(self) -> None:
        self.users -= 1
        if self.users <= 0:
            self._open.pop(self.path, None)
            self.db.close()

    def lookup(self, uri: str, digest: str, any_uri: bool = False) -> tuple[str, Capture] | None:
        """The capture of this payload under this URI, else (``any_uri``) under any URI: (its URI, capture)."""
        rows = self.db.execute("SELECT uri, warc_file, record_id, date, offset FROM captures"
                               " WHERE uri = ? AND digest = ?", (uri, digest)).fetchall()
        if not rows and any_uri:
            rows = self.db.execute("SELECT uri, warc_file, record_id, date, offset FROM captures"
                                   " WHERE digest = ? ORDER BY date LIMIT 1", (digest,)).fetchall()
        return (rows[0][0], Capture(*rows[0][1:])) if rows else None

    def add(self, entries: dict[tuple[str, str], Capture]) -> None:
        with self.db:  # one transaction, committed
            self.db.executemany(
                "INSERT OR IGNORE INTO captures (uri, digest, warc_file, record_id, date, offset)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(uri, digest, c.warc_file, c.record_id, c.date, c.offset) for (uri, digest), c in entries.items()])


class RotatingWarcWriter:
    """Writes records to ``<prefix>-<serial>.warc.gz.open``, renamed into place when complete."""

    def __init__(self, data_dir: Path, prefix: str, warcinfo: dict, max_size: int = DEFAULT_MAX_SIZE,
                 index: DigestIndex | None = None, revisits: bool = True, any_uri: bool = True):
        self.data_dir = data_dir
        self.directory = data_dir / WARC_SUBDIR
        self.prefix = prefix
        self.warcinfo = warcinfo
        self.max_size = max_size
        self.index = index
        self.revisits = revisits and index is not None
        self.any_uri = any_uri
        self.serial = 0
        self.finished: list[Path] = []
        self.counts = {"response": 0, "revisit": 0, "request": 0, "files": 0}
        self._file: io.BufferedWriter | None = None
        self._final: Path | None = None
        self._writer: WARCWriter | None = None
        self._warcinfo_id: str | None = None
        self._pending: dict[tuple[str, str], Capture] = {}  # captures in the open file
        self._pending_by_digest: dict[str, tuple[str, Capture]] = {}

    # -- files -------------------------------------------------------------------------
    @property
    def current_name(self) -> str:
        assert self._final is not None
        return self._final.relative_to(self.data_dir).as_posix()

    def _open_next(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:  # never reuse a name: not a finished file, not another writer's .open
            final = self.directory / f"{self.prefix}-{self.serial:05d}.warc.gz"
            self.serial += 1
            partial = final.with_name(final.name + OPEN_SUFFIX)
            if final.exists():
                continue
            try:
                self._file = partial.open("xb")
            except FileExistsError:
                continue
            break
        self._final = final
        self._writer = WARCWriter(self._file, gzip=True, warc_version=WARC_VERSION)
        info = self._writer.create_warcinfo_record(final.name, self.warcinfo)
        self._warcinfo_id = info.rec_headers.get_header("WARC-Record-ID")
        self._writer.write_record(info)
        self.counts["files"] += 1

    def _finish_current(self) -> None:
        if self._file is None:
            return
        assert self._final is not None
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._final.with_name(self._final.name + OPEN_SUFFIX), self._final)
        fsync_dir(self._final.parent)
        self.finished.append(self._final)
        if self.index is not None and self._pending:
            self.index.add(self._pending)
        self._pending, self._pending_by_digest = {}, {}
        self._file = self._writer = self._final = None

    def _abandon_current(self) -> None:
        """A write failed (disk full?): leave the file as ``.open``, unindexed; the next
        exchange starts a new file. The crawl sees the error on that response."""
        logger.error("WARC write failed; %s left unfinished as %s%s", self._final, self._final, OPEN_SUFFIX)
        try:
            if self._file is not None:
                self._file.close()
        except OSError:
            pass
        self._pending, self._pending_by_digest = {}, {}
        self._file = self._writer = self._final = None

    def close(self) -> None:
        self._finish_current()

    # -- records -----------------------------------------------------------------------
    def previous_capture(self, uri: str, digest: str) -> tuple[str, Capture] | None:
        """An earlier full capture of this payload: under this URI first, else (``any_uri``)
        under another one (the same page reached by another URL). Returns (its URI, capture)."""
        if not self.revisits:
            return None
        assert self.index is not None
        if (uri, digest) in self._pending:
            return uri, self._pending[(uri, digest)]
        found = self.index.lookup(uri, digest)
        if found is None and self.any_uri:
            found = self._pending_by_digest.get(digest) or self.index.lookup(uri, digest, any_uri=True)
        return found

    def write_exchange(self, *, url: str, status_line: str, protocol: str, headers: list[tuple[str, str]],
                       body: bytes, request_line: str, request_headers: list[tuple[str, str]],
                       request_body: bytes = b"", date: datetime | None = None,
                       extra_warc_headers: dict[str, str] | None = None) -> tuple[dict, str]:
        """Write one response (or revisit) record and its request record.

        Returns the linkage (``warc_file``, ``warc_record_id``, ``warc_payload_digest``) and
        the kind of record written, ``response`` or ``revisit``.

        The answer to a POST (any method but GET) is always a full record, and never the
        original of a revisit: indexers key it by URL plus form body (pywb's
        ``__wb_method=post&...``), so a revisit's lookup of its original by URL would not find
        it, and cdxj-indexer (WACZ) keys a revisit without its request's body.
        """
        if self._file is None:
            self._open_next()
        assert self._writer is not None and self._file is not None
        writer = self._writer
        when = warc_date(date or datetime.now(timezone.utc))
        digest = payload_digest(body)
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        warc_headers = {"WARC-Record-ID": record_id, "WARC-Date": when, "WARC-Warcinfo-ID": self._warcinfo_id,
                        **(extra_warc_headers or {})}
        http = StatusAndHeaders(status_line, headers, protocol=protocol)
        revisitable = request_line.split(" ", 1)[0].upper() == "GET"
        previous = self.previous_capture(url, digest) if revisitable else None
        offset = self._file.tell()
        if previous is not None:
            previous_uri, capture = previous
            record = writer.create_revisit_record(
                url, digest, previous_uri, capture.date, http_headers=http,
                warc_headers_dict={**warc_headers, "WARC-Refers-To": capture.record_id})
            kind = "revisit"
        else:
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
                warc_headers_dict={**warc_headers, "WARC-Payload-Digest": digest})
            kind = "response"
        request = writer.create_warc_record(
            url, "request", payload=io.BytesIO(request_body), length=len(request_body),
            http_headers=StatusAndHeaders(request_line, request_headers, is_http_request=True),
            warc_headers_dict={"WARC-Warcinfo-ID": self._warcinfo_id})
        try:
            writer.write_request_response_pair(request, record)
        except BaseException:
            self._abandon_current()
            raise
        self.counts[kind] += 1
        self.counts["request"] += 1
        linkage = {"warc_file": self.current_name, "warc_record_id": record_id, "warc_payload_digest": digest,
                   DATE_KEY: when}
        if kind == "response" and revisitable:
            capture = Capture(self.current_name, record_id, when, offset)
            self._pending.setdefault((url, digest), capture)
            self._pending_by_digest.setdefault(digest, (url, capture))
        if self._file.tell() >= self.max_size:
            self._finish_current()
        return linkage, kind
