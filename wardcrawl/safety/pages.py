"""What comes back: decompression within the size limit, non-HTML bodies, redirect loops, and
pages that fail to parse (wardcrawl/safety/)."""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse

from wardcrawl.safety.deferral import Deferrals, is_robots_request
from wardcrawl.stats import failed, page_dropped

logger = logging.getLogger(__name__)

# Magic numbers of what portals attach where a page should be (checked at the start of the body).
MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .doc, .xls, .ppt
    (b"PK\x03\x04", "zip"),  # .docx, .xlsx, .odt, .zip
    (b"PK\x05\x06", "zip"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"{\\rtf", "rtf"),
    (b"ID3", "mp3"),
    (b"\x00\x00\x00\x18ftyp", "mp4"),
    (b"\x00\x00\x00\x20ftyp", "mp4"),
    (b"\x1aE\xdf\xa3", "webm"),
)
UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def sniff_binary(body: bytes) -> str | None:
    """The kind of a body that is not a web page, recognised by its bytes; None for text.

    PDF may start after a few bytes of junk (readers look in the first KiB); RIFF holds WEBP
    and AVI; otherwise NUL bytes in the first KiB (UTF-16/32 with a BOM aside) mean binary.
    """
    head = body[:1024]
    stripped = head.lstrip(b" \t\r\n\xef\xbb\xbf")
    for magic, kind in MAGIC:
        if stripped.startswith(magic):
            return kind
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"AVI ", b"WAVE"):
        return head[8:12].decode().strip().lower()
    if b"\x00" in head and not head.startswith(UTF16_32_BOMS):
        return "binary"
    return None


class NonHtmlPage(IgnoreRequest):
    """A response whose bytes are not a web page (PDF, DOC, ZIP, an image...)."""


class GuardedHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, which stops at DOWNLOAD_MAXSIZE while inflating; the cut is counted."""

    def process_response(self, request: Request, response: Response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            self.stats.inc_value(failed("decompressed_too_large"))
            raise


# Request meta: the answer is a web archive's WARC record (binary by design), which the
# recovery spider unpacks and checks itself (wardcrawl/spiders/recovery.py).
ARCHIVE_RECORD = "archive_record"


class NonHtmlGuardMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.deferrals = Deferrals.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response):
        if is_robots_request(request) or request.meta.get(ARCHIVE_RECORD) or not 200 <= response.status < 300:
            return response
        kind = sniff_binary(response.body)
        if kind is None and not isinstance(response, TextResponse):
            kind = "not_text"
        if kind is None:
            return response
        self.stats.inc_value(page_dropped(f"non_html/{kind}"))
        self.deferrals.answered(request)
        ctype = response.headers.get("Content-Type", b"").decode("latin-1", "replace")
        logger.warning("Not a web page: %s bytes under Content-Type %r at %s (%d bytes); not parsed", kind, ctype,
                       response.url, len(response.body))
        raise NonHtmlPage(f"{kind} bytes, not a web page: {response.url}")


class _SafeRedirectMixin:
    def _redirect(self, redirected: Request, request: Request, reason) -> Request:
        stats = self.crawler.stats
        seen = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in seen:
            stats.inc_value(failed("redirect_loop"))
            logger.warning("Redirect loop at %s (back to %s): given up", request.url, redirected.url)
            raise IgnoreRequest(f"redirect loop: {redirected.url}")
        try:
            redirected = super()._redirect(redirected, request, reason)
        except IgnoreRequest:
            stats.inc_value(failed("too_many_redirects"))
            logger.warning("More than REDIRECT_MAX_TIMES (%d) redirects from %s: given up", self.max_redirect_times,
                           seen[0])
            raise
        if redirected.meta.get("article_key"):
            # The redirect keeps the request's article key, hence its fingerprint: the dupefilter would
            # drop it as a duplicate of the request it came from, and the article would be lost.
            # Loops and chains are bounded above and by REDIRECT_MAX_TIMES.
            redirected.dont_filter = True
        return redirected


class SafeRedirectMiddleware(_SafeRedirectMixin, RedirectMiddleware):
    """Scrapy's 3xx redirects, with loops stopped and counted (see _SafeRedirectMixin)."""


class SafeMetaRefreshMiddleware(_SafeRedirectMixin, MetaRefreshMiddleware):
    """Scrapy's <meta http-equiv="refresh"> redirects, with loops stopped and counted."""


class PageErrorMiddleware:
    """Spider middleware: a page whose parsing raised is a counted drop
    (``wardcrawl/page_dropped/parse_error/<exception>``); Scrapy then logs it, counts it under
    spider_exceptions/ and the crawl goes on with the other pages."""

    def __init__(self, crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_spider_exception(self, response, exception):
        from scrapy.spidermiddlewares.httperror import HttpError

        if not isinstance(exception, (HttpError, IgnoreRequest)):
            self.stats.inc_value(page_dropped(f"parse_error/{type(exception).__name__}"))
            logger.error("Could not parse %s (%s: %s); the page is dropped, the crawl goes on", response.url,
                         type(exception).__name__, exception)
        return None
