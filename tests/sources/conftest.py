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


@dataclass
class Recovery:
    report: dict
    records: list[dict]
    stats: dict


@pytest.fixture(scope="session")
def archives(two_runs, tmp_path_factory):
    require_pywb()
    root = tmp_path_factory.mktemp("archives")
    later = _later_captures(root / f"{SITE}-later-00000.warc.gz", sorted(crawled_records(two_runs).values(),
                                                                            key=lambda r: r["id"]))
    collection = pywb.make_collection(root, COLLECTION, [*(p for p in two_runs.first.warcs
                                                           if p.name.startswith(f"{SITE}-")), later])
    with pywb.running_wayback(root) as server, serving_files(collection / "archive") as files:
        yield Archives(["-s", "DOWNLOAD_HANDLERS=" + json.dumps({"http": HANDLER, "https": HANDLER}),
                        "-s", f"ARCHIVE_MIRROR={server.url.removeprefix('http://')}/{COLLECTION}",
                        "-s", f"ARCHIVE_FILES_MIRROR={files}", "-s", "RECOVERY_DOWNLOAD_DELAY=0"])


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


def crawled_records(two_runs) -> dict[str, dict]:
    """The records the demo crawl exported for the site: what a recovery must give back."""
    return {r["id"]: r for r in two_runs.first.feeds.values() if r["site"] == SITE}


def assert_same_articles(records: list[dict], crawled: dict[str, dict]) -> None:
    assert len(crawled) > 10
    # the parked page captured later is not taken for the article; the 404 is not even fetched
    assert sorted(r["id"] for r in records) == sorted(crawled)  # every article the WARCs hold, exactly once
    for record in records:
        original = crawled[record["id"]]
        for name in ("title", "body", "published_at", "section", "authors", "canonical_url", "content_sha256"):
            assert record[name] == original[name], (record["id"], name)
        assert record["captured_at"] == original["fetched_at"]  # the capture's time: its WARC-Date
        assert record["fetched_at"] >= record["captured_at"]
