"""Download handler of the mirror profile: real URLs in, loopback mirror answers out.

The request keeps its real URL everywhere Scrapy sees it (scheduler, robots.txt,
dupefilter, response.url); only the connection goes to the mirror at MIRROR_ADDRESS,
with the real host in the Host header. http and https are handled alike, so no TLS
interception is needed. A host the mirror does not serve fails as a DNS lookup would.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import CannotResolveHostError, NotConfigured
from scrapy.http import Response

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
        inner = request.replace(url=loopback)
        inner.headers["Host"] = real.netloc
        response = await super().download_request(inner)
        if response.headers.get(NO_SUCH_HOST):  # what Scrapy's handler raises for a name that does not resolve
            raise CannotResolveHostError(f"{real.hostname}: no such host (the mirror serves none)")
        return response.replace(url=request.url)
