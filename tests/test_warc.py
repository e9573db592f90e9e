"""WARC capture: every response archived with its request, records linked to it, and
re-extraction from the WARC giving the crawl's records back (docs/warc.md)."""

from __future__ import annotations

import gzip
import io
import json
import random
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from scrapy import FormRequest, Request, Spider, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from tests.conftest import REPO_ROOT, fixture_pages, run_scrapy
from wardcrawl.archive.extract import FETCH_TIME_FIELDS, REEXTRACTION_FIELDS, extract
from wardcrawl.items import Article
from wardcrawl.sites import registry
from wardcrawl.archive.capture import WarcCaptureMiddleware, WarcLinkMiddleware, WarcRedirectCaptureMiddleware
from wardcrawl.archive.warc import (
    INDEX_NAME, META_KEY, REVISIT_PROFILE, DigestIndex, RotatingWarcWriter, fetched_at, http_header_lines,
    payload_digest, request_header_lines,
)
from wardcrawl.archive.read import UnfinishedWarc, iter_archived_responses, warc_paths


# -- helpers ------------------------------------------------------------------------------

def _stats(data_dir: Path, path: Path, run_id: str) -> dict:
    site = path.name.split(f"-{run_id}-")[0]
    return json.loads((data_dir / site / f"{site}-{run_id}.stats.json").read_text(encoding="utf-8"))


def _records(path: Path) -> list:
    with path.open("rb") as fh:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(fh)]


def _reextract(files: list[Path], data_dir: Path | None = None) -> tuple[dict[str, dict], str]:
    args = ["extract", *map(str, files)] + (["--data-dir", str(data_dir)] if data_dir else [])
    result = run_scrapy(*args)
    assert result.returncode == 0, result.stderr[-4000:]
    records: dict[str, dict] = {}
    for line in result.stdout.splitlines():
        record = json.loads(line)
        assert record["id"] not in records, f"{record['id']} emitted twice"
        records[record["id"]] = record
    return records, result.stderr


def _content(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in REEXTRACTION_FIELDS}


def _warcio_check(files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, files)],
                          capture_output=True, text=True, timeout=120)


# -- crawl -> WARC -> re-extract ----------------------------------------------------------

def test_round_trip_crawl_warc_reextract_gives_the_same_records(two_runs):
    first = two_runs.first
    assert first.warcs and len(first.feeds) > 100
    records, summary = _reextract(first.warcs, two_runs.data_dir)
    assert set(records) == set(first.feeds)
    for article_id, crawled in first.feeds.items():
        assert _content(records[article_id]) == _content(crawled), article_id
        assert crawled["source"] == "live" and records[article_id]["source"] == "warc-file"
        # the same bytes: the very record the crawl parsed, fetched_at its WARC-Date
        assert {k: records[article_id][k] for k in FETCH_TIME_FIELDS} == \
               {k: crawled[k] for k in FETCH_TIME_FIELDS}, article_id
    # the summary counts them per site by source, as a run's summary does
    per_site = Counter(r["site"] for r in records.values())
    for slug, count in per_site.items():
        assert f"extract: {slug} articles from: warc-file {count}\n" in summary, slug


def test_every_record_names_the_warc_record_it_was_parsed_from(two_runs):
    data_dir, first = two_runs.data_dir, two_runs.first
    by_file: dict[str, dict[str, tuple]] = {}
    for record in first.feeds.values():
        assert record["warc_file"].startswith("warc/") and record["warc_file"].endswith(".warc.gz")
        if record["warc_file"] not in by_file:
            by_file[record["warc_file"]] = {
                h.get_header("WARC-Record-ID"): (kind, h.get_header("WARC-Target-URI"), h.get_header("WARC-Payload-Digest"),
                                                 h.get_header("WARC-Date"))
                for kind, h, _, _ in _records(data_dir / record["warc_file"])}
        kind, uri, digest, date = by_file[record["warc_file"]][record["warc_record_id"]]
        assert kind in ("response", "revisit")
        assert uri == record["url"]
        assert digest == record["warc_payload_digest"]
        assert record["fetched_at"] == fetched_at(date)  # the WARC-Date, to the second (CDX timestamps)


