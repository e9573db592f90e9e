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
import unicodedata

from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse

from wardcrawl.text.encoding import Decoded, decode_html

ENCODING_META = "wardcrawl_encoding"
HEADER_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# Latin-1 signs and letters Vietnamese never uses but TCVN3/VNI text read as cp1252 is full of.
LEGACY_HINT = re.compile("[§¶µ¸¹º¼½¾¿ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþÿ¡¢£¤¥¦¨ª¬®¯°±²³´]")
LEGACY_HINT_MIN = 5
UTF8_LABELS = {b"utf-8", b"utf8"}


def _label(pattern: re.Pattern, data: bytes) -> bytes | None:
    match = pattern.search(data)
    return match.group(1).lower() if match else None


def decode_body(body: bytes, content_type: str | bytes | None) -> Decoded:
    """``decode_html``, with a fast path for the common case it would decide the same way:
    a page declared (or not declared) UTF-8 whose bytes are valid UTF-8 and show no sign of a
    legacy font encoding."""
    ctype = content_type.encode("latin-1") if isinstance(content_type, str) else (content_type or b"")
    header = _label(HEADER_CHARSET, ctype)
    meta = _label(META_CHARSET, body[:4096])
    declared = header or meta
    if declared in UTF8_LABELS and not body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and len(LEGACY_HINT.findall(text, 0, 200_000)) < LEGACY_HINT_MIN:
            reason = "declared" if header else "meta"
            return Decoded(unicodedata.normalize("NFC", text), "utf-8", "utf-8", reason)
    return decode_html(body, content_type)


def decoded_response(response: TextResponse, request: Request | None = None) -> TextResponse:
    """The response as UTF-8 HTML decoded from its raw bytes; the decision is in its meta."""
    decoded = decode_body(response.body, response.headers.get("Content-Type"))
    request = request or response.request or Request(response.url)
    request.meta[ENCODING_META] = {"used": decoded.used, "declared": decoded.declared, "reason": decoded.reason}
    return response.replace(cls=HtmlResponse, body=decoded.text.encode("utf-8"), encoding="utf-8", request=request)


def encoding_of(response: Response) -> dict:
    """{"used", "declared", "reason"} for a response; what Scrapy chose when it was not re-decoded."""
    try:
        info = response.meta.get(ENCODING_META)
    except AttributeError:  # no request: a response built offline and never re-decoded
        info = None
    return info or {"used": getattr(response, "encoding", None), "declared": None, "reason": None}


def _is_binary(body: bytes) -> bool:
    return b"\x00" in body[:1024]


class DecodingMiddleware:
    """Downloader middleware: every HTML response re-decoded from its bytes (see module doc)."""

    def process_response(self, request, response, spider=None):
        if not isinstance(response, TextResponse) or _is_binary(response.body):
            return response
        return decoded_response(response, request)
