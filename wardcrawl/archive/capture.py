"""WARC capture during a crawl: the middlewares that hand each response to the crawler's
rotating WARC writer (wardcrawl/archive/warc.py) and link the items to their records.

On when ``WARC_ENABLED`` is true (off by default, on in the cron profile); see docs/warc.md.

- ``WarcCaptureMiddleware`` sits after HTTP decompression (585) and records every response
  except redirects, which ``WarcRedirectCaptureMiddleware`` records before the redirect
  middleware (605) turns them into new requests.
- Linkage: the file, record id, payload digest and date of each response go into
  ``request.meta["warc"]``; ``WarcLinkMiddleware`` copies them onto the items parsed from it
  (the ``WARC-Date`` as ``fetched_at``).
- Each file's ``warcinfo`` record names the crawler and its settings (credentials redacted).
"""

from __future__ import annotations

import json
import os
import re
import socket
import weakref
from datetime import datetime, timezone
from http import HTTPStatus
from importlib.metadata import version as package_version
from pathlib import Path

import scrapy
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from wardcrawl import __version__
from wardcrawl import stats as stat_keys
from wardcrawl.archive.warc import (
    DATE_KEY, DEFAULT_MAX_SIZE, INDEX_NAME, LINK_FIELDS, META_KEY, WARC_SUBDIR, DigestIndex, RotatingWarcWriter,
    fetched_at, http_header_lines, request_header_lines, request_line,
)


# Setting names whose values stay out of the warcinfo record (credentials).
SECRET_SETTING = re.compile(r"PASS|SECRET|TOKEN|CREDENTIAL|_KEY$|_KEY_|^HTTPAUTH|AUTH_", re.IGNORECASE)


def _plain(value):
    return value.copy_to_dict() if isinstance(value, BaseSettings) else value


def warcinfo_fields(crawler, spider, run_id: str) -> dict:
    """The warcinfo record: who crawled, with what, under which settings."""
    settings = crawler.settings
    overridden = {name: "<redacted>" if SECRET_SETTING.search(name) else _plain(settings[name])
                  for name in sorted(settings) if settings.getpriority(name) > SETTINGS_PRIORITIES["default"]}
    site = getattr(spider, "site", None)
    return {
        "software": f"wardcrawl/{__version__} (Scrapy/{scrapy.__version__}; warcio/{package_version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "isPartOf": f"{spider.name}-{run_id}",
        "description": f"{site.name} ({site.host})" if site is not None else spider.name,
        "hostname": socket.gethostname(),
        "http-header-user-agent": settings.get("USER_AGENT"),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "wardcrawl-settings-module": os.environ.get("SCRAPY_SETTINGS_MODULE", ""),
        "wardcrawl-settings": json.dumps(overridden, ensure_ascii=False, sort_keys=True, default=str),
    }


class WarcRecorder:
    """One per crawler: the crawler's rotating writer, opened lazily, closed with the spider."""

    _by_crawler: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.data_dir = Path(settings.get("DATA_DIR", "data"))
        self.max_size = settings.getint("WARC_MAX_SIZE", DEFAULT_MAX_SIZE)
        self.revisits = settings.getbool("WARC_REVISITS", True)
        self.any_uri = settings.getbool("WARC_REVISIT_ANY_URI", True)
        self.writer: RotatingWarcWriter | None = None
        self.index: DigestIndex | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def for_crawler(cls, crawler) -> WarcRecorder:
        recorder = cls._by_crawler.get(crawler)
        if recorder is None:
            recorder = cls._by_crawler[crawler] = cls(crawler)
        return recorder

    def _writer(self) -> RotatingWarcWriter:
        if self.writer is None:
            spider = self.crawler.spider
            run_id = getattr(spider, "run_id", None) or datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
            self.index = DigestIndex.open(self.data_dir / WARC_SUBDIR / INDEX_NAME) if self.revisits else None
            self.writer = RotatingWarcWriter(self.data_dir, f"{spider.name}-{run_id}",
                                             warcinfo_fields(self.crawler, spider, run_id),
                                             max_size=self.max_size, index=self.index, revisits=self.revisits,
                                             any_uri=self.any_uri)
        return self.writer

    def record(self, request, response) -> dict:
        url = response.url
        protocol = response.protocol or "HTTP/1.1"
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        extra = {}
        if response.ip_address is not None:
            extra["WARC-IP-Address"] = str(response.ip_address)
        if "dataloss" in response.flags:
            extra["WARC-Truncated"] = "unspecified"
        writer = self._writer()
        linkage, kind = writer.write_exchange(
            url=url, status_line=f"{response.status} {reason}".strip(), protocol=protocol,
            headers=http_header_lines(response.headers, len(response.body)), body=response.body,
            request_line=request_line(request, protocol), request_headers=request_header_lines(request),
            request_body=request.body or b"", extra_warc_headers=extra)
        self.crawler.stats.inc_value(f"{stat_keys.PREFIX}/warc/{kind}")
        return linkage

    def spider_closed(self, spider, reason):
        if self.writer is not None:
            self.writer.close()
            stats = self.crawler.stats
            stats.set_value(f"{stat_keys.PREFIX}/warc/files", [p.relative_to(self.data_dir).as_posix()
                                                              for p in self.writer.finished])
        if self.index is not None:
            self.index.release()
            self.index = None


class _CaptureBase:
    def __init__(self, crawler):
        self.recorder = WarcRecorder.for_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured  # off by choice: no message, so Scrapy does not log a warning per crawler
        return cls(crawler)

    def _record(self, request, response):
        if "cached" in response.flags:  # from the HTTP cache: not fetched now, not recorded
            request.meta.pop(META_KEY, None)
            return
        request.meta[META_KEY] = self.recorder.record(request, response)


class WarcCaptureMiddleware(_CaptureBase):
    """Records every response after decompression (order 585), except 3xx (recorded at 605)."""

    def process_response(self, request, response):
        if not 300 <= response.status < 400:
            self._record(request, response)
        return response


class WarcRedirectCaptureMiddleware(_CaptureBase):
    """Records 3xx responses before RedirectMiddleware (600) turns them into new requests."""

    def process_response(self, request, response):
        if 300 <= response.status < 400:
            self._record(request, response)
        return response


class WarcLinkMiddleware:
    """Spider middleware: each item parsed from a response names the WARC record of its bytes."""

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured  # off by choice: no message, so Scrapy does not log a warning per crawler
        return cls()

    @staticmethod
    def _linkage(response) -> dict | None:
        request = getattr(response, "request", None)
        return request.meta.get(META_KEY) if request is not None else None

    @staticmethod
    def _attach(item, linkage: dict | None):
        if linkage and not isinstance(item, scrapy.Request) and ItemAdapter.is_item(item):
            adapter = ItemAdapter(item)
            names = set(adapter.field_names())
            for name in LINK_FIELDS:
                if name in names:
                    adapter[name] = linkage[name]
            if "fetched_at" in names and linkage.get(DATE_KEY):
                adapter["fetched_at"] = fetched_at(linkage[DATE_KEY])
        return item

    def process_spider_output(self, response, result):
        linkage = self._linkage(response)
        for item in result:
            yield self._attach(item, linkage)

    async def process_spider_output_async(self, response, result):
        linkage = self._linkage(response)
        async for item in result:
            yield self._attach(item, linkage)
