"""Read WARC files back as Scrapy responses: what ``scrapy extract`` re-parses.

Any WARC will do, this crawler's or another crawler's: gzip-per-record or plain, WARC 1.0
or 1.1. Each ``response`` record becomes a Scrapy response (``HtmlResponse`` for HTML, by
the same guessing Scrapy uses while crawling) with the record's ``WARC-Target-URI`` as its
URL; chunked and content-encoded payloads (what other crawlers keep) are decoded first, as
Scrapy decodes them while crawling. A ``revisit`` record is given the payload of the
record it refers to, found among the files given or, failing that, among the finished
WARCs beside them. ``.open`` files (being written, or left by a crash) are never read.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_datetime

from wardcrawl.archive.warc import OPEN_SUFFIX, WARC_SUFFIXES, is_finished_warc

SHA1_BASE32_LENGTH = 32


@dataclass
class ArchivedResponse:
    url: str  # WARC-Target-URI
    response: Response  # HtmlResponse for HTML pages
    status: int
    date: datetime  # WARC-Date (UTC, aware)
    path: Path  # the WARC file holding the record
    record_id: str  # WARC-Record-ID of the response or revisit record
    record_type: str  # "response" or "revisit"
    payload_digest: str | None  # WARC-Payload-Digest as sha1:<base32>, when it has one
    run: str  # the capture this belongs to: warcinfo isPartOf, else the file
    request_host: str | None = None  # Host header of the paired request record (WARC-Concurrent-To), if any
    original: Path | None = None  # for a revisit: the file holding the record it refers to


@dataclass
class ReadReport:
    counts: Counter = field(default_factory=Counter)  # records read and skipped, by kind
    errors: list[str] = field(default_factory=list)  # files that could not be read


class UnfinishedWarc(ValueError):
    """A ``.open`` file: being written, or left by a crash; not a finished WARC."""


def warc_paths(args: Iterable[str | Path]) -> list[Path]:
    """The WARC files named, directories expanded to their finished WARCs (sorted)."""
    paths: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            paths.extend(sorted(p for p in path.iterdir() if p.is_file() and is_finished_warc(p)))
        elif path.name.endswith(OPEN_SUFFIX):
            raise UnfinishedWarc(f"{path}: an unfinished WARC (being written, or left by a crash); not read")
        else:
            paths.append(path)
    return paths


def is_warc_path(arg: str | Path) -> bool:
    path = Path(arg)
    return path.name.endswith(WARC_SUFFIXES + tuple(s + OPEN_SUFFIX for s in WARC_SUFFIXES)) or path.is_dir()


def normalise_digest(value: str | None) -> str | None:
    """``sha1:<base32>`` (what the record schema accepts); hex SHA-1 digests are converted."""
    if not value or ":" not in value:
        return None
    algorithm, _, digest = value.partition(":")
    if algorithm.lower() != "sha1":
        return None
    if len(digest) == SHA1_BASE32_LENGTH:
        return f"sha1:{digest.upper()}"
    if len(digest) == 40:
        try:
            return "sha1:" + base64.b32encode(bytes.fromhex(digest)).decode("ascii")
        except ValueError:
            return None
    return None


def _target_uri(record) -> str:
    return (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")


def _content_encoding(http_headers) -> str | None:
    value = (http_headers.get_header("Content-Encoding") or "").strip().lower()
    return None if value in ("", "identity") else value


def _payload(record) -> bytes:
    """The payload as Scrapy would have kept it: de-chunked and content-decoded."""
    return record.content_stream().read()


def to_scrapy_response(url: str, http_headers, body: bytes) -> Response:
    """A Scrapy response from a record's HTTP headers and its decoded payload."""
    headers = Headers()
    for name, value in http_headers.headers:
        if name.lower() in ("transfer-encoding", "content-encoding"):
            continue  # the payload given is already de-chunked and decoded
        headers.appendlist(name, value)
    protocol = http_headers.protocol or None
    status = int(http_headers.get_statuscode() or 200)
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=status, headers=headers, body=body, protocol=protocol)


