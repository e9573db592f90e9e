"""The probe's fetching: per site ``/robots.txt``, then ``/`` (if robots.txt allows it), redirects followed
by hand so each hop is recorded (a hop to another host after that host's robots.txt). Classification
is ``wardcrawl.registry.probe`` (pure).

Not a registry spider: none of the crawl's pipelines, state or deferral apply; Scrapy's stock
middlewares do, with the profile's politeness (delay, AutoThrottle, user agent) and its download
handlers (the mirror profile's, under ``wardcrawl.settings.mirror``).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from protego import Protego
from scrapy import Request, Spider
from scrapy.exceptions import (CannotResolveHostError, DownloadConnectionRefusedError, DownloadFailedError,
                               DownloadTimeoutError, ResponseDataLossError)
from twisted.internet.error import (ConnectError, ConnectionDone, ConnectionLost, ConnectionRefusedError,
                                    DNSLookupError, TCPTimedOutError, TimeoutError)
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from wardcrawl.registry.probe import MAX_REDIRECTS, Finding, classify_error, classify_page, robots_summary
from wardcrawl.settings import base
from wardcrawl.sites import Site

# The crawl's own middlewares expect a registry spider: the probe runs on Scrapy's stock ones.
PROBE_SETTINGS = {
    "DOWNLOADER_MIDDLEWARES": {**{name: None for name in base.DOWNLOADER_MIDDLEWARES},
                               "scrapy.downloadermiddlewares.retry.RetryMiddleware": 550,
                               "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": 590},
    "SPIDER_MIDDLEWARES": {name: None for name in base.SPIDER_MIDDLEWARES},
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {name: None for name in base.EXTENSIONS},
    "REQUEST_FINGERPRINTER_CLASS": "scrapy.utils.request.RequestFingerprinter",
    "ROBOTSTXT_OBEY": False,  # the probe reads robots.txt itself, and asks for / only where it is allowed
    "WARC_ENABLED": False,
    "RETRY_TIMES": 1,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
}
# Every answer comes to the callbacks: redirects are followed (and recorded) by hand.
META = {"dont_redirect": True, "handle_httpstatus_all": True, "dont_obey_robotstxt": True}
# Scrapy's download errors (2.13 and later), and the Twisted ones they wrap (older handlers raise those).
ERROR_KINDS = (((CannotResolveHostError, DNSLookupError), "dns"),
               ((DownloadConnectionRefusedError, ConnectionRefusedError), "refused"),
               ((DownloadTimeoutError, TimeoutError, TCPTimedOutError), "timeout"),
               ((DownloadFailedError, ResponseDataLossError, ResponseNeverReceived, ConnectionLost, ConnectionDone,
                 ResponseFailed), "dropped"),
               ((ConnectError,), "refused"))


class ProbeSpider(Spider):
    name = "wardcrawl-probe"
    custom_settings = PROBE_SETTINGS

    def __init__(self, *args, sites: list[Site], checked: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.sites = {site.slug: site for site in sites}
        self.findings = {site.slug: Finding(site.slug, site.host, checked) for site in sites}
        self.robots_txt: dict[str, tuple[str, str]] = {}  # host -> (summary, body) of its robots.txt

    async def start(self):
        for site in self.sites.values():
            for request in self._robots_then(f"{site.scheme}://{site.host}/", site.slug):
                yield request

    def _request(self, url: str, callback, slug: str, **kwargs) -> Request:
        return Request(url, callback=callback, errback=self.on_error, meta=META, cb_kwargs={"slug": slug, **kwargs},
                       dont_filter=True)

    def _robots_then(self, page: str, slug: str):
        """The robots.txt of ``page``'s host (once per host), then ``page`` where it allows."""
        known = self.robots_txt.get(urlsplit(page).hostname)
        if known is not None:
            return self._after_robots(slug, page, *known)
        return [self._request(urljoin(page, "/robots.txt"), self.on_robots, slug, page=page)]

    def on_robots(self, response, slug: str, page: str, hops: int = 0):
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location and hops < MAX_REDIRECTS:  # as Scrapy's robots.txt middleware
            yield self._request(response.urljoin(location.decode("latin-1")), self.on_robots, slug, page=page,
                                hops=hops + 1)
            return
        body = response.text if response.status == 200 and hasattr(response, "text") else ""
        answer = (robots_summary(response.status, body), body)
        for host in {urlsplit(page).hostname, urlsplit(response.url).hostname}:  # asked, and redirected to
            self.robots_txt.setdefault(host, answer)
        yield from self._after_robots(slug, page, *answer)

    def _after_robots(self, slug: str, page: str, summary: str, body: str) -> list[Request]:
        finding = self.findings[slug]
        host = urlsplit(page).hostname
        finding.robots = summary if not finding.redirects else f"{finding.robots}; {host}: {summary}"
        if body and not Protego.parse(body).can_fetch(page, self.settings.get("USER_AGENT")):
            finding.final_url = page
            finding.status = "moved" if finding.redirects else "alive"
            finding.detail = "; ".join(filter(None, [f"redirect to {page}" if finding.redirects else "",
                                                     f"robots.txt of {host} disallows it: not fetched"]))
            return []
        return [self._request(page, self.on_home, slug)]

    def on_home(self, response, slug: str):
        finding, site = self.findings[slug], self.sites[slug]
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location and len(finding.redirects) < MAX_REDIRECTS:
            target = response.urljoin(location.decode("latin-1"))
            finding.redirects.append(target)
            if urlsplit(target).hostname != urlsplit(response.url).hostname:
                yield from self._robots_then(target, slug)  # another host: its own robots.txt first
            else:
                yield self._request(target, self.on_home, slug)
            return
        html = response.text if hasattr(response, "text") else ""
        portal = response.headers.get(b"Liferay-Portal")  # Liferay names itself in a header, where not switched off
        if portal:
            html += f"\n<!-- Liferay-Portal: {portal.decode('latin-1')} -->"
        classify_page(finding, site, response.status, response.url, html)

    def on_error(self, failure):
        slug = failure.request.cb_kwargs["slug"]
        kind = next((k for types, k in ERROR_KINDS if failure.check(*types)), "error")
        classify_error(self.findings[slug], kind, f"{failure.type.__name__}: {failure.getErrorMessage()}"[:200])
