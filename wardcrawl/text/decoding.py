"""Responses decoded from their raw bytes, whatever the headers claim.

Scrapy believes the Content-Type charset over the bytes, and reads latin-1 labels as cp1252
with errors='replace', which destroys a UTF-8 "Đ" for good. ``DecodingMiddleware`` hands
the spider a response re-decoded by ``wardcrawl.text.encoding.decode_html`` (BOM, UTF-8
despite a single-byte label, windows-1258 then NFC, TCVN3/VNI legacy fonts converted), as
UTF-8, and notes in ``response.meta`` what was declared and what was used. It runs after
WARC capture on the response path, so archives keep the bytes as served.
"""

from __future__ import annotations

import re

from lxml import etree
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.selector import Selector

from wardcrawl.text.encoding import BOMS, REASON_DECLARED, REASON_META, decode_html, declared_charset

ENCODING_META = "wardcrawl_encoding"
# TCVN3/VNI text read as cp1252 (then saved as UTF-8) is full of signs and letters Vietnamese
# never uses: U+00A1-U+00BF but the common ©, «, » and ª (UTF-8 C2 xx), and VNI's marks
# ö ø ä ñ Ö (C3 xx). Matched on the bytes, no decoding; two patterns, each with a literal first
# byte the regex engine can skip to (one alternation of both scans ~10x slower; five bytes.count
# of the C3 pairs ~10x slower too: Vietnamese UTF-8 is full of C3, à á â ã è é ê). The C2 pattern
# runs only when the page holds enough C2 bytes at all (one memchr-fast count).
LEGACY_C2_SIGNS = re.compile(rb"\xc2[\xa1-\xa8\xac-\xba\xbc-\xbf]")
LEGACY_C3_SIGNS = re.compile(rb"\xc3[\xb6\xb8\xa4\xb1\x96]")
LEGACY_HINT_MIN = 5
_BOM_BYTES = tuple(bom for bom, _ in BOMS)


def _has_legacy_hints(body: bytes) -> bool:
    """Whether the bytes hold at least LEGACY_HINT_MIN legacy-font signs."""
    found = len(LEGACY_C3_SIGNS.findall(body))
    if found >= LEGACY_HINT_MIN:
        return True
    if found + body.count(b"\xc2") < LEGACY_HINT_MIN:  # every C2 sign starts with a C2 byte
        return False
    return found + len(LEGACY_C2_SIGNS.findall(body)) >= LEGACY_HINT_MIN


def _plain_utf8(body: bytes, content_type: str | bytes | None) -> str | None:
    """The reason, when the page is what it says: declared UTF-8 (read as decode_html reads
    declarations), valid UTF-8, no BOM, no legacy-font signs: decode_html would decide the
    same; else None."""
    declared, where = declared_charset(body, content_type)
    if declared != "utf-8" or body.startswith(_BOM_BYTES):
        return None
    if _has_legacy_hints(body):
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return REASON_DECLARED if where == "header" else REASON_META


def decoded_response(response: TextResponse, request: Request | None = None) -> TextResponse:
    """The response as UTF-8 HTML decoded from its raw bytes; the decision is in its meta
    (``encoding_of`` reads it).

    A page that is plain UTF-8 as declared keeps its bytes (text is NFC'd field by field when
    cleaned); any other is re-decoded and handed on as UTF-8. HTML comes back as a
    ``Utf8HtmlResponse`` carrying the decision itself, so a response built offline (no request:
    ``scrapy extract``, WARC re-extraction) needs no request made up to hold it."""
    request = request or response.request
    reason = _plain_utf8(response.body, response.headers.get("Content-Type"))
    if reason:
        info = {"used": "utf-8", "declared": "utf-8", "reason": reason}
        if type(response) is not HtmlResponse:  # XML and other text responses keep their class and bytes
            request = request or Request(response.url)
            request.meta[ENCODING_META] = info
            return response if response.request is request else response.replace(request=request)
        decoded = response.replace(cls=Utf8HtmlResponse, request=request)
    else:
        text = decode_html(response.body, response.headers.get("Content-Type"))
        info = {"used": text.used, "declared": text.declared, "reason": text.reason}
        decoded = response.replace(cls=Utf8HtmlResponse, body=text.text.encode("utf-8"), encoding="utf-8",
                                   request=request)
    if request is not None:
        request.meta[ENCODING_META] = info
    decoded.decoding = info
    return decoded


def encoding_of(response: Response) -> dict:
    """{"used", "declared", "reason"} for a response; what Scrapy chose when it was not re-decoded."""
    info = getattr(response, "decoding", None)
    if info is None:
        try:
            info = response.meta.get(ENCODING_META)
        except AttributeError:  # no request: a response built offline and never re-decoded
            info = None
    return info or {"used": getattr(response, "encoding", None), "declared": None, "reason": None}


def is_decoded(response: Response) -> bool:
    """Whether ``decoded_response`` (or DecodingMiddleware) already made this response."""
    if isinstance(response, Utf8HtmlResponse):
        return True
    try:
        return ENCODING_META in response.meta
    except AttributeError:
        return False


def _is_binary(body: bytes) -> bool:
    return b"\x00" in body[:1024]


class DecodingMiddleware:
    """Downloader middleware: every HTML response re-decoded from its bytes (see module doc)."""

    def process_response(self, request, response, spider=None):
        if not isinstance(response, TextResponse) or _is_binary(response.body):
            return response
        return decoded_response(response, request)


class Utf8HtmlResponse(HtmlResponse):
    """An HTML response whose body is known to be valid UTF-8 (checked, or re-encoded, by
    ``decoded_response``): its selector parses the bytes as they are, without Scrapy's
    decode-to-str and re-encode round trip (~20 % of a parse on a 40 KB page), into plain lxml
    elements (lxml.html's element classes are looked up in Python for every node touched:
    walking a tree costs twice as much)."""

    decoding: dict | None = None  # {"used", "declared", "reason"}, set by decoded_response

    @property
    def selector(self):
        if self._cached_selector is None:
            self._cached_selector = Selector(root=_parse_utf8_html(self.body, self.url), type="html")
        return self._cached_selector


def _parse_utf8_html(body: bytes, url: str):
    """The tree of a UTF-8 HTML page, as parsel builds it from bytes (NULs dropped, an empty page an
    empty document), with lxml's own element classes."""
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    if b"\x00" in body:
        body = body.replace(b"\x00", b"")
    root = etree.fromstring(body.strip() or b"<html/>", parser=parser, base_url=url)
    return root if root is not None else etree.fromstring(b"<html/>", parser=parser, base_url=url)


