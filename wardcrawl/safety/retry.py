"""Retries with backoff and Retry-After, and a stable name for every failure (wardcrawl/safety/)."""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response
from scrapy.utils.asyncio import sleep
from twisted.internet import error as tx_error
from twisted.web.client import ResponseFailed, ResponseNeverReceived

from wardcrawl.safety.deferral import Deferrals, is_robots_request
from wardcrawl.stats import RETRY_AFTER_HONOURED, failed, gone, retried

logger = logging.getLogger(__name__)

# Give-ups whose response goes on to the spider (HttpError): the run report counts those as
# http/<status> errors, so they are not counted twice.
RESPONSE_FAILURES = ("http_", "retry_after_over_cap")


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
