"""The pure parts of a recovery's capture handling (wardcrawl/sources/captures.py)."""

from __future__ import annotations

from wardcrawl.sources.captures import (CaptureIndex, from_rows, memento_timestamp, redirect_target, to_rows,
                                        url_form, version_chain)
from wardcrawl.sources.commoncrawl import CrawlCapture
from wardcrawl.sources.wayback import ArchivedCapture


def capture(url, ts, status="200", mime="text/html"):
    return ArchivedCapture(url, ts, status, mime, ts)


def test_an_archived_link_finds_the_newest_capture_of_its_url_in_any_form():
    index = CaptureIndex([capture("http://s.vn/list/", "20200101000000"), capture("https://S.vn:443/list", "20220101000000"),
                          capture("http://s.vn/list", "20230101000000", status="404"),
                          capture("http://s.vn/list?page=2", "20210101000000")])
    assert [c.timestamp for c in index.captures_of("http://s.vn/list")] == ["20220101000000", "20200101000000"]
    assert index.captures_of("http://s.vn/list#top") == index.captures_of("http://s.vn/list")
    assert url_form("http://s.vn:8080/a/") == "s.vn:8080/a"
    assert index.captures_of("http://s.vn/other") == []


def test_versions_are_fetched_oldest_first_less_what_was_done():
    newest_first = [capture("u", "2024"), capture("u", "2023"), capture("u", "2022"), capture("u", "2021")]
    assert [c.timestamp for c in version_chain(newest_first, set())] == ["2021", "2022", "2023", "2024"]
    assert [c.timestamp for c in version_chain(newest_first, {("u", "2022")}, per_article=3)] == ["2023", "2024"]
    assert [c.timestamp for c in version_chain([capture("u", "20240301000000"), capture("u", "20230101000000")],
                                               set(), since="2024-01-01")] == ["20240301000000"]


def test_an_archived_redirect_points_into_the_archive_or_at_the_site():
    assert redirect_target("http://s.vn/a", "20240101000000", "https://web.archive.org/web/20240102000000id_/http://s.vn/b") \
        == ("20240102000000", "http://s.vn/b")
    assert redirect_target("http://s.vn/a", "20240101000000", "/coll/20240103000000id_/http:/s.vn/c") \
        == ("20240103000000", "http://s.vn/c")
    assert redirect_target("http://s.vn/x/a", "20240101000000", "../b?q=1") == ("20240101000000", "http://s.vn/b?q=1")


def test_memento_datetime_and_saved_rows():
    assert memento_timestamp(b"Fri, 15 Jan 2027 00:00:05 GMT") == "20270115000005"
    assert memento_timestamp("not a date") is None and memento_timestamp(None) is None
    rows = [capture("http://s.vn/a", "2024"), CrawlCapture("http://s.vn/b", "2025", "200", "text/html", "D", "f.warc.gz", 5, 9)]
    assert from_rows(to_rows(rows)) == rows
