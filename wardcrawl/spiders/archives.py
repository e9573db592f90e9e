"""The web archives a recovery (wardcrawl/spiders/recovery.py) can read: how each lists a site's
captures and hands back one capture.

- ``wayback``: the CDX API (paged by ``resumeKey``), then ``<wayback>/<ts>id_/<url>``; a URL
  the index does not hold is asked at the current time (the archive answers with its newest
  capture, ``Memento-Datetime`` giving its time), and an archived redirect is followed in the
  archive, at the redirect's time (at most MAX_REDIRECTS hops).
- ``commoncrawl``: the index server of each crawl in ``COMMONCRAWL_CRAWLS``, then one WARC record
  per capture by an HTTP range request on the data host, read with warcio. It has no replay:
  a URL its index does not hold cannot be asked.
"""

from __future__ import annotations

import dataclasses

import scrapy

from wardcrawl.archive.read import to_scrapy_response
from wardcrawl.text.decoding import decoded_response
from wardcrawl.safety.pages import ARCHIVE_RECORD
from wardcrawl.sources import commoncrawl, wayback
from wardcrawl.sources.captures import (REPLAY_PATH, memento_timestamp, now_timestamp, redirect_target)
from wardcrawl.spiders.recovery import MAX_REDIRECTS, ArchiveRecovery

REDIRECT_STATUSES = [301, 302, 303, 307, 308]


class WaybackRecovery(ArchiveRecovery):
    source = "wayback"
    archive_setting_names = ("WAYBACK_URL", "WAYBACK_CDX_URL")

    def archive_urls(self, settings) -> tuple[str, ...]:
        self.wayback_url = settings.get("WAYBACK_URL", wayback.DEFAULT_WAYBACK_URL)
        self.cdx_url = settings.get("WAYBACK_CDX_URL", wayback.DEFAULT_CDX_URL)
        return self.wayback_url, self.cdx_url

    def listing_queries(self) -> list[str]:
        return [wayback.cdx_query(self.cdx_url, host) for host in self.site.hosts]

    def page_url(self, query: str, key: str | None) -> str:
        return query if key is None else wayback.with_resume_key(query, key)

    def read_page(self, response):
        return wayback.parse_cdx(response.body)

    def fetch(self, capture, callback, **cb_kwargs) -> scrapy.Request:
        # Redirects are followed here, in the archive (never to the vanished site).
        return scrapy.Request(wayback.replay_url(self.wayback_url, capture), callback=callback,
                              cb_kwargs={"capture": capture, **cb_kwargs}, dont_filter=True,
                              meta={"dont_redirect": True, "handle_httpstatus_list": REDIRECT_STATUSES})

    def unlisted(self, url: str, callback, **cb_kwargs) -> scrapy.Request:
        guess = wayback.ArchivedCapture(url, now_timestamp(), "200", "text/html", "")
        return self.fetch(guess, callback, **cb_kwargs)

    def page_of(self, response, capture):
        """(the page under its original URL, the capture as the archive answered it, archive URL)."""
        if not 200 <= response.status < 300:
            return None
        timestamp = memento_timestamp(response.headers.get("Memento-Datetime"))
        replayed = REPLAY_PATH.search(response.url)
        timestamp = timestamp or (replayed.group(1) if replayed and len(replayed.group(1)) == 14 else None)
        archive_url = response.url
        if timestamp and timestamp != capture.timestamp:  # asked at another time: the one the archive had
            capture = dataclasses.replace(capture, timestamp=timestamp)
            archive_url = wayback.replay_url(self.wayback_url, capture)  # that capture's own address
        return response.replace(url=capture.original), capture, archive_url

    def redirected(self, response, capture, hops: int):
        location = response.headers.get("Location")
        if not location or hops >= MAX_REDIRECTS:
            return None
        timestamp, target = redirect_target(capture.original, capture.timestamp,
                                            location.decode("latin-1"))
        if not self.on_site(target):
            return None
        moved = wayback.ArchivedCapture(target, timestamp, "200", "text/html", "")
        return self.fetch(moved, self.parse_capture, newer=(), hops=hops + 1)

    def parse_archived_listing(self, response, capture, walk: str, walk_kwargs: dict):
        if 300 <= response.status < 400:
            location = response.headers.get("Location")
            hops = walk_kwargs.get("_hops", 0)
            if location and hops < MAX_REDIRECTS:
                timestamp, target = redirect_target(capture.original, capture.timestamp, location.decode("latin-1"))
                if self.on_site(target):
                    moved = wayback.ArchivedCapture(target, timestamp, "200", "text/html", "")
                    yield self.fetch(moved, self.parse_archived_listing, walk=walk,
                                     walk_kwargs={**walk_kwargs, "_hops": hops + 1})
            return
        walk_kwargs = {k: v for k, v in walk_kwargs.items() if k != "_hops"}
        yield from super().parse_archived_listing(response, capture, walk, walk_kwargs)


class CommonCrawlRecovery(ArchiveRecovery):
    source = "commoncrawl"
    archive_setting_names = ("COMMONCRAWL_INDEX_URL", "COMMONCRAWL_DATA_URL")

    def archive_urls(self, settings) -> tuple[str, ...]:
        self.index_url = settings.get("COMMONCRAWL_INDEX_URL", commoncrawl.DEFAULT_INDEX_URL)
        self.data_url = settings.get("COMMONCRAWL_DATA_URL", commoncrawl.DEFAULT_DATA_URL)
        self.crawls = settings.getlist("COMMONCRAWL_CRAWLS")
        if not self.crawls:
            raise ValueError("COMMONCRAWL_CRAWLS names no crawl (e.g. CC-MAIN-2024-10)")
        return self.index_url, self.data_url

    def listing_queries(self) -> list[str]:
        return [commoncrawl.index_query(self.index_url, crawl, host) for crawl in self.crawls for host in self.site.hosts]

    def page_url(self, query: str, key: str | None) -> str:
        return query  # one page per crawl and host

    def read_page(self, response):
        return commoncrawl.parse_index(response.body), None

    def fetch(self, capture, callback, **cb_kwargs) -> scrapy.Request:
        return scrapy.Request(commoncrawl.record_url(self.data_url, capture), callback=callback,
                              headers={"Range": capture.range_header()}, cb_kwargs={"capture": capture, **cb_kwargs},
                              meta={ARCHIVE_RECORD: True}, dont_filter=True)

    def unlisted(self, url: str, callback, **cb_kwargs):
        return None  # no replay: only what the index lists can be fetched

    def page_of(self, response, capture):
        record = commoncrawl.read_record(response.body) if response.status in (200, 206) else None
        if record is None:
            return None
        http, payload = record
        page = decoded_response(to_scrapy_response(capture.original, http, payload))  # as DecodingMiddleware does
        return page, capture, f"{response.url}#offset={capture.offset}&length={capture.length}"


SOURCES = {"wayback": WaybackRecovery, "commoncrawl": CommonCrawlRecovery}
