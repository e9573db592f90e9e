"""Recovery from Common Crawl (wardcrawl/sources/commoncrawl.py): its index server's answer
(pywb's CDX JSON with each record's file, offset and length) read, and a vanished mirror site
recovered one WARC record at a time by range requests (tests/sources/conftest.py)."""

from __future__ import annotations

import gzip
import io

from warcio.warcwriter import WARCWriter

from tests.sources.conftest import assert_reextracted_as_recovered, assert_same_articles, crawled_records, recover
from wardcrawl.sources.commoncrawl import CrawlCapture, index_query, parse_index, read_record

CRAWL = "CC-MAIN-2026-47"


def test_index_rows_give_each_records_location():
    body = (b'{"urlkey": "vn,gov,hanoi,badinh)/a", "timestamp": "20261122140000", "url": "http://badinh.hanoi.gov.vn/a",'
            b' "mime": "text/html", "status": "200", "digest": "AAA", "length": "1234", "offset": "5678",'
            b' "filename": "crawl-data/CC-MAIN-2026-47/segments/1/warc/x.warc.gz"}\n'
            b'{"url": "http://badinh.hanoi.gov.vn/b", "timestamp": "20261122140001", "status": "200"}\n')
    [capture] = parse_index(body)  # the row without a record location is left out
    assert capture == CrawlCapture("http://badinh.hanoi.gov.vn/a", "20261122140000", "200", "text/html", "AAA",
                                   "crawl-data/CC-MAIN-2026-47/segments/1/warc/x.warc.gz", 5678, 1234)
    assert capture.range_header() == "bytes=5678-6911"
    assert index_query("https://index.commoncrawl.org", CRAWL, "badinh.hanoi.gov.vn").startswith(
        f"https://index.commoncrawl.org/{CRAWL}-index?url=badinh.hanoi.gov.vn%2F%2A&output=json")


def test_read_record_takes_one_whole_response_record():
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" + gzip.compress(b"<p>x</p>")
    writer.write_record(writer.create_warc_record("http://badinh.hanoi.gov.vn/a", "response",
                                                  payload=io.BytesIO(http), length=len(http)))
    headers, payload = read_record(out.getvalue())
    assert headers.get_statuscode() == "200" and payload == b"<p>x</p>"  # content-decoded, as Scrapy keeps it
    assert read_record(out.getvalue()[:40]) is None  # a cut range is not a record


def test_a_vanished_site_is_recovered_from_common_crawl_by_range_requests(archives, two_runs, tmp_path):
    crawled = crawled_records(two_runs)
    recovery = recover(archives, tmp_path, "--from", "commoncrawl", "-s", f"COMMONCRAWL_CRAWLS={CRAWL}",
                       "-s", "WARC_ENABLED=1")
    assert_same_articles(recovery.records, crawled)
    for record in recovery.records:
        assert record["source"] == "commoncrawl"
        assert record["archive_url"].startswith("https://data.commoncrawl.org/badinh-") and \
               "#offset=" in record["archive_url"], record["archive_url"]
    # each article's captures: one each, the parked page, the revised and re-saved ones
    assert recovery.stats["wardcrawl/recovery/article_captures"] == len(crawled) + 3
    assert recovery.stats["wardcrawl/recovery/not_article"] == 1
    # the archived listing is walked, but the article only it leads to has no record in the index
    # (its link was captured as a redirect): Common Crawl cannot replay what its index does not list
    assert recovery.stats["wardcrawl/recovery/not_archived"] >= 1
    ranges = recovery.stats["wardcrawl/recovery/article_captures"] + recovery.stats["wardcrawl/recovery/listing_captures"]
    assert recovery.stats["downloader/response_status_count/206"] == ranges  # one range per capture
    assert recovery.report["sites"]["badinh"]["articles"]["sources"] == {"commoncrawl": len(crawled) + 1}
    assert "wardcrawl/recovery/bad_records" not in recovery.stats and recovery.report["healthy"]
    assert_reextracted_as_recovered(recovery, tmp_path, "commoncrawl")  # from our WARC of the range answers
