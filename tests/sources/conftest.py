"""Web archives on loopback for the recovery tests: a real pywb (its CDX server, its `id_`
replay; Common Crawl's index server is pywb too) holding the WARCs of one mirror site from a
demo run, and a range server for the WARC files (Common Crawl's data host). The archives' real
URLs are routed to them by mirror/archive_handler.py; the site itself answers nothing."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.warcwriter import WARCWriter

from mirror import pywb
from mirror.range_server import serving_files
from tests.conftest import require_pywb, run_scrapy

SITE = "badinh"  # a Liferay district portal: vanished, in these tests
COLLECTION = "archive"
HANDLER = "mirror.archive_handler.ArchiveMirrorDownloadHandler"


@dataclass
class Archives:
    settings: list[str]  # -s options routing the archives' URLs to the stand-ins
    pywb_url: str  # http://127.0.0.1:<port>: the pywb itself, for a recovery from a private wayback
    crawled: list[dict]


@dataclass
class Recovery:
    report: dict
    records: list[dict]
    stats: dict


@pytest.fixture(scope="session")
def archives(two_runs, tmp_path_factory):
    require_pywb()
    root = tmp_path_factory.mktemp("archives")
    crawled = sorted(crawled_records(two_runs).values(), key=lambda r: r["id"])
    warcs = [p for p in two_runs.first.warcs if p.name.startswith(f"{SITE}-")]
    later = _later_captures(root / f"{SITE}-later-00000.warc.gz", crawled)
    pages = _archived_pages(warcs)
    revised = _revised_captures(root / f"{SITE}-revised-00000.warc.gz", pages)
    collection = pywb.make_collection(root, COLLECTION, [*warcs, later, revised])
    with pywb.running_wayback(root) as server, serving_files(collection / "archive") as files:
        yield Archives(["-s", "DOWNLOAD_HANDLERS=" + json.dumps({"http": HANDLER, "https": HANDLER}),
                        "-s", f"ARCHIVE_MIRROR={server.url.removeprefix('http://')}/{COLLECTION}",
                        "-s", f"ARCHIVE_FILES_MIRROR={files}", "-s", "RECOVERY_DOWNLOAD_DELAY=0"],
                       server.url, crawled)


PARKED = (b"<html><head><title>badinh.hanoi.gov.vn</title></head><body><h1>This domain may be for sale</h1>"
          b"<p>Buy this domain.</p></body></html>")


def _later_captures(path: Path, records: list[dict]) -> Path:
    """Captures made after the site vanished: its first article's URL serving a parked
    domain's page (200), its second's a 404. Neither is an article: the article comes from
    its older capture."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for record, status, body in ((records[0], b"200 OK", PARKED), (records[1], b"404 Not Found", b"Not Found")):
            http = (b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                    + str(len(body)).encode() + b"\r\n\r\n" + body)
            writer.write_record(writer.create_warc_record(record["url"], "response", payload=io.BytesIO(http),
                                                          length=len(http),
                                                          warc_headers_dict={"WARC-Date": "2027-03-01T00:00:00Z"}))
    return path


# What the revised captures (_revised_captures) add to the archive:
LISTING = f"http://{SITE}.hanoi.gov.vn/tin-hoat-dong"
ONLY_LISTED_ID = f"{SITE}:990001"  # an article only an archived listing leads to
ONLY_LISTED_LINK = f"http://{SITE}.hanoi.gov.vn/tin-hoat-dong/-/view_content/990001-bai-chi-co-trong-danh-sach.html"
ONLY_LISTED_PAGE = f"http://{SITE}.hanoi.gov.vn/-/bai-chi-co-trong-danh-sach"  # where that link redirects
REVISED_ID = f"{SITE}:155879"  # captured again with a sentence added: its version 2
REVISED_SENTENCE = "Ban tổ chức đã cập nhật danh sách khen thưởng."
RESAVED_ID = f"{SITE}:155694"  # captured again, the same text in other bytes: no new version
REVISED_AT = "2027-01-15T00:00:00Z"


def _archived_pages(warcs: list[Path]) -> dict[str, str]:
    """URL -> the decoded HTML of each page the crawl's WARCs hold."""
    from warcio.archiveiterator import ArchiveIterator

    pages = {}
    for path in warcs:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    pages[record.rec_headers.get_header("WARC-Target-URI")] = record.content_stream().read().decode()
    return pages


def _write(writer, url: str, status: bytes, body: str, date: str, headers: bytes = b"") -> None:
    data = body.encode()
    http = (b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\n" + headers
            + b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(http), length=len(http),
                                                  warc_headers_dict={"WARC-Date": date}))