def test_warcs_pass_warcio_check_and_no_open_file_is_left(two_runs):
    files = two_runs.first.warcs + two_runs.second.warcs
    result = _warcio_check(files)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "digest pass" in result.stdout
    assert not list((two_runs.data_dir / "warc").glob("*.open"))
    assert (two_runs.data_dir / "warc" / INDEX_NAME).is_file()


def test_each_warc_opens_with_a_warcinfo_naming_crawler_and_settings(two_runs):
    for path in two_runs.first.warcs:
        kind, headers, _, payload = _records(path)[0]
        assert kind == "warcinfo"
        assert headers.get_header("WARC-Filename") == path.name
        info = dict(line.split(": ", 1) for line in payload.decode("utf-8").splitlines())
        assert info["software"].startswith("wardcrawl/")
        assert info["isPartOf"] == path.name.rsplit("-", 1)[0]  # <site>-<run>
        assert info["robots"] == "obey"
        settings = json.loads(info["wardcrawl-settings"])
        assert settings["WARC_ENABLED"] in ("1", True) and settings["ROBOTSTXT_OBEY"] is True


def test_each_response_is_written_with_its_request(two_runs):
    for path in two_runs.first.warcs:
        records = _records(path)
        responses = {h.get_header("WARC-Record-ID"): h for kind, h, _, _ in records if kind in ("response", "revisit")}
        requests = [(h, http, body) for kind, h, http, body in records if kind == "request"]
        assert len(requests) == len(responses)
        for headers, http, body in requests:
            response = responses[headers.get_header("WARC-Concurrent-To")]
            assert headers.get_header("WARC-Target-URI") == response.get_header("WARC-Target-URI")
            assert http.get_header("User-Agent").startswith("wardcrawl/")
            assert http.protocol in ("GET", "POST") and bool(body) == (http.protocol == "POST")  # method; form body
            assert http.get_header("Host")
            if http.protocol == "POST":  # as sent: a reader needs it to find the body
                assert http.get_header("Content-Length") == str(len(body))
        urls = {h.get_header("WARC-Target-URI") for h in responses.values()}
        assert any(u.endswith("/robots.txt") for u in urls)  # every fetched response, robots.txt too


def _methods(records: list) -> dict[str, str]:
    """Response record id -> the method of its request."""
    return {h.get_header("WARC-Concurrent-To"): http.protocol for kind, h, http, _ in records if kind == "request"}


def test_second_run_of_an_unchanged_mirror_writes_revisits_of_every_get(two_runs):
    first_ids = {h.get_header("WARC-Record-ID"): h for p in two_runs.first.warcs
                 for kind, h, _, _ in _records(p) if kind in ("response", "revisit")}
    second = two_runs.second
    assert [p.name.split(f"-{second.run_id}-")[0] for p in second.warcs] == \
           [p.name.split(f"-{two_runs.first.run_id}-")[0] for p in two_runs.first.warcs]
    posts = 0
    for path in second.warcs:
        records = _records(path)
        methods = _methods(records)
        kinds = [kind for kind, *_ in records]
        assert set(kinds) <= {"warcinfo", "request", "revisit", "response"}, path.name
        for kind, headers, *_ in records:  # a POST's answer is a full record: indexers key it by its body
            if kind in ("response", "revisit"):
                assert kind == ("revisit" if methods[headers.get_header("WARC-Record-ID")] == "GET" else "response")
                posts += kind == "response"
        # every response the downloader returned was archived
        assert kinds.count("revisit") + kinds.count("response") == \
               _stats(two_runs.data_dir, path, second.run_id)["downloader/response_count"]
        for kind, headers, http, payload in records:
            if kind != "revisit":
                continue
            assert headers.get_header("WARC-Profile") == REVISIT_PROFILE
            assert payload == b"" and http.get_statuscode()
            original = first_ids[headers.get_header("WARC-Refers-To")]
            assert original.get_header("WARC-Type") == "response"
            assert original.get_header("WARC-Payload-Digest") == headers.get_header("WARC-Payload-Digest")
            assert original.get_header("WARC-Target-URI") == headers.get_header("WARC-Refers-To-Target-URI")
            assert original.get_header("WARC-Date") == headers.get_header("WARC-Refers-To-Date")
    assert posts  # the re-run walks the AJAX listings again
    assert sum(p.stat().st_size for p in second.warcs) < sum(p.stat().st_size for p in two_runs.first.warcs) / 2


