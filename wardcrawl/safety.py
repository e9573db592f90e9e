"""Faults, bad input and safety: the crawl keeps going, loses nothing and goes nowhere it should not.

Downloader middlewares (wired in wardcrawl/settings/base.py; docs/faults.md):

- ``HostGuardMiddleware`` (40, before robots.txt and Scrapy's offsite filter): a request
  goes only to the spider's own registry hosts, over http(s), on the default ports, never
  to an IP literal in a private, loopback or link-local range. Scrapy's OffsiteMiddleware
  lets subdomains and every ``dont_filter`` request through, including a retried request
  that is then redirected to another host; this guard does not.
- ``SafeRobotsTxtMiddleware`` (100): Scrapy 2.19's robots.txt middleware lets the third
  and later requests waiting for the same robots.txt skip the check (each waiter turns the
  shared Deferred's result into None); here every waiter gets the parser. A robots.txt
  that cannot be read (5xx, 429, network failure after the retries) disallows the whole
  host for the run (RFC 9309 2.3.1.4); the refused requests are deferred to the next run.
- ``BackoffRetryMiddleware`` (550): Scrapy's retries, with exponential backoff and
  ``Retry-After`` (seconds or an HTTP date) honoured up to ``RETRY_AFTER_MAX``; a request
  still failing after ``RETRY_TIMES`` retries, or asked to wait longer than the cap, is
  deferred to the next run (wardcrawl/deferral.py). 404 and 410 are recorded as gone.
- ``GuardedHttpCompressionMiddleware`` (590) counts responses cut during decompression
  (DOWNLOAD_MAXSIZE holds while inflating: a gzip bomb is stopped, not inflated).
- ``NonHtmlGuardMiddleware`` (582): PDF, DOC, ZIP, images and other binary bodies are
  recognised by their bytes whatever the Content-Type says, counted and never parsed.
- ``SafeRedirectMiddleware`` (600) and ``SafeMetaRefreshMiddleware`` (580): redirect loops and
  cycles are stopped and counted; an article request that is redirected is not thrown away
  as a duplicate of itself (Scrapy keeps its meta, hence its article-key fingerprint, and the
  dupefilter would drop it: the article was silently lost).

Every failure is counted in the stats with its reason: ``wardcrawl/failed/<reason>``
(failed for good), ``wardcrawl/retried/<reason>``, ``wardcrawl/blocked/<reason>``,
``wardcrawl/gone/<status>``, ``wardcrawl/page_dropped/non_html/<kind>``, and the deferrals
under ``wardcrawl/deferred/<reason>``; the run report (wardcrawl/health.py) shows them.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response, TextResponse
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import error as tx_error
from twisted.internet.defer import Deferred
from twisted.web.client import ResponseFailed, ResponseNeverReceived

from wardcrawl.deferral import Deferrals, is_robots_request
from wardcrawl.stats import RETRY_AFTER_HONOURED, blocked, failed, gone, page_dropped, retried

logger = logging.getLogger(__name__)

# Give-ups whose response goes on to the spider (HttpError): the run report counts those as
# http/<status> errors, so they are not counted twice.
RESPONSE_FAILURES = ("http_", "retry_after_over_cap")




# ---- pure helpers ------------------------------------------------------------------------
def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), or None
    when absent or unreadable. A date in the past is 0."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


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


def failure_reason(exc: BaseException) -> str:
    """A short, stable name for why a download failed."""
    if isinstance(exc, (DownloadTimeoutError, TimeoutError, tx_error.TimeoutError, tx_error.TCPTimedOutError)):
        return "timeout"
    if isinstance(exc, ResponseDataLossError):
        # Twisted keeps why the connection ended: a reset (ConnectionLost) or a close (ConnectionDone).
        for cause in getattr(exc.__cause__, "reasons", None) or ():
            if cause.check(tx_error.ConnectionLost) and not cause.check(tx_error.ConnectionDone):
                return "connection_reset"
        return "truncated"
    if isinstance(exc, DownloadCancelledError):
        return "too_large"  # Scrapy cancels a download only at DOWNLOAD_MAXSIZE (or on shutdown)
    if isinstance(exc, (DownloadConnectionRefusedError, ConnectionRefusedError, tx_error.ConnectionRefusedError)):
        return "connection_refused"
    if isinstance(exc, (CannotResolveHostError, tx_error.DNSLookupError)):
        return "dns"
    if isinstance(exc, (DownloadFailedError, ResponseFailed, ResponseNeverReceived, tx_error.ConnectionLost,
                        tx_error.ConnectionDone, ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return "connection_lost"
    if isinstance(exc, tx_error.ConnectError):
        return "connect_error"
    return "exception_" + type(exc).__name__


def _is_private_host(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".lan", ".home.arpa")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global or address.is_multicast


def host_verdict(url_parts, allowed: frozenset[str] | None,
                 trusted: frozenset[tuple[str, int | None]] = frozenset()) -> str | None:
    """Why a request must not leave (a reason), or None when it may go.

    ``allowed`` are the exact host names the spider may ask (None: any public host);
    ``trusted`` the (host, port) pairs of web archives the user configured by URL (a private
    pywb, an institution's wayback): those may be private addresses and use any port."""
    if url_parts.scheme not in ("http", "https"):
        return "scheme"
    if url_parts.username is not None or url_parts.password is not None:
        return "userinfo"
    host = (url_parts.hostname or "").lower().rstrip(".")
    if not host:
        return "no_host"
    try:
        port = url_parts.port
    except ValueError:
        return "port"
    if (host, port) in trusted:
        return None
    if port not in (None, 80, 443):
        return "port"
    if _is_private_host(host) and not (allowed and host in allowed):
        return "private_address"
    if allowed is not None and host not in allowed:
        return "offsite_host"
    return None


def allowed_hosts(spider) -> frozenset[str] | None:
    """A registry spider's own hosts; a plain spider's ``allowed_domains`` (exact names)."""
    site = getattr(spider, "site", None)
    if site is not None:  # and a recovery's web archive (wardcrawl/spiders/recovery.py)
        return frozenset(h.lower() for h in (*site.hosts, *getattr(spider, "archive_hosts", ())))
    domains = getattr(spider, "allowed_domains", None)
    return frozenset(d.lower() for d in domains) if domains else None


def trusted_archives(spider) -> frozenset[tuple[str, int | None]]:
    """(host, port) of the archive base URLs the user set (a recovery's ``trusted_archives``)."""
    return frozenset(getattr(spider, "trusted_archives", ()))


class BlockedRequest(IgnoreRequest):
    """A request that would have left the registered hosts."""


class NonHtmlPage(IgnoreRequest):
    """A response whose bytes are not a web page (PDF, DOC, ZIP, an image...)."""


class RobotsUnavailable(IgnoreRequest):
    """robots.txt could not be read: the host is off limits for this run."""


# ---- downloader middlewares --------------------------------------------------------------
class HostGuardMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self._logged: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request):
        parts = urlparse_cached(request)
        spider = self.crawler.spider
        reason = host_verdict(parts, allowed_hosts(spider), trusted_archives(spider))
        if reason is None:
            return None
        self.stats.inc_value(blocked(reason))
        host = (parts.hostname or parts.scheme or "?").lower()
        level = logging.INFO if (reason, host) in self._logged else logging.WARNING
        self._logged.add((reason, host))
        logger.log(level, "Blocked %s (%s): the crawl stays on the site's own hosts", request.url, reason)
        raise BlockedRequest(f"blocked ({reason}): {request.url}")