def _revised_captures(path: Path, pages: dict[str, str]) -> Path:
    """Later captures: the listing page with one more article, whose link the archive holds only as
    a redirect to a URL form the site's article key does not know (only the listing leads to it);
    one article with a sentence added (a new version); one re-saved with the same text."""
    listing = pages[LISTING]
    first_link = listing.index('<a class=" taglib-icon"')
    listing = (listing[:first_link] + f'<a href="{ONLY_LISTED_LINK}">Bài chỉ có trong danh sách</a> '
               + listing[first_link:])
    [source_url] = [u for u in pages if "/view_content/156064-" in u]
    only_listed = pages[source_url].replace("156064", "990001")
    [revised_url] = [u for u in pages if f"/view_content/{REVISED_ID.split(':')[1]}-" in u]
    [resaved_url] = [u for u in pages if f"/view_content/{RESAVED_ID.split(':')[1]}-" in u]
    revised = pages[revised_url].replace('<div class="journal-content-article">',
                                         f'<div class="journal-content-article">\n<p>{REVISED_SENTENCE}</p>', 1)
    resaved = pages[resaved_url].replace("</body>", "<!-- served from cache 2027-01-15 -->\n</body>", 1)
    assert revised != pages[revised_url] and resaved != pages[resaved_url]
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        _write(writer, LISTING, b"200 OK", listing, REVISED_AT)
        _write(writer, ONLY_LISTED_LINK, b"301 Moved Permanently", "", REVISED_AT,
               b"Location: " + ONLY_LISTED_PAGE.encode() + b"\r\n")
        _write(writer, ONLY_LISTED_PAGE, b"200 OK", only_listed, "2027-01-15T00:00:05Z")
        _write(writer, revised_url, b"200 OK", revised, REVISED_AT)
        _write(writer, resaved_url, b"200 OK", resaved, REVISED_AT)
    return path


def recover_command(archives: Archives, data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "recover", SITE, "--data-dir", str(data_dir), *archives.settings, *args]


def recover(archives: Archives, data_dir: Path, *args: str) -> Recovery:
    result = run_scrapy(*recover_command(archives, data_dir, *args)[3:])
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout[result.stdout.index("{"):])
    feed = data_dir / SITE / f"{SITE}-{report['run_id']}.jsonl"
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()] if feed.exists() else []
    stats = json.loads((data_dir / SITE / f"{SITE}-{report['run_id']}.stats.json").read_text(encoding="utf-8"))
    return Recovery(report, records, stats)


def assert_reextracted_as_recovered(recovery: Recovery, data_dir: Path, source: str) -> None:
    """`scrapy extract` of the recovery's own WARC (WARC_ENABLED) gives each recovered record back
    with the provenance the recovery recorded, not "warc-file", and counts it by source."""
    from wardcrawl.archive.extract import FETCH_TIME_FIELDS

    result = run_scrapy("extract", str(data_dir / "warc"), "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr[-3000:]
    extracted = {(r["id"], r["captured_at"]): r for r in map(json.loads, result.stdout.splitlines())}
    recovered = {(r["id"], r["captured_at"]): r for r in recovery.records}
    # every capture re-extracted; more than were exported: the re-saved one (same text) made no version
    [(resaved, _)] = set(extracted) - set(recovered)
    assert resaved == RESAVED_ID and recovered.keys() < extracted.keys()
    for key, record in recovered.items():
        again = extracted[key]
        for name in ("source", "archive_url", "url", "title", "body", "published_at", "content_sha256",
                     *FETCH_TIME_FIELDS):
            assert again[name] == record[name], (key, name)
    assert f"extract: {SITE} articles from: {source} {len(extracted)}\n" in result.stderr


def crawled_records(two_runs) -> dict[str, dict]:
    """The records the demo crawl exported for the site: what a recovery must give back."""
    return {r["id"]: r for r in two_runs.first.feeds.values() if r["site"] == SITE}


def assert_same_articles(records: list[dict], crawled: dict[str, dict], extra: tuple[str, ...] = ()) -> None:
    """Every article the archive holds, once (the revised one twice: its two versions), with the
    crawl's text, dates and hash; captured_at the capture's time."""
    assert len(crawled) > 10
    ids = [r["id"] for r in records]
    # the parked page captured later is not taken for the article; the 404 is not even fetched
    assert sorted(set(ids)) == sorted({*crawled, *extra})
    assert sorted(i for i in ids if ids.count(i) > 1) == [REVISED_ID, REVISED_ID]  # versions 1 and 2, nothing else twice
    for record in records:
        if record["id"] in extra:
            continue
        original = crawled[record["id"]]
        if record["id"] == REVISED_ID and record["version"] == 2:
            assert REVISED_SENTENCE in record["body"] and record["previous_sha256"] == original["content_sha256"]
            assert record["captured_at"] == "2027-01-15T07:00:00+07:00"
            continue
        assert record["version"] == 1
        for name in ("title", "body", "published_at", "section", "authors", "canonical_url", "content_sha256"):
            assert record[name] == original[name], (record["id"], name)
        assert record["captured_at"] == original["fetched_at"]  # the capture's time: its WARC-Date
        assert record["fetched_at"] >= record["captured_at"]
