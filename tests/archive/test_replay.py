"""Our WARCs replayed by pywb (the Webrecorder's wayback machine, in its own venv; mirror/pywb.py):
an article through `id_` is its archived payload byte for byte, and each listing page POSTed to
the NewsZone API replays its own answer (pywb indexes a POST by its form body)."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_timestamp

from mirror import pywb
from tests.conftest import require_pywb

COLLECTION = "wardcrawl"


@dataclass
class Exchange:
    uri: str
    timestamp: str  # 14 digits, from the WARC-Date
    method: str
    request_body: bytes
    content_type: str
    status: int
    payload: bytes


def _exchanges(warcs: list[Path]) -> dict[str, Exchange]:
    """Response record id -> the exchange (response records only: their payload is in the record)."""
    responses, requests = {}, {}
    for path in warcs:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                headers = record.rec_headers
                if record.rec_type == "response":
                    responses[headers.get_header("WARC-Record-ID")] = (
                        headers.get_header("WARC-Target-URI"), iso_date_to_timestamp(headers.get_header("WARC-Date")),
                        int(record.http_headers.get_statuscode()), record.content_stream().read())
                elif record.rec_type == "request":
                    requests[headers.get_header("WARC-Concurrent-To")] = (
                        record.http_headers.protocol, record.content_stream().read(),
                        record.http_headers.get_header("Content-Type") or "")
    return {rid: Exchange(uri, ts, *requests[rid], status, payload) for rid, (uri, ts, status, payload)
            in responses.items()}


@pytest.fixture(scope="module")
def wayback(two_runs, tmp_path_factory):
    require_pywb()
    root = tmp_path_factory.mktemp("pywb")
    pywb.make_collection(root, COLLECTION, two_runs.first.warcs)
    with pywb.running_wayback(root) as server:
        yield server


def _fetch(url: str, body: bytes | None = None, content_type: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_an_article_replays_through_id_as_its_archived_payload(wayback, two_runs):
    exchanges = _exchanges(two_runs.first.warcs)
    articles = [r for r in two_runs.first.feeds.values() if r["warc_record_id"] in exchanges]
    assert len(articles) > 100
    for record in articles[::25]:  # a spread of sites and families
        exchange = exchanges[record["warc_record_id"]]
        status, body = _fetch(wayback.replay_url(COLLECTION, exchange.timestamp, exchange.uri))
        assert status == 200, (record["url"], body[:300])
        assert body == exchange.payload, record["url"]  # byte for byte: no rewriting under id_


def test_each_listing_page_posted_replays_its_own_answer(wayback, two_runs):
    posts = [e for e in _exchanges(two_runs.first.warcs).values() if e.method == "POST" and e.status == 200]
    by_uri: dict[str, set[bytes]] = {}
    for exchange in posts:
        by_uri.setdefault(exchange.uri, set()).add(exchange.payload)
    # the test can fail: one URI answers several pages with different bytes
    assert any(len(payloads) > 1 for payloads in by_uri.values())
    for exchange in posts:
        status, body = _fetch(wayback.replay_url(COLLECTION, exchange.timestamp, exchange.uri),
                              exchange.request_body, exchange.content_type)
        assert status == 200, (exchange.uri, exchange.request_body, body[:300])
        assert body == exchange.payload, (exchange.uri, exchange.request_body)
        print(f"replayed POST {exchange.uri} {exchange.request_body.decode()} -> {len(body)} bytes, its own answer")
