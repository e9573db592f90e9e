"""Recovery from the Wayback Machine (wardcrawl/sources/wayback.py, wardcrawl/spiders/recovery.py):
the CDX answers of both servers read, and a vanished mirror site recovered from a real pywb
(its CDX server and id_ replay) loaded with the site's WARCs (tests/sources/conftest.py)."""

from __future__ import annotations

import json

from mirror.throttling_proxy import Rule, throttling
from tests.conftest import kill_9_after_journal_lines, run_scrapy
from tests.sources.conftest import (COLLECTION, ONLY_LISTED_ID, ONLY_LISTED_PAGE, SITE, assert_reextracted_as_recovered,
                                    assert_same_articles, crawled_records, recover, recover_command)
from wardcrawl.sources.wayback import ArchivedCapture, article_captures, cdx_query, parse_cdx


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


def test_article_captures_are_each_article_keys_captures_newest_first():
    def capture(url, ts, status="200", mime="text/html"):
        return ArchivedCapture(url, ts, status, mime, ts)

    key = {"http://s.vn/a?id=1": "1", "http://s.vn/a?id=1&v=2": "1", "http://s.vn/a?id=2": "2"}.get
    chosen = article_captures([capture("http://s.vn/a?id=1", "2021"), capture("http://s.vn/a?id=1&v=2", "2023"),
                               capture("http://s.vn/a?id=2", "2022", status="404"),
                               capture("http://s.vn/a?id=2", "2020", mime="application/pdf"),
                               capture("http://s.vn/list", "2024"), capture("http://other.vn/a?id=1", "2025")],
                              key, ["s.vn"])
    # one key for both URL variants, the newest first; the 404, the PDF, the listing, the other host left out
    assert chosen == [("1", [capture("http://s.vn/a?id=1&v=2", "2023"), capture("http://s.vn/a?id=1", "2021")])]


def test_a_vanished_site_is_recovered_from_pywb_once_with_dates_and_provenance(archives, two_runs, tmp_path):
    crawled = crawled_records(two_runs)
    recovery = recover(archives, tmp_path, "-s", "WARC_ENABLED=1")
    assert_same_articles(recovery.records, crawled, extra=(ONLY_LISTED_ID,))
    for record in recovery.records:
        assert record["source"] == "wayback"
        assert record["archive_url"].startswith("https://web.archive.org/web/") and \
               record["archive_url"].endswith(f"id_/{record['url']}"), record["archive_url"]
    # the article only the archived listing leads to: its link redirected in the archive, its time the capture's
    [only_listed] = [r for r in recovery.records if r["id"] == ONLY_LISTED_ID]
    assert only_listed["url"] == ONLY_LISTED_PAGE and only_listed["captured_at"] == "2027-01-15T07:00:05+07:00"
    assert recovery.stats["wardcrawl/recovery/from_listings"] == 1 and recovery.stats["wardcrawl/recovery/redirects"] == 1
    assert recovery.stats["wardcrawl/recovery/listing_captures"] >= 2  # the two sections' newest captures, pages after
    # each article's captures: one each, the parked page, the revised and re-saved ones, the listed-only one
    assert recovery.stats["wardcrawl/recovery/article_captures"] == len(crawled) + 4
    assert recovery.stats["wardcrawl/recovery/not_article"] == 1
    assert recovery.stats["wardcrawl/articles/unchanged"] == 1  # the re-saved capture: no new version
    assert recovery.report["sites"][SITE]["articles"]["sources"] == {"wayback": len(crawled) + 2}
    assert recovery.report["healthy"]
    assert_reextracted_as_recovered(recovery, tmp_path, "wayback")  # from our WARC of the archive's answers

    again = recover(archives, tmp_path)  # re-run: no capture fetched again
    assert again.records == [] and again.stats.get("wardcrawl/recovery/article_captures", 0) == 0


def test_a_private_wayback_the_user_names_is_asked_on_its_loopback_port_and_its_429s_waited_out(
        archives, two_runs, tmp_path):
    """No stand-in routing: WAYBACK_URL and WAYBACK_CDX_URL name a private archive on loopback (a
    private address, a port other than 80/443), and the host guard lets exactly that archive
    through. That archive throttles (pywb behind mirror/throttling_proxy.py): its first CDX
    request and its first article capture are answered 429 with Retry-After. The recovery waits
    at least that long, asks again, and still recovers every article once."""
    crawled = crawled_records(two_runs)
    rules = [Rule(lambda path: "/cdx?" in path, retry_after=1),
             Rule(lambda path: "id_/" in path and "/view_content/" in path, retry_after=2)]
    with throttling(archives.pywb_url.removeprefix("http://"), rules) as archive:
        base = f"{archive.url}/{COLLECTION}"
        result = run_scrapy("recover", SITE, "--data-dir", str(tmp_path), "-s", f"WAYBACK_URL={base}",
                            "-s", f"WAYBACK_CDX_URL={base}/cdx", "-s", "RECOVERY_DOWNLOAD_DELAY=0")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout[result.stdout.index("{"):])
    records = [json.loads(line) for line in
               (tmp_path / SITE / f"{SITE}-{report['run_id']}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in records if r["version"] == 1) == sorted({*crawled, ONLY_LISTED_ID})  # once each
    assert all(r["archive_url"].startswith(base + "/") for r in records)
    assert "wayback " in result.stderr and f"{SITE} articles from: wayback" in result.stderr  # the human summary
    assert not report["sites"][SITE]["blocked"]
    # each throttled request asked again, no sooner than its Retry-After, and then answered
    for rule in rules:
        assert rule.fired, "the rule never matched a request"
        times = [arrived for arrived, path, _ in archive.log if path == rule.fired]
        assert len(times) == 2 and times[1] - times[0] >= rule.retry_after, (rule.fired, times)
    # the throttling shows in the counts: 2 retries for 429, both waited out as asked, nothing failed
    stats = json.loads((tmp_path / SITE / f"{SITE}-{report['run_id']}.stats.json").read_text(encoding="utf-8"))
    assert report["sites"][SITE]["retried"] == {"http_429": 2} and report["sites"][SITE]["failed"] == {}
    assert stats["wardcrawl/retry_after_honoured"] == 2 and stats["downloader/response_status_count/429"] == 2
    assert report["healthy"]


def test_a_killed_recovery_resumes_without_fetching_what_it_had(archives, two_runs, tmp_path):
    crawled = crawled_records(two_runs)
    kill_after = 5
    command = recover_command(archives, tmp_path, "-s", "RECOVERY_DOWNLOAD_DELAY=0.3")
    kill_9_after_journal_lines(command, tmp_path / SITE, kill_after, 120, poll=0.05)

    resumed = recover(archives, tmp_path)
    records = [r for feed in sorted((tmp_path / SITE).glob(f"{SITE}-*.jsonl"))
               for r in map(json.loads, feed.read_text(encoding="utf-8").splitlines())]
    assert_same_articles(records, crawled, extra=(ONLY_LISTED_ID,))  # nothing lost, nothing twice
    # the index the killed run had read is not asked again: its page comes from the state store
    assert resumed.stats["wardcrawl/recovery/index_pages_resumed"] == 1
    assert resumed.stats.get("wardcrawl/recovery/index_pages", 0) == 0
    # what the killed run had journaled is not fetched again
    assert resumed.stats["wardcrawl/recovery/article_captures"] <= len(crawled) + 4 - kill_after
