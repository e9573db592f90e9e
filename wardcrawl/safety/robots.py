"""robots.txt, with every waiter served and an unreadable file closing the host for the run
(wardcrawl/safety/)."""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from wardcrawl.safety.deferral import Deferrals
from wardcrawl.stats import blocked, failed

logger = logging.getLogger(__name__)


class RobotsUnavailable(IgnoreRequest):
    """robots.txt could not be read: the host is off limits for this run."""


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
