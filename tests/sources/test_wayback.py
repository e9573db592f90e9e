"""Recovery from the Wayback Machine (wardcrawl/sources/wayback.py, wardcrawl/spiders/recovery.py):
the CDX answers of both servers read, and a vanished mirror site recovered from a real pywb
(its CDX server and id_ replay) loaded with the site's WARCs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mirror import pywb
from tests.conftest import require_pywb, run_scrapy
from wardcrawl.sources.wayback import ArchivedCapture, article_captures, cdx_query, parse_cdx

SITE = "badinh"  # a Liferay district portal: vanished, in this test
COLLECTION = "wayback"
ARCHIVE_HANDLER = json.dumps({"http": "mirror.archive_handler.ArchiveMirrorDownloadHandler",
                              "https": "mirror.archive_handler.ArchiveMirrorDownloadHandler"})


def test_cdx_answers_of_the_internet_archive_and_of_pywb_are_read():
    ia = json.dumps([["original", "timestamp", "statuscode", "mimetype", "digest"],
                     ["http://badinh.hanoi.gov.vn/a", "20210102030405", "200", "text/html", "AAA"],
                     [], ["badinh.hanoi.gov.vn/b 20220101000000"]]).encode()
    captures, resume = parse_cdx(ia)
    assert captures == [ArchivedCapture("http://badinh.hanoi.gov.vn/a", "20210102030405", "200", "text/html", "AAA")]
    assert resume == "badinh.hanoi.gov.vn/b 20220101000000"
    ndjson = (b'{"urlkey": "vn,gov,hanoi,badinh)/a", "timestamp": "20210102030405", "url": "http://badinh.hanoi.gov.vn/a",'
              b' "mime": "text/html", "status": "200", "digest": "AAA"}\n')
    assert parse_cdx(ndjson) == (captures, None)
    query = cdx_query("https://web.archive.org/cdx/search/cdx", "badinh.hanoi.gov.vn", resume_key="k")
    assert "url=badinh.hanoi.gov.vn%2F%2A" in query and "filter=statuscode%3A200" in query and "resumeKey=k" in query


def test_article_captures_are_the_newest_of_each_article_key():
    def capture(url, ts, status="200", mime="text/html"):
        return ArchivedCapture(url, ts, status, mime, ts)

    key = {"http://s.vn/a?id=1": "1", "http://s.vn/a?id=1&v=2": "1", "http://s.vn/a?id=2": "2"}.get
    chosen = article_captures([capture("http://s.vn/a?id=1", "2021"), capture("http://s.vn/a?id=1&v=2", "2023"),
                               capture("http://s.vn/a?id=2", "2022", status="404"),
                               capture("http://s.vn/a?id=2", "2020", mime="application/pdf"),
                               capture("http://s.vn/list", "2024"), capture("http://other.vn/a?id=1", "2025")],
                              key, ["s.vn"])
    assert chosen == [("1", capture("http://s.vn/a?id=1&v=2", "2023"))]


@pytest.fixture(scope="module")
def wayback(two_runs, tmp_path_factory):
    require_pywb()
    root = tmp_path_factory.mktemp("wayback")
    pywb.make_collection(root, COLLECTION, [p for p in two_runs.first.warcs if p.name.startswith(f"{SITE}-")])
    with pywb.running_wayback(root) as server:
        yield server


def _recover(data_dir: Path, server) -> tuple[dict, list[dict], dict]:
    result = run_scrapy("recover", SITE, "--data-dir", str(data_dir), "-s", f"DOWNLOAD_HANDLERS={ARCHIVE_HANDLER}",
                        "-s", f"ARCHIVE_MIRROR={server.url.removeprefix('http://')}/{COLLECTION}",
                        "-s", "RECOVERY_DOWNLOAD_DELAY=0")
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout[result.stdout.index("{"):])
    feed = data_dir / SITE / f"{SITE}-{report['run_id']}.jsonl"
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()] if feed.exists() else []
    stats = json.loads((data_dir / SITE / f"{SITE}-{report['run_id']}.stats.json").read_text(encoding="utf-8"))
    return report, records, stats


def test_a_vanished_site_is_recovered_from_pywb_once_with_dates_and_provenance(wayback, two_runs, tmp_path):
    crawled = {r["id"]: r for r in two_runs.first.feeds.values() if r["site"] == SITE}
    assert len(crawled) > 10
    report, records, stats = _recover(tmp_path, wayback)
    assert sorted(r["id"] for r in records) == sorted(crawled)  # every article the WARCs hold, exactly once
    for record in records:
        original = crawled[record["id"]]
        for name in ("title", "body", "published_at", "section", "authors", "canonical_url", "content_sha256"):
            assert record[name] == original[name], (record["id"], name)
        assert record["source"] == "wayback"
        assert record["captured_at"] == original["fetched_at"]  # the capture's time: the WARC-Date
        timestamp = record["captured_at"]  # the archive URL names the capture (UTC, 14 digits)
        assert record["archive_url"].startswith("https://web.archive.org/web/") and \
               record["archive_url"].endswith(f"id_/{record['url']}"), record["archive_url"]
        assert record["fetched_at"] >= timestamp
    assert stats["wardcrawl/recovery/article_captures"] == len(crawled)

    _, again, stats = _recover(tmp_path, wayback)  # resumed / re-run: nothing fetched again
    assert again == [] and stats.get("wardcrawl/recovery/article_captures", 0) == 0
