"""Download handler for recovery tests: web archives' real URLs in, local stand-ins out.

Requests keep their real URLs everywhere Scrapy sees them; only the connection goes to a
stand-in on loopback:
- the Wayback Machine (``web.archive.org``) and Common Crawl's index server
  (``index.commoncrawl.org``) to the pywb at ``ARCHIVE_MIRROR`` (``127.0.0.1:<port>/<coll>``,
  mirror/pywb.py): ``/web/<rest>`` -> ``/<coll>/<rest>``, ``/cdx/search/cdx`` and
  ``/<crawl>-index`` -> ``/<coll>/cdx`` (Common Crawl's index server is pywb's CDX server);
- Common Crawl's data host (``data.commoncrawl.org``) to the range server at
  ``ARCHIVE_FILES_MIRROR`` (mirror/range_server.py) serving the collection's WARC files.
``/robots.txt`` is answered 404 here (pywb has none at its root). Requests to any other host
fail: a vanished site has no server. Never used by live crawls.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

WAYBACK_HOST = "web.archive.org"
INDEX_HOST = "index.commoncrawl.org"
DATA_HOST = "data.commoncrawl.org"


class ArchiveMirrorDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        address = crawler.settings.get("ARCHIVE_MIRROR")
        if not address:
            raise NotConfigured("ARCHIVE_MIRROR is not set")
        self.address, _, self.collection = address.partition("/")
        self.files_address = crawler.settings.get("ARCHIVE_FILES_MIRROR")

    async def download_request(self, request: Request) -> Response:
        real = urlsplit(request.url)
        path, address = real.path, self.address
        if real.hostname not in (WAYBACK_HOST, INDEX_HOST, DATA_HOST) or (real.hostname == DATA_HOST
                                                                          and not self.files_address):
            raise ConnectionRefusedError(f"{real.hostname}: gone (only the web archives answer here)")
        if path == "/robots.txt":  # pywb has none at its root (it redirects): the stand-ins have none either
            return Response(request.url, status=404, body=b"", request=request)
        if real.hostname == DATA_HOST:
            address = self.files_address
        elif path.startswith("/web/"):
            path = f"/{self.collection}/{path[len('/web/'):]}"
        elif path == "/cdx/search/cdx" or path.endswith("-index"):
            path = f"/{self.collection}/cdx"
        inner = request.replace(url=urlunsplit(("http", address, path, real.query, "")))
        response = await super().download_request(inner)
        # The handler times the download on the request it was given: AutoThrottle reads it here
        # (without it AutoThrottle keeps its 1 s start delay for the whole run).
        if "download_latency" in inner.meta:
            request.meta["download_latency"] = inner.meta["download_latency"]
        return response.replace(url=request.url)
