"""Request fingerprints keyed by the site's own article key.

Liferay serves one article under many URLs (parameter order, p_p_state, alias host).
The spider puts ``article_key`` ("<site>:<key>") in the request's meta; requests with
the same key share a fingerprint, so the dupefilter fetches the article once. Other
requests keep Scrapy's default fingerprint.
"""

from __future__ import annotations

import hashlib

from scrapy import Request
from scrapy.utils.request import RequestFingerprinter


class ArticleKeyFingerprinter:
    def __init__(self, crawler=None):
        self._default = RequestFingerprinter(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        key = request.meta.get("article_key")
        if key:
            return hashlib.sha1(f"article:{key}".encode()).digest()
        return self._default.fingerprint(request)
