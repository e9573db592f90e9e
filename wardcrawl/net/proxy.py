"""Sending a site, or every site, through an HTTP(S) proxy (docs/live.md).

Some hosts drop TCP connections from datacenter networks; a proxy elsewhere is the way
through. Which proxy a request takes, first match wins:

1. the site's registry entry: ``proxy = "http://user:pass@host:port"``;
2. ``WARDCRAWL_PROXY`` (a setting, ``-s WARDCRAWL_PROXY=...``, or the environment variable);
3. the standard variables ``http_proxy``/``https_proxy`` (and ``no_proxy``), which Scrapy's
   HttpProxyMiddleware reads.

The proxy sees the real host names: plain http goes as absolute-form GETs, https through
CONNECT. Credentials in the URL become a ``Proxy-Authorization`` header (Scrapy's
middleware, which runs after this one). ``HTTPPROXY_ENABLED = False`` turns all of it off;
the mirror profile does so, and the mirror's download handler drops any proxy anyway.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import urlsplit, urlunsplit
from urllib.request import getproxies

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from wardcrawl.stats import PREFIX

logger = logging.getLogger(__name__)

ENV_VARIABLE = "WARDCRAWL_PROXY"


def without_credentials(url: str) -> str:
    """A proxy URL fit for logs and reports: no user name or password."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    return urlunsplit((parts.scheme, f"{host}:{parts.port}" if parts.port else host, parts.path, "", ""))


def configured_proxy(settings, environ=os.environ) -> str | None:
    """The proxy for every site: the WARDCRAWL_PROXY setting, else the environment variable."""
    value = settings.get(ENV_VARIABLE) or environ.get(ENV_VARIABLE) or ""
    value = value.strip()
    if value and urlsplit(value).scheme not in ("http", "https"):
        raise ValueError(f"{ENV_VARIABLE} must be an http:// or https:// proxy URL, not {value!r}")
    return value or None


class SiteProxyMiddleware:
    """Downloader middleware (before Scrapy's HttpProxyMiddleware): the registry's or
    WARDCRAWL_PROXY's proxy for requests to the site's hosts. A request that already names
    its proxy in ``meta["proxy"]`` (None: no proxy) keeps it."""

    def __init__(self, crawler):
        if not crawler.settings.getbool("HTTPPROXY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.everywhere = configured_proxy(crawler.settings)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def proxy_for(self, host: str) -> tuple[str | None, str]:
        """(proxy URL or None, where it was configured)."""
        site = getattr(self.crawler.spider, "site", None)
        if site is not None and site.proxy and host in site.hosts:
            return site.proxy, "registry"
        if self.everywhere:
            return self.everywhere, ENV_VARIABLE
        return None, ""

    def spider_opened(self, spider) -> None:
        site = getattr(spider, "site", None)
        proxy, source = self.proxy_for(site.host if site is not None else "")
        if proxy:
            logger.info("Requests to %s go through the proxy %s (%s)", site.slug if site else "every host",
                        without_credentials(proxy), source)
        else:
            standard = {k: without_credentials(v) for k, v in getproxies().items() if k in ("http", "https")}
            if standard:
                proxy, source = ", ".join(f"{k} {v}" for k, v in sorted(standard.items())), "environment"
                logger.info("Requests go through the proxies of the environment: %s (no_proxy honoured)", proxy)
        if proxy:
            self.crawler.stats.set_value(f"{PREFIX}/proxy", f"{without_credentials(proxy)} ({source})")

    def process_request(self, request):
        if "proxy" in request.meta:
            return None
        proxy, _source = self.proxy_for((urlparse_cached(request).hostname or "").lower())
        if proxy:
            request.meta["proxy"] = proxy
        return None
