"""Politeness per host, as each site asks: robots.txt ``Crawl-delay`` (and ``Request-rate``),
the registry's ``delay`` and ``concurrency``, never faster than our own settings.

Scrapy parses robots.txt but does not apply its Crawl-delay. Here every host gets
``delay = max(DOWNLOAD_DELAY, registry delay, robots.txt delay)`` seconds between the starts
of two requests, and ``concurrency = min(CONCURRENT_REQUESTS_PER_DOMAIN, registry concurrency)``
connections: the registry and robots.txt can only slow a site down. The delay is set on the
host's downloader slot (``DOWNLOAD_SLOTS``-style per-slot settings, so a slot rebuilt after
Scrapy's idle-slot clean-up keeps it) as soon as robots.txt is parsed, before any other
request to that host leaves. A delay the site asked for is not jittered (Scrapy's ±50 %
would go below it). AutoThrottle stays on as the upper bound on speed: it may lengthen the
delay, and ``PoliteAutoThrottle`` never lets it go below the host's floor.

The decision per host, with the value every source asked for, is in the stats under
``wardcrawl/politeness`` and in the run report (``politeness``).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle
from scrapy.utils.httpobj import urlparse_cached

from wardcrawl.stats import POLITENESS

logger = logging.getLogger(__name__)

# Sources of a delay, the site's own first: on a tie the site's wish is named as the reason.
ROBOTS, REGISTRY, SETTINGS = "robots.txt", "registry", "DOWNLOAD_DELAY"


@dataclass(frozen=True)
class HostPolicy:
    host: str
    delay: float  # seconds between the starts of two requests to the host, at least
    concurrency: int  # connections to the host at once, at most
    reason: str  # the source that set the delay: robots.txt, registry or DOWNLOAD_DELAY
    asked: dict = field(default_factory=dict)  # every source's delay (None: robots.txt asked none)

    @property
    def from_site(self) -> bool:
        """Whether the site (robots.txt or its registry entry) made the host slower than our defaults."""
        return self.reason != SETTINGS

    def describe(self) -> str:
        asked = ", ".join(f"{k} {'none' if v is None else f'{v:g} s'}" for k, v in self.asked.items())
        return f"{self.delay:g} s between requests, {self.concurrency} at a time, set by {self.reason} ({asked})"


def host_policy(host: str, base_delay: float, base_concurrency: int, registry_delay: float | None = None,
                registry_concurrency: int | None = None, robots_delay: float | None = None,
                robots_read: bool = True) -> HostPolicy:
    """The delay and concurrency a host gets: the largest delay and the smallest concurrency asked."""
    asked: dict = {}
    if robots_read:
        asked[ROBOTS] = robots_delay
    if registry_delay is not None:
        asked[REGISTRY] = registry_delay
    asked[SETTINGS] = base_delay
    reason, delay = max(((k, v) for k, v in asked.items() if v is not None), key=lambda kv: kv[1])
    concurrency = min(base_concurrency, registry_concurrency) if registry_concurrency else base_concurrency
    return HostPolicy(host, float(delay), max(1, concurrency), reason, asked)


def robots_delay(parser, user_agent: str) -> float | None:
    """Seconds between requests a parsed robots.txt asks of ``user_agent``: its Crawl-delay, or
    the interval of its Request-rate (n requests per m seconds), the larger; None when neither."""
    delays = []
    crawl_delay = getattr(parser, "crawl_delay", None)
    if crawl_delay is not None:
        value = crawl_delay(user_agent)
        if value is not None:
            delays.append(float(value))
    rate = getattr(getattr(parser, "rp", None), "request_rate", None)  # Protego under Scrapy's wrapper
    if rate is not None:
        found = rate(user_agent)
        if found is not None and found.requests:
            delays.append(found.seconds / found.requests)
    return max(delays) if delays else None


class Politeness:
    """Extension: applies each host's policy to its downloader slot, and reports it."""

    _by_crawler: WeakKeyDictionary = WeakKeyDictionary()

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.base_delay = settings.getfloat("DOWNLOAD_DELAY")
        self.base_concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.start_delay = (settings.getfloat("AUTOTHROTTLE_START_DELAY")
                            if settings.getbool("AUTOTHROTTLE_ENABLED") else 0.0)
        self.robots: dict[str, float | None] = {}  # host -> what its robots.txt asked
        self.policies: dict[str, HostPolicy] = {}
        if settings.getint("CONCURRENT_REQUESTS_PER_IP"):
            logger.warning("CONCURRENT_REQUESTS_PER_IP is set: downloader slots are per IP address, so the "
                           "per-host delays asked by robots.txt and the registry are not applied")
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def of(cls, crawler) -> Politeness:
        """The crawler's one instance: the extension and PoliteAutoThrottle share it."""
        if crawler not in cls._by_crawler:
            cls._by_crawler[crawler] = cls(crawler)
        return cls._by_crawler[crawler]

    @classmethod
    def from_crawler(cls, crawler) -> Politeness:
        return cls.of(crawler)

    @property
    def site(self):
        return getattr(self.crawler.spider, "site", None)

    def floor(self, host: str | None) -> float:
        """The least delay the host's slot may have (AutoThrottle's lower bound)."""
        policy = self.policies.get(host or "")
        return policy.delay if policy else self.base_delay

    def spider_opened(self, spider) -> None:
        if self.site is not None:
            for host in self.site.hosts:
                self.apply(host)

    def robots_parsed(self, robotparser, request) -> None:
        host = (urlparse_cached(request).hostname or "").lower()
        self.robots[host] = robots_delay(robotparser, self.user_agent)
        self.apply(host)

    def apply(self, host: str) -> HostPolicy:
        site = self.site if self.site is not None and host in self.site.hosts else None
        policy = host_policy(host, self.base_delay, self.base_concurrency,
                             registry_delay=site.delay if site else None,
                             registry_concurrency=site.concurrency if site else None,
                             robots_delay=self.robots.get(host), robots_read=host in self.robots)
        previous = self.policies.get(host)
        self.policies[host] = policy
        if policy.from_site or policy.concurrency < self.base_concurrency:
            self._set_slot(host, policy)
        if policy.from_site and (previous is None or previous.delay != policy.delay):
            level = logging.WARNING if policy.delay > 30 else logging.INFO
            logger.log(level, "Politeness for %s: %s", host, policy.describe())
        self.crawler.stats.set_value(POLITENESS, self.report())
        return policy

    def _set_slot(self, host: str, policy: HostPolicy) -> None:
        downloader = self.crawler.engine.downloader
        wanted = {"delay": max(policy.delay, self.start_delay), "concurrency": policy.concurrency}
        if policy.from_site:
            wanted["jitter"] = 0.0  # Scrapy's random spread would go below what the site asked
        downloader.per_slot_settings[host] = {**downloader.per_slot_settings.get(host, {}), **wanted}
        slot = downloader.slots.get(host)
        if slot is not None:  # robots.txt went through this slot already
            slot.delay = max(slot.delay, policy.delay)
            slot.concurrency = policy.concurrency
            if policy.from_site:
                slot.jitter = 0.0

    def report(self) -> dict:
        """Per host: the delay and concurrency it got, why, and what each source asked."""
        return {host: {**asdict(p), "why": p.describe()} for host, p in sorted(self.policies.items())}


class PoliteAutoThrottle(AutoThrottle):
    """Scrapy's AutoThrottle, kept from going below a host's floor (Politeness): it can only
    slow a host down further. Its own lower bound is DOWNLOAD_DELAY, for every host alike."""

    def _response_downloaded(self, response, request, spider) -> None:
        super()._response_downloaded(response, request, spider)
        key, slot = self._get_slot(request, spider)
        if slot is not None:
            # response_downloaded fires before the slot's queue is processed again: the floor
            # is back in place before the next request to the host is let go.
            slot.delay = max(slot.delay, Politeness.of(self.crawler).floor(key))

    def _adjust_delay(self, slot, latency: float, response) -> None:
        # Scrapy lowers a delay only on a 200 (other answers are error pages, small and quick).
        # A 206 is a range request's full answer (Common Crawl's records): without this, one
        # slow record would keep a whole recovery at that record's pace.
        if response.status == 206:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
