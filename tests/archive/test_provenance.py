"""Where a WARC record's bytes came from (wardcrawl/archive/provenance.py): a capture `scrapy
recover` fetched from a web archive keeps the provenance the recovery recorded; anything else
re-extracted from a WARC file is "warc-file"."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from scrapy.http import HtmlResponse, Response
from warcio.warcwriter import WARCWriter

from wardcrawl.archive.provenance import archived_page
from wardcrawl.archive.read import ArchivedResponse

PAGE = "http://badinh.hanoi.gov.vn/tin-hoat-dong/-/view_content/155879-x.html"
HTML = "<html><body><p>Bài viết</p></body></html>".encode()


def _capture(url: str, response: Response) -> ArchivedResponse:
    return ArchivedResponse(url=url, response=response, status=response.status,
                            date=datetime(2027, 2, 1, tzinfo=timezone.utc), path=Path("x.warc.gz"),
                            record_id="<urn:uuid:00000000-0000-0000-0000-000000000000>", record_type="response",
                            payload_digest=None, run="r")


def test_a_live_page_from_a_warc_file_is_warc_file():
    capture = _capture(PAGE, HtmlResponse(PAGE, body=HTML))
    page, provenance = archived_page(capture)
    assert page is capture and provenance.fields() == {"source": "warc-file", "captured_at": None, "archive_url": None}


def test_a_wayback_id_replay_is_the_original_page_at_its_memento_time():
    asked = f"https://web.archive.org/web/20270201000000id_/{PAGE}"
    response = HtmlResponse(asked, body=HTML, headers={"Memento-Datetime": "Mon, 15 Jan 2027 00:00:05 GMT"})
    page, provenance = archived_page(_capture(asked, response))
    assert page.url == page.response.url == PAGE and page.response.body == HTML
    # asked at another time, the archive answered its capture of 2027-01-15: that one's own address
    assert provenance.fields() == {"source": "wayback", "captured_at": "2027-01-15T07:00:05+07:00",
                                   "archive_url": f"https://web.archive.org/web/20270115000005id_/{PAGE}"}
    # a private wayback under a path, no Memento-Datetime: the URL's timestamp
    private = f"http://127.0.0.1:8080/archive/20210102030405id_/{PAGE}"
    _, provenance = archived_page(_capture(private, HtmlResponse(private, body=HTML)))
    assert provenance.captured_at == "2021-01-02T10:04:05+07:00" and provenance.archive_url == private
    # a rewritten replay (banner, rewritten links) is not the page as archived: not taken for one
    rewritten = f"https://web.archive.org/web/20210102030405/{PAGE}"
    assert archived_page(_capture(rewritten, HtmlResponse(rewritten, body=HTML)))[1].source == "warc-file"


def _warc_record(url: str, date: str) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + HTML
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(http), length=len(http),
                                                  warc_headers_dict={"WARC-Date": date}))
    return out.getvalue()


def test_a_common_crawl_range_answer_is_the_record_it_holds():
    data = _warc_record(PAGE, "2026-11-22T14:00:00Z")
    file_url = "https://data.commoncrawl.org/crawl-data/CC-MAIN-2026-47/x.warc.gz"
    headers = {"Content-Range": f"bytes 5678-{5678 + len(data) - 1}/99999"}
    page, provenance = archived_page(_capture(file_url, Response(file_url, status=206, body=data, headers=headers)))
    assert isinstance(page.response, HtmlResponse) and page.url == PAGE and page.status == 200
    assert page.response.body == HTML
    assert provenance.fields() == {"source": "commoncrawl", "captured_at": "2026-11-22T21:00:00+07:00",
                                   "archive_url": f"{file_url}#offset=5678&length={len(data)}"}
    # the whole file (200, no range) or a cut record is not one capture
    assert archived_page(_capture(file_url, Response(file_url, status=200, body=data)))[1].source == "warc-file"
    cut = Response(file_url, status=206, body=data[:40], headers={"Content-Range": "bytes 0-39/99999"})
    assert archived_page(_capture(file_url, cut))[1].source == "warc-file"