def test_second_run_reextracts_through_its_revisits(two_runs):
    first, second = two_runs.first, two_runs.second
    kinds = [kind for p in second.warcs for kind, *_ in _records(p)]
    revisits, responses = kinds.count("revisit"), kinds.count("response")  # responses: POST answers
    records, stderr = _reextract(second.warcs, two_runs.data_dir)  # originals: in the first run's files
    assert f"from {responses} response and {revisits} revisit records" in stderr
    assert "revisit_without_original" not in stderr
    resolved = list(iter_archived_responses(second.warcs))
    assert len(resolved) == revisits + responses
    for capture in resolved:  # each revisit read back with the very bytes its digest names
        assert payload_digest(capture.response.body) == capture.payload_digest
    for article_id, record in records.items():  # the same bytes, the same records as the first crawl
        assert _content(record) == _content(first.feeds[article_id]), article_id
        assert f"-{second.run_id}-" in record["warc_file"]
        assert record["warc_payload_digest"] == first.feeds[article_id]["warc_payload_digest"]
    for article_id, crawled in second.feeds.items():  # whatever the re-run exported links to its revisits
        assert records[article_id]["warc_record_id"] == crawled["warc_record_id"]


# -- the writer: crash safety, rotation, index --------------------------------------------

def _write(writer: RotatingWarcWriter, url: str, body: bytes) -> tuple[dict, str]:
    return writer.write_exchange(
        url=url, status_line="200 OK", protocol="HTTP/1.1",
        headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))], body=body,
        request_line="GET / HTTP/1.1", request_headers=[("Host", "longbien.hanoi.gov.vn")])


CRASHING_WRITER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from wardcrawl.archive.warc import RotatingWarcWriter
    writer = RotatingWarcWriter(Path(sys.argv[1]), "longbien-crash", {"software": "test"})
    for i in range(3):
        writer.write_exchange(url=f"http://longbien.hanoi.gov.vn/p{i}", status_line="200 OK", protocol="HTTP/1.1",
                              headers=[("Content-Type", "text/html")], body=b"<html>%d</html>" % i,
                              request_line="GET / HTTP/1.1", request_headers=[])
    os._exit(1)  # killed mid-crawl: no close, no rename
