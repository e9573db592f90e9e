"""Download handler of the mirror profile: real URLs in, loopback mirror answers out.

The request keeps its real URL everywhere Scrapy sees it (scheduler, robots.txt,
dupefilter, response.url); only the connection goes to the mirror at MIRROR_ADDRESS,
with the real host in the Host header. http and https are handled alike, so no TLS
interception is needed. A host the mirror does not serve fails as a DNS lookup would.

A mirror crawl never goes through a proxy, whatever the environment (``http_proxy``...),
the registry (``proxy``) or WARDCRAWL_PROXY say: the mirror is on loopback, and a proxy
would be asked for the real host names. The connection goes straight to the mirror.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import CannotResolveHostError, NotConfigured
from scrapy.http import Response

# What proxy middlewares leave on a request: dropped before the loopback connection.
PROXY_META = ("proxy", "_auth_proxy", "_scheme_proxy")
NO_SUCH_HOST = b"X-Mirror-No-Such-Host"  # mirror/server.py: the mirror serves no such host


class MirrorDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.mirror_address = crawler.settings.get("MIRROR_ADDRESS")
        if not self.mirror_address:
            raise NotConfigured("MIRROR_ADDRESS is not set")

    async def download_request(self, request: Request) -> Response:
        real = urlsplit(request.url)
        loopback = urlunsplit(("http", self.mirror_address, real.path or "/", real.query, ""))
        meta = {k: v for k, v in request.meta.items() if k not in PROXY_META}
        inner = request.replace(url=loopback, meta=meta)
        inner.headers["Host"] = real.netloc
        inner.headers.pop(b"Proxy-Authorization", None)
        response = await super().download_request(inner)
        # The handler times the download on the request it was given: AutoThrottle reads it here.
        if "download_latency" in inner.meta:
            request.meta["download_latency"] = inner.meta["download_latency"]
        if response.headers.get(NO_SUCH_HOST):  # what Scrapy's handler raises for a name that does not resolve
            raise CannotResolveHostError(f"{real.hostname}: no such host (the mirror serves none)")
        return response.replace(url=request.url)