_UNAVAILABLE = "robots.txt unavailable"  # the parser stored for a host whose robots.txt could not be read


class SafeRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.deferrals = Deferrals.of(crawler)

    async def robot_parser(self, request: Request):
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robotsreq = Request(f"{url.scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                                meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
            try:
                resp = await self.crawler.engine.download_async(robotsreq)
                await self._parse_robots(resp, netloc, request)
            except Exception as exc:  # noqa: BLE001 (any failure means: unavailable)
                logger.warning("robots.txt of %s could not be read (%s): the host is off limits for this run",
                               netloc, exc)
                self._robots_error(exc, netloc)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            # Each waiter gets its own Deferred: awaiting the shared one (Scrapy 2.19) hands the
            # parser to the first waiter only and None ("allow everything") to the others.
            waiter: Deferred = Deferred()

            def relay(result):
                waiter.callback(result)
                return result

            parser.addBoth(relay)
            return await maybe_deferred_to_future(waiter)
        return parser

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            logger.warning("robots.txt of %s answered %s: the host is off limits for this run", netloc,
                           response.status)
            self._set_parser(netloc, _UNAVAILABLE)
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not isinstance(exc, IgnoreRequest):
            self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._set_parser(netloc, _UNAVAILABLE)

    def _set_parser(self, netloc: str, parser) -> None:
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(pending, Deferred):
            pending.callback(parser)

    def process_request_2(self, rp, request: Request) -> None:
        if rp is _UNAVAILABLE:
            self._stats.inc_value(failed("robots_unavailable"))
            self.deferrals.defer(request, "robots_unavailable")
            raise RobotsUnavailable(f"robots.txt unavailable: {request.url}")
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            self._stats.inc_value(blocked("robots"))
            raise


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries with exponential backoff and Retry-After; what still fails is deferred."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 300.0)

    @classmethod
    def from_crawler(cls, crawler):
        o = cls(crawler.settings)
        o.crawler = crawler
        o.stats = crawler.stats
        o.deferrals = Deferrals.of(crawler)
        return o

    def backoff(self, retry_times: int) -> float:
        """Seconds before retry number ``retry_times`` (1, 2, ...): base, 2 x base, 4 x base... capped."""
        return min(self.backoff_max, self.backoff_base * 2 ** (retry_times - 1))

    async def process_response(self, request: Request, response: Response, spider=None):
        status = response.status
        if status not in self.retry_http_codes or request.meta.get("dont_retry", False):
            if status in (404, 410) and not is_robots_request(request):
                self.stats.inc_value(gone(status))
                self.deferrals.gone(request, status)
            elif 200 <= status < 300:
                self.deferrals.answered(request)
            return response
        reason = f"http_{status}"
        wait = parse_retry_after(response.headers.get("Retry-After")) if status in (429, 503) else None
        if wait is not None and wait > self.retry_after_max:
            logger.warning("%s asks to retry %s in %.0f s, more than RETRY_AFTER_MAX (%.0f s): deferred to the "
                           "next run", request.url, reason, wait, self.retry_after_max)
            self._give_up(request, "retry_after_over_cap", retryable=True)
            return response
        retry = self._retry(request, reason)
        if retry is None:
            self._give_up(request, reason, retryable=True)
            return response
        delay = self.backoff(retry.meta["retry_times"])
        if wait is not None:
            self.stats.inc_value(RETRY_AFTER_HONOURED)
            delay = max(delay, wait)
        self.stats.inc_value(retried(reason))
        await sleep(delay)
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider=None):
        if isinstance(exception, IgnoreRequest):
            return None  # refused on purpose (robots.txt, the host guard...): counted where it was refused
        reason = failure_reason(exception)
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            self._give_up(request, reason, retryable=False)
            return None
        retry = self._retry(request, exception)
        if retry is None:
            self._give_up(request, reason, retryable=True)
            return None
        self.stats.inc_value(retried(reason))
        await sleep(self.backoff(retry.meta["retry_times"]))
        return retry

    def _give_up(self, request: Request, reason: str, retryable: bool) -> None:
        self.stats.inc_value(failed(reason))
        if retryable:  # transient trouble that outlasted the retries: the next run asks again
            self.deferrals.defer(request, reason)
        else:  # for good (too large, ...): a request deferred by an earlier run ends here
            self.deferrals.answered(request, recovered=False)


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