""")


def test_a_crash_leaves_only_an_open_file_that_is_never_read_as_finished(tmp_path):
    result = subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(tmp_path)], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    left = sorted(p.name for p in (tmp_path / "warc").iterdir())
    assert left == ["longbien-crash-00000.warc.gz.open"]
    assert warc_paths([tmp_path / "warc"]) == []
    with pytest.raises(UnfinishedWarc):
        warc_paths([tmp_path / "warc" / left[0]])
    result = run_scrapy("extract", str(tmp_path / "warc" / left[0]))
    assert result.returncode != 0 and "unfinished WARC" in result.stderr


def test_files_rotate_by_size_each_complete_with_its_warcinfo(tmp_path):
    writer = RotatingWarcWriter(tmp_path, "longbien-r1", {"software": "test"}, max_size=2_000)
    bodies = [random.Random(i).randbytes(3_000) for i in range(3)]  # incompressible: > 2 kB each
    links = [_write(writer, f"http://longbien.hanoi.gov.vn/p{i}", body)[0] for i, body in enumerate(bodies)]
    assert not list((tmp_path / "warc").glob("*.open"))  # each full file closed as soon as it filled
    writer.close()
    files = sorted((tmp_path / "warc").glob("*.warc.gz"))
    assert [p.name for p in files] == [f"longbien-r1-0000{i}.warc.gz" for i in range(3)]
    assert [link["warc_file"] for link in links] == [f"warc/{p.name}" for p in files]
    for path in files:
        assert [kind for kind, *_ in _records(path)] == ["warcinfo", "response", "request"]
    assert _warcio_check(files).returncode == 0


def test_revisits_are_indexed_only_once_their_file_is_finished(tmp_path):
    index = DigestIndex.open(tmp_path / "warc" / INDEX_NAME)
    url, body = "http://longbien.hanoi.gov.vn/a", b"<html>same</html>"
    first = RotatingWarcWriter(tmp_path, "longbien-r1", {"software": "test"}, index=index)
    link, kind = _write(first, url, body)
    assert kind == "response" and link["warc_payload_digest"] == payload_digest(body)
    assert _write(first, url, body)[1] == "revisit"  # same run: from the open file's own captures
    assert index.lookup(url, link["warc_payload_digest"]) is None  # not while its file is .open
    first.close()
    assert index.lookup(url, link["warc_payload_digest"])[1].record_id == link["warc_record_id"]

    second = RotatingWarcWriter(tmp_path, "longbien-r2", {"software": "test"}, index=index)
    revisit, kind = _write(second, url, body)
    assert kind == "revisit" and revisit["warc_payload_digest"] == link["warc_payload_digest"]
    assert _write(second, "http://longbien.hanoi.gov.vn/a?variant=1", body)[1] == "revisit"  # another URL, same bytes
    assert _write(second, url, body + b" changed")[1] == "response"
    second.close()
    index.release()
    headers = [h for kind, h, _, _ in _records(tmp_path / "warc" / "longbien-r2-00000.warc.gz") if kind == "revisit"]
    assert {h.get_header("WARC-Refers-To") for h in headers} == {link["warc_record_id"]}
    assert {h.get_header("WARC-Refers-To-Target-URI") for h in headers} == {url}
    captures = list(iter_archived_responses(warc_paths([tmp_path / "warc" / "longbien-r2-00000.warc.gz"])))
    assert [c.response.body for c in captures] == [body, body, body + b" changed"]  # originals found beside


def test_recorded_headers_are_coherent_with_the_decoded_body():
    from scrapy.http import Headers

    headers = Headers({"Content-Type": "text/html", "Content-Length": "120", "Transfer-Encoding": "chunked"})
    lines = http_header_lines(headers, 400)
    assert ("Content-Length", "400") in lines
    assert ("X-Wardcrawl-Original-Content-Length", "120") in lines
    assert ("X-Wardcrawl-Original-Transfer-Encoding", "chunked") in lines
    assert not any(k.lower() == "transfer-encoding" for k, _ in lines)
    assert sum(k.lower() == "content-length" for k, _ in lines) == 1


# -- the middlewares ----------------------------------------------------------------------

class _Spider(Spider):
    name = "longbien"
    run_id = "20250101T000000"


def _crawler(tmp_path, **settings):
    crawler = get_crawler(_Spider, {"DATA_DIR": str(tmp_path), "WARC_ENABLED": True, **settings})
    crawler.spider = _Spider()
    return crawler


def test_middlewares_are_off_unless_enabled_and_on_in_cron(tmp_path):
    crawler = get_crawler(_Spider, {"DATA_DIR": str(tmp_path)})
    for cls in (WarcCaptureMiddleware, WarcRedirectCaptureMiddleware, WarcLinkMiddleware):
        with pytest.raises(NotConfigured):
            cls.from_crawler(crawler)
    base, cron = Settings(), Settings()
    base.setmodule("wardcrawl.settings.base")
    cron.setmodule("wardcrawl.settings.cron")
    assert base.getbool("WARC_ENABLED") is False and cron.getbool("WARC_ENABLED") is True
    assert "wardcrawl.archive.capture.WarcCaptureMiddleware" in cron.getdict("DOWNLOADER_MIDDLEWARES")
    assert "wardcrawl.archive.capture.WarcLinkMiddleware" in cron.getdict("SPIDER_MIDDLEWARES")


def test_capture_links_responses_and_items(tmp_path):
    crawler = _crawler(tmp_path)
    capture, redirects = WarcCaptureMiddleware.from_crawler(crawler), WarcRedirectCaptureMiddleware.from_crawler(crawler)
    link = WarcLinkMiddleware.from_crawler(crawler)
    url = "http://longbien.hanoi.gov.vn/tintuccacdonvi"
    request = Request(url, headers={"User-Agent": "wardcrawl/test"})
    body = "<html><body>Long Biên</body></html>".encode()
    response = HtmlResponse(url, body=body, request=request, protocol="HTTP/1.1",
                            headers={"Content-Type": "text/html; charset=utf-8", "Content-Length": "30"})
    assert redirects.process_response(request, response) is response  # not a 3xx: not its job
    assert META_KEY not in request.meta
    assert capture.process_response(request, response) is response
    linkage = request.meta[META_KEY]
    assert linkage["warc_payload_digest"] == payload_digest(body)

    moved = Request("http://longbien.hanoi.gov.vn/")
    redirect = Response(moved.url, status=302, headers={"Location": url}, request=moved)
    capture.process_response(moved, redirect)
    assert META_KEY not in moved.meta  # 3xx: recorded before RedirectMiddleware, not here
    redirects.process_response(moved, redirect)
    assert META_KEY in moved.meta

    cached = Request(url + "?cached")
    cached.meta[META_KEY] = {"stale": True}
    capture.process_response(cached, HtmlResponse(cached.url, body=b"<html/>", request=cached, flags=["cached"]))
    assert META_KEY not in cached.meta  # from the HTTP cache: not a fetch, not recorded

    article = Article(id="longbien:1", site="longbien", url=url, canonical_url=url, title="t", body="b")
    follow = Request(url + "?next")
    out = list(link.process_spider_output(response, [article, follow]))
    assert out[1] is follow
    assert (article.warc_file, article.warc_record_id, article.warc_payload_digest) == \
           (linkage["warc_file"], linkage["warc_record_id"], linkage["warc_payload_digest"])

    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")
    path = tmp_path / linkage["warc_file"]
    records = _records(path)
    assert [kind for kind, *_ in records] == ["warcinfo", "response", "request", "response", "request"]
    _, headers, http, payload = records[1]
    assert payload == body and headers.get_header("WARC-Record-ID") == linkage["warc_record_id"]
    assert http.get_header("Content-Length") == str(len(body))
    assert http.get_header("X-Wardcrawl-Original-Content-Length") == "30"
    assert records[3][2].get_statuscode() == "302"
    assert _warcio_check([path]).returncode == 0


NEWSZONE = "https://viethung.hanoi.gov.vn/api/NewsZone/NewsZone"


def _post_listing_pages(tmp_path) -> tuple[Path, list[FormRequest]]:
    """Two pages of a hanoicms listing, POSTed to one URL, captured by the middleware."""
    crawler = _crawler(tmp_path)
    capture = WarcCaptureMiddleware.from_crawler(crawler)
    requests = []
    for page in (1, 2):
        request = FormRequest(NEWSZONE, formdata={"ZoneId": "12", "PageIndex": str(page), "PageSize": "10"},
                              headers={"User-Agent": "wardcrawl/test"})
        body = f"<ul><li><a href='/tin-tuc/bai-{page}.htm'>page {page}</a></li></ul>".encode()
        capture.process_response(request, HtmlResponse(NEWSZONE, body=body, request=request, protocol="HTTP/1.1",
                                                       headers={"Content-Type": "text/html; charset=utf-8"}))
        requests.append(request)
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")
    return tmp_path / requests[0].meta[META_KEY]["warc_file"], requests


def test_post_request_records_are_written_as_sent(tmp_path):
    path, requests = _post_listing_pages(tmp_path)
    posts = [(http, body) for kind, _, http, body in _records(path) if kind == "request"]
    assert [body for _, body in posts] == [r.body for r in requests]  # warcio reads each form body back
    for (http, body), request in zip(posts, requests):
        assert http.protocol == "POST" and http.get_header("Content-Length") == str(len(body))
        assert http.get_header("Content-Type") == "application/x-www-form-urlencoded"
        assert http.get_header("Host") == "viethung.hanoi.gov.vn"  # https: the default port is not written
    assert ("Content-Length", "0") in request_header_lines(Request(NEWSZONE, method="POST"))
    assert not any(k == "Content-Length" for k, _ in request_header_lines(Request(NEWSZONE)))
    assert ("Host", "127.0.0.1:8080") in request_header_lines(Request("http://127.0.0.1:8080/"))
    proxied = request_header_lines(Request(NEWSZONE, headers={"Proxy-Authorization": "Basic eDp5"}))
    assert not any(k.lower() == "proxy-authorization" for k, _ in proxied)  # the proxy's, not the site's


def test_post_answers_are_never_revisits_nor_their_originals(tmp_path):
    index = DigestIndex.open(tmp_path / "warc" / INDEX_NAME)
    writer = RotatingWarcWriter(tmp_path, "viethung-r1", {"software": "test"}, index=index)
    empty = dict(url=NEWSZONE, status_line="200 OK", protocol="HTTP/1.1", headers=[("Content-Type", "text/html")],
                 body=b"<ul></ul>", request_headers=[("Host", "viethung.hanoi.gov.vn")])
    posts = [writer.write_exchange(**empty, request_line="POST /api/NewsZone/NewsZone HTTP/1.1",
                                   request_body=f"PageIndex={page}".encode())[1] for page in (3, 4)]
    gets = [writer.write_exchange(**empty, request_line="GET /api/NewsZone/NewsZone HTTP/1.1")[1] for _ in (1, 2)]
    writer.close()
    index.release()
    assert posts == ["response", "response"]  # the same empty answer to two pages: each a full record
    assert gets == ["response", "revisit"]  # a GET of the same bytes is not sent to a POST's record


def test_two_listing_pages_posted_to_one_url_get_distinct_cdxj_keys(tmp_path):
    """cdxj-indexer (what py-wacz indexes with) appends each POST body to its URL key, as pywb does."""
    from cdxj_indexer.main import CDXJIndexer

    path, _ = _post_listing_pages(tmp_path)
    out = io.StringIO()
    CDXJIndexer(output=out, inputs=[str(path)], post_append=True, sort=True).process_all()
    keys = [line.split(" ", 1)[0] for line in out.getvalue().splitlines()
            if json.loads(line.split(" ", 2)[2]).get("mime") != "warc/request"]
    assert len(keys) == 2 and len(set(keys)) == 2, keys
    for page, key in zip((1, 2), keys):
        assert "__wb_method=post" in key and f"pageindex={page}" in key, key


def test_items_are_fetched_at_their_warc_date(tmp_path):
    crawler = _crawler(tmp_path)
    capture, link = WarcCaptureMiddleware.from_crawler(crawler), WarcLinkMiddleware.from_crawler(crawler)
    url = "http://longbien.hanoi.gov.vn/tintuccacdonvi?id=1"
    request = Request(url)
    response = HtmlResponse(url, body=b"<html></html>", request=request)
    capture.process_response(request, response)
    article = Article(id="longbien:1", site="longbien", url=url, canonical_url=url, title="t", body="b",
                      fetched_at="2000-01-01T00:00:00+07:00")  # the parser's clock, a moment later
    list(link.process_spider_output(response, [article]))
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason="finished")
    date = next(h.get_header("WARC-Date") for kind, h, _, _ in _records(tmp_path / article.warc_file)
                if kind == "response")
    assert article.fetched_at == fetched_at(date) and article.fetched_at.endswith("+07:00")
    assert fetched_at("2026-11-22T16:59:59.999999Z") == "2026-11-22T23:59:59+07:00"  # truncated, as CDX is


# -- WARCs made by other crawlers ---------------------------------------------------------

def _chunked(data: bytes, size: int = 1000) -> bytes:
    chunks = [data[i:i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"


def test_extract_reads_another_crawlers_warc(tmp_path):
    """WARC/1.0 as a transparent capture keeps it: gzip content-encoding, chunked, one other host."""
    page = next(p for p in fixture_pages("liferay") if p.name == "longbien-seed-000")
    raw = page.html.read_bytes()
    path = tmp_path / "other-crawler.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.0")
        for url, body in ((page.meta["url"], raw), ("http://example.org/news/1.html", b"<html><p>x</p></html>")):
            http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n" + _chunked(gzip.compress(body)))
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(http), length=len(http),
                warc_headers_dict={"WARC-Date": "2026-11-22T14:00:00Z"}))
    records, stderr = _reextract([path])
    expected = extract(registry()["longbien"], page.response()).record
    assert list(records) == [expected["id"]]
    record = records[expected["id"]]
    assert _content(record) == _content(expected)
    assert record["fetched_at"] == "2026-11-22T21:00:00+07:00"  # the WARC-Date, in Hanoi time
    assert record["warc_file"] == str(path) and record["warc_payload_digest"].startswith("sha1:")
    assert "example.org (1)" in stderr  # a host no registry site serves: skipped and counted
