"""The host guard: a request goes only to the spider's own registry hosts (wardcrawl/safety/)."""

from __future__ import annotations

import ipaddress
import logging

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached

from wardcrawl.stats import blocked

logger = logging.getLogger(__name__)


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