class _Originals:
    """Where full response records are: by record id and by (URI, payload digest)."""

    def __init__(self, given: list[Path]):
        self.given = [p.resolve() for p in given]
        self.by_id: dict[str, tuple[Path, int]] = {}
        self.by_uri_digest: dict[tuple[str, str], tuple[Path, int]] = {}
        self.indexed: set[Path] = set()

    def note(self, record, path: Path, offset: int) -> None:
        location = (path, offset)
        self.by_id.setdefault(record.rec_headers.get_header("WARC-Record-ID"), location)
        digest = normalise_digest(record.rec_headers.get_header("WARC-Payload-Digest"))
        if digest:
            self.by_uri_digest.setdefault((_target_uri(record), digest), location)

    def _index(self, path: Path) -> None:
        if path in self.indexed:
            return
        self.indexed.add(path)
        try:
            with path.open("rb") as fh:
                records = ArchiveIterator(fh)
                for record in records:
                    if record.rec_type == "response":
                        self.note(record, path, records.get_record_offset())
        except (OSError, ArchiveLoadFailed):
            pass

    def _lookup(self, refers_to: str | None, uri: str, digest: str | None):
        if refers_to and refers_to in self.by_id:
            return self.by_id[refers_to]
        if digest and (uri, digest) in self.by_uri_digest:
            return self.by_uri_digest[(uri, digest)]
        return None

    def find(self, refers_to: str | None, uri: str, digest: str | None) -> tuple[Path, int] | None:
        found = self._lookup(refers_to, uri, digest)
        if found:
            return found
        for path in self.given:  # files given later on the command line
            self._index(path)
        found = self._lookup(refers_to, uri, digest)
        if found:
            return found
        for directory in sorted({p.parent for p in self.given}):  # finished WARCs beside them
            for path in sorted(directory.iterdir()):
                if path.is_file() and is_finished_warc(path):
                    self._index(path)
        return self._lookup(refers_to, uri, digest)

    @staticmethod
    def load(location: tuple[Path, int]):
        path, offset = location
        with path.open("rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            return record.http_headers, _content_encoding(record.http_headers), _payload(record)


def _concurrent(record) -> set[str]:
    """The record's id and the ids it names as concurrent (the header may repeat)."""
    return {value.strip() for name, value in record.rec_headers.headers
            if name.lower() in ("warc-record-id", "warc-concurrent-to")} - {""}


class _RequestPairing:
    """Pairs each response with its request record, the one just before or just after it
    with a ``WARC-Concurrent-To`` linking the two (ours follow their response; wget's come
    first), to give the response the ``Host`` it was asked for. A response is held back
    until the next record is seen."""

    def __init__(self):
        self.pending: ArchivedResponse | None = None
        self.pending_ids: set[str] = set()
        self.request: tuple[set[str], str | None] | None = None  # the last record, if a request

    def request_record(self, record) -> Iterator[ArchivedResponse]:
        ids = _concurrent(record)
        host = record.http_headers.get_header("Host") if record.http_headers is not None else None
        if self.pending is not None and ids & self.pending_ids:
            self.pending.request_host = host
            yield from self.flush()
        else:
            yield from self.flush()
            self.request = (ids, host)

    def response(self, capture: ArchivedResponse, record) -> Iterator[ArchivedResponse]:
        request, self.request = self.request, None
        yield from self.flush()
        ids = _concurrent(record)
        if request is not None and ids & request[0]:
            capture.request_host = request[1]
            yield capture
        else:
            self.pending, self.pending_ids = capture, ids

    def other(self) -> Iterator[ArchivedResponse]:
        yield from self.flush()

    def flush(self) -> Iterator[ArchivedResponse]:
        self.request = None
        if self.pending is not None:
            pending, self.pending = self.pending, None
            yield pending


def iter_archived_responses(paths: list[Path], report: ReadReport | None = None) -> Iterator[ArchivedResponse]:
    """Every HTTP response (and resolved revisit) in the WARC files, in file order."""
    report = report if report is not None else ReadReport()
    originals = _Originals(paths)
    supported = set(BufferedReader.get_supported_decompressors())
    for path in paths:
        run = str(path)
        pairing = _RequestPairing()
        try:
            with path.open("rb") as fh:
                records = ArchiveIterator(fh)
                for record in records:
                    kind = record.rec_type
                    if kind == "request":
                        yield from pairing.request_record(record)
                        continue
                    if kind == "warcinfo":
                        run = _is_part_of(record) or run
                    if kind not in ("response", "revisit"):
                        yield from pairing.other()
                        continue
                    capture = _capture(record, records, path, run, originals, supported, report)
                    if capture is None:
                        yield from pairing.other()
                    else:
                        yield from pairing.response(capture, record)
                yield from pairing.flush()
        except (OSError, ArchiveLoadFailed) as exc:
            yield from pairing.flush()
            report.errors.append(f"{path}: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r}")
        originals.indexed.add(path.resolve())


def _capture(record, records, path: Path, run: str, originals: _Originals, supported: set,
             report: ReadReport) -> ArchivedResponse | None:
    """The archived response of a response or revisit record; None (counted) when it has none."""
    kind = record.rec_type
    report.counts[f"{kind}_records"] += 1
    http = record.http_headers
    url = _target_uri(record)
    if http is None or not http.get_statuscode():
        report.counts["not_http"] += 1
        return None
    digest = normalise_digest(record.rec_headers.get_header("WARC-Payload-Digest"))
    original = None
    if kind == "response":
        encoding = _content_encoding(http)
        body = _payload(record)
        originals.note(record, path.resolve(), records.get_record_offset())
    else:
        location = originals.find(record.rec_headers.get_header("WARC-Refers-To"),
                                  (record.rec_headers.get_header("WARC-Refers-To-Target-URI") or url).strip("<>"),
                                  digest)
        if location is None:
            report.counts["revisit_without_original"] += 1
            return None
        _, encoding, body = originals.load(location)
        original = location[0]
    if encoding and encoding not in supported:
        report.counts["unsupported_content_encoding"] += 1
        return None
    date = iso_date_to_datetime(record.rec_headers.get_header("WARC-Date"), tz_aware=True)
    return ArchivedResponse(
        url=url, response=to_scrapy_response(url, http, body), status=int(http.get_statuscode()),
        date=date.astimezone(timezone.utc), path=path, record_id=record.rec_headers.get_header("WARC-Record-ID"),
        record_type=kind, payload_digest=digest, run=run, original=original)


def _is_part_of(record) -> str | None:
    try:
        text = record.content_stream().read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 (a malformed warcinfo only loses the run name)
        return None
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "ispartof" and value.strip():
            return value.strip()
    return None
