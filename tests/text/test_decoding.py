"""Responses re-decoded from their bytes: the fast path agrees with the full decision."""

from __future__ import annotations

import unicodedata

import pytest

from tests.conftest import fixture_pages
from wardcrawl.text.decoding import decoded_response, encoding_of
from wardcrawl.archive.extract import make_response
from wardcrawl.sites import FAMILIES
from wardcrawl.text.encoding import decode_html

PAGES = [p for family in FAMILIES for p in fixture_pages(family)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_fast_path_decides_like_decode_html(page):
    content_type = page.meta["headers"].get("Content-Type")
    body = page.html.read_bytes()
    response = decoded_response(make_response(page.meta["url"], body, {"Content-Type": content_type or ""}))
    full, info = decode_html(body, content_type), encoding_of(response)
    # The fast path keeps the bytes as served (text is NFC'd when cleaned); the slow one re-encodes its text.
    assert unicodedata.normalize("NFC", response.body.decode("utf-8")) == full.text
    assert (info["used"], info["declared"], info["reason"]) == (full.used, full.declared, full.reason)


def test_utf8_under_a_latin1_header_keeps_its_letters():
    body = "<html><body><p>Đảng ủy phường Thượng Thanh</p></body></html>".encode("utf-8")
    scrapy_view = make_response("http://x.vn/", body, {"Content-Type": "text/html; charset=iso-8859-1"})
    assert "Đảng" not in scrapy_view.text  # what Scrapy alone would give
    fixed = decoded_response(scrapy_view)
    assert "Đảng ủy phường Thượng Thanh" in fixed.text
    assert encoding_of(fixed) == {"used": "utf-8", "declared": "iso-8859-1", "reason": "utf8-despite-header"}


def test_gold_set_covers_the_encoding_and_date_cases():
    names = {p.name for p in PAGES}
    for case in ("utf8-under-latin1-header", "cp1258", "cp1258-under-utf8-header", "cp1258-meta-only",
                 "bom-no-charset", "tcvn3", "vni", "odd-characters", "repairable-mojibake", "lossy-mojibake",
                 "nested-tables-br", "long-article", "short-article"):
        assert any(name.endswith("-gold-" + case) for name in names), case
    assert len([n for n in names if "-gold-date-" in n]) >= 14
    articles = [p for p in PAGES if "title" in p.expected]
    assert len(articles) >= 60
    assert {p.family for p in articles} == set(FAMILIES)


def test_utf8_responses_parse_their_bytes_and_match_scrapys_own_selector():
    from scrapy.http import HtmlResponse

    from wardcrawl.text.decoding import Utf8HtmlResponse

    body = "<html><body><p class='x'>Đảng ủy phường</p><a href='/a'>Tin</a></body></html>".encode("utf-8")
    plain = HtmlResponse("http://x.vn/", body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    fast = decoded_response(plain)
    assert isinstance(fast, Utf8HtmlResponse)
    assert fast.css("p.x::text").get() == plain.css("p.x::text").get() == "Đảng ủy phường"
    assert fast.css("a::attr(href)").getall() == ["/a"]
    empty = decoded_response(HtmlResponse("http://x.vn/api", body=b"", headers={"Content-Type": "text/html; charset=utf-8"}))
    assert empty.css("a").getall() == []


def test_legacy_sign_count_agrees_with_the_regex_definition():
    """The byte-pair shortcut decides as counting both sign patterns with regexes would, around the threshold."""
    import random
    import re

    from wardcrawl.text.decoding import LEGACY_HINT_MIN, _has_legacy_hints

    reference = (re.compile(rb"\xc2[\xa1-\xa8\xac-\xba\xbc-\xbf]"), re.compile(rb"\xc3[\xb6\xb8\xa4\xb1\x96]"))
    pieces = [b"a", b" ", "Việt".encode(), "à".encode(), b"\xc2\xa0", b"\xc2\xa9", b"\xc2\xb3", b"\xc2\xbb",
              b"\xc3\xb6", b"\xc3\x96", b"\xc3\xa4", b"\xc2", b"\xc3"]
    rng = random.Random(7)
    decided = set()
    for _ in range(3000):
        body = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        want = sum(len(p.findall(body)) for p in reference) >= LEGACY_HINT_MIN
        assert _has_legacy_hints(body) == want, body
        decided.add(want)
    assert decided == {True, False}
