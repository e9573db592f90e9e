"""Download handler for recovery tests: the Wayback Machine's real URLs in, a local pywb out.

Requests keep their real URLs (``https://web.archive.org/web/<ts>id_/<url>``,
``https://web.archive.org/cdx/search/cdx?...``) everywhere Scrapy sees them; only the
connection goes to the pywb at ``ARCHIVE_MIRROR`` (``127.0.0.1:<port>/<collection>``, see
mirror/pywb.py), whose wayback and CDX server answer in their place:
``/web/<rest>`` -> ``/<collection>/<rest>``, ``/cdx/search/cdx`` -> ``/<collection>/cdx``;
``/robots.txt`` is answered 404 here (pywb has none at its root).
Requests to any other host fail: a vanished site has no server. Never used by live crawls.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

ARCHIVE_HOST = "web.archive.org"


class ArchiveMirrorDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        address = crawler.settings.get("ARCHIVE_MIRROR")
        if not address:
            raise NotConfigured("ARCHIVE_MIRROR is not set")
        self.address, _, self.collection = address.partition("/")

    async def download_request(self, request: Request) -> Response:
        real = urlsplit(request.url)
        if real.hostname != ARCHIVE_HOST:
            raise ConnectionRefusedError(f"{real.hostname}: gone (only the web archive answers here)")
        path = real.path
        if path == "/robots.txt":  # pywb has none at its root (it redirects): the stand-in has none either
            return Response(request.url, status=404, body=b"", request=request)
        if path.startswith("/web/"):
            path = f"/{self.collection}/{path[len('/web/'):]}"
        elif path == "/cdx/search/cdx":
            path = f"/{self.collection}/cdx"
        inner = request.replace(url=urlunsplit(("http", self.address, path, real.query, "")))
        response = await super().download_request(inner)
        return response.replace(url=request.url)
