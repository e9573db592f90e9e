"""The doctor's crawl: the site's own spider, told to take one step of each walk.

``doctor_spider(SiteSpider)`` subclasses the site's registry spider, so the requests, the
listing walk and every middleware (host guard, robots.txt, politeness, proxy, decoding, the
mirror handler under the mirror profile) are the crawl's own. It fetches robots.txt first
(saying what it allows and asks), then each section's first listing page through the
family's own callback, which says whether the walk would go on and which articles it lists;
it follows the first article of each section, and an AJAX listing's first API page. Every
fetched page is saved as a fixture candidate (doctor/saved.py); what was checked is in
``spider.doctor`` (a DoctorRun).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import scrapy
from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.httpobj import urlparse_cached

from wardcrawl.doctor.checks import (PageCheck, article_rows, encoding_line, listing_date_note, listing_rows,
                                     missing_required)
from wardcrawl.doctor.saved import RAW_META, save_page
from wardcrawl.archive.extract import extract
from wardcrawl.net.errors import in_words, network_reason
from wardcrawl.net.politeness import Politeness, robots_delay
from wardcrawl.stats import PREFIX
from wardcrawl.text.dates import HANOI_TZ

KIND = "doctor_kind"
LISTING_END = f"{PREFIX}/listing_end/"
API_ENDS = ("empty_page", "repeated_page")  # how an AJAX listing says it has no more pages


class DoctorRun:
    """The pages checked, in the order they were fetched, and where they were saved."""

    def __init__(self, site, folder: Path):
        self.site, self.folder = site, folder
        self.pages: list[PageCheck] = []
        self.robots: PageCheck | None = None
        self._counts: dict[str, int] = {}

    def add(self, kind: str, url: str, response=None, group: int = 0) -> PageCheck:
        """A new page check (``group``: its section's number, 0 for robots.txt); with a response,
        the page is saved first."""
        check = PageCheck(kind, url, group=group)
        if response is not None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            check.status = response.status
            check.saved = save_page(self.folder, self.site.slug, f"{kind}-{self._counts[kind]}", response)
            if kind != "robots" and isinstance(response, scrapy.http.TextResponse):
                check.encoding = encoding_line(response)
        self.pages.append(check)
        return check

    @property
    def exit_code(self) -> int:
        """2: a page could not be reached; 1: something the crawl needs is missing; 0: all found."""
        if any(p.error for p in self.pages):
            return 2
        return 1 if any(p.misses for p in self.pages) else 0


def _describe_request(request) -> str:
    if request.method == "POST":
        return f"POST {request.url} {request.body.decode('utf-8', 'replace')}"
    return request.url


class DoctorMixin:
    def __init__(self, *args, out_dir: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.doctor = DoctorRun(self.site, Path(out_dir))
        self.robots = None
        self.articles_asked: set[int] = set()  # sections whose first article was asked for

    async def start(self):
        url = f"{self.site.scheme}://{self.site.host}/robots.txt"
        yield scrapy.Request(url, callback=self.doctor_robots, errback=self.doctor_failed, dont_filter=True,
                             meta={"dont_obey_robotstxt": True, "handle_httpstatus_all": True, KIND: "robots"})

    # ---- robots.txt --------------------------------------------------------------------------
    async def doctor_robots(self, response):
        check = self.doctor.robots = self.doctor.add("robots", response.url, response)
        if response.status >= 500 or response.status == 429:
            check.misses.append(f"robots.txt answered {response.status}: a crawl treats the host as off limits "
                                "for the run (RFC 9309)")
            return
        if 200 <= response.status < 300:
            self.robots = ProtegoRobotParser.from_crawler(self.crawler, response.body)
            # As the robots.txt middleware would: the politeness extension sets the host's delay.
            self.crawler.signals.send_catch_log(signals.robots_parsed, robotparser=self.robots,
                                                request=response.request)
            self._share_robots(response)
            asked = robots_delay(self.robots, self._user_agent)
            check.notes.append(f"Crawl-delay/Request-rate for us: {'none' if asked is None else f'{asked:g} s'}")
        else:
            check.notes.append(f"robots.txt answered {response.status}: everything is allowed")
        policy = Politeness.of(self.crawler).policies.get(self.site.host)
        if policy is not None:
            check.notes.append(f"politeness for {self.site.host}: {policy.describe()}")
        group = 0
        async for request in super().start():
            group += 1
            if self.doctor_allowed(request.url, "section"):
                yield self._wrap(request, "listing", group)

    def _share_robots(self, response) -> None:
        """Hand the parsed robots.txt to the robots.txt middleware, which would fetch it again."""
        netloc = urlparse_cached(response).netloc
        for middleware in self.crawler.engine.downloader.middleware.middlewares:
            if isinstance(middleware, RobotsTxtMiddleware):
                middleware._parsers.setdefault(netloc, self.robots)  # Scrapy's per-netloc parser cache

    @property
    def _user_agent(self) -> str:
        settings = self.crawler.settings
        return settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")

    def doctor_allowed(self, url: str, what: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (noted on the robots.txt check either way)."""
        allowed = self.robots is None or self.robots.allowed(url, self._user_agent)
        check = self.doctor.robots
        if check is not None:
            check.notes.append(f"{'allows' if allowed else 'DISALLOWS'} {what}: {url}")
            if not allowed:
                check.misses.append(f"robots.txt disallows the {what} {url}")
        return allowed

    def _wrap(self, request, kind: str, group: int):
        """The crawl's own request, answered by the doctor (which then calls its callback)."""
        original = request.callback.__name__ if request.callback else None
        return request.replace(callback=self.doctor_page, errback=self.doctor_failed, dont_filter=True,
                               cb_kwargs={"kind": kind, "group": group, "original": original,
                                          "original_kwargs": dict(request.cb_kwargs)},
                               meta={**request.meta, KIND: kind})

    # ---- pages -------------------------------------------------------------------------------
    def doctor_page(self, response, kind: str, group: int, original: str | None, original_kwargs: dict):
        if kind == "article":
            self._check_article(response, group)
            return
        check = self.doctor.add(kind, response.url, response, group)
        if kind == "api":
            check.url = _describe_request(response.request)
        check.rows = listing_rows(response, self.site)
        check.notes.append(listing_date_note(response, self.site))
        ends_before = self._listing_ends()
        outputs = [o for o in getattr(self, original)(response, **original_kwargs) or () if isinstance(o, scrapy.Request)]
        articles = [r for r in outputs if r.callback == self.parse_article]
        more = [r for r in outputs if r.callback != self.parse_article]
        check.notes.append(f"article links: {len(articles)}" + (f", first {articles[0].url}" if articles else ""))
        ended = [k for k, v in self._listing_ends().items() if v > ends_before.get(k, 0)]
        if more:
            check.notes.append(f"walk: goes on, next {_describe_request(more[0])}")
        else:
            check.notes.append(f"walk: stops here ({', '.join(ended) or 'no next page offered'})")
        if kind == "api" and not articles and set(ended) & set(API_ENDS):
            # A section with one page of items: its first API page is the empty (or repeated)
            # page that ends an AJAX walk, as designed.
            check.notes.append("the API page shows no new items: the end of this section's listing")
        else:
            check.misses += missing_required(check.rows)
            if not articles:
                check.misses.append("no article links found on the listing page")
        if articles and group not in self.articles_asked and self.doctor_allowed(articles[0].url, "article"):
            self.articles_asked.add(group)  # one article per section
            yield self._wrap(articles[0], "article", group)
        if more:
            # The next page of a walk by the same callback is only reported; an AJAX listing's
            # first API page (another callback) is the section's listing too: it is fetched.
            fetch = more[0].callback is not None and more[0].callback.__name__ != original
            what = "listing endpoint" if more[0].method == "POST" else "next listing page"
            if self.doctor_allowed(more[0].url, what) and fetch:
                yield self._wrap(more[0], "api", group)

    def _listing_ends(self) -> dict[str, int]:
        return {k[len(LISTING_END):]: v for k, v in self.crawler.stats.get_stats().items()
                if k.startswith(LISTING_END)}

    def _check_article(self, response, group: int) -> None:
        check = self.doctor.add("article", response.url, response, group)
        check.rows = article_rows(response, self.site)
        check.misses += missing_required(check.rows)
        result = extract(self.site, response, datetime.now(HANOI_TZ))
        record = result.record
        if record is None:
            check.misses.append("the parser found no article on the page (layout miss)")
        else:
            paragraphs = record["body"].split("\n\n") if record.get("body") else []
            check.notes.append(f"record: {record['id']}, title {record.get('title')!r}")
            check.notes.append(f"body: {len(paragraphs)} paragraphs, {len(record.get('body') or '')} characters")
            check.notes.append(f"date: {record.get('published_raw')!r} -> {record.get('published_at')}")
            if not record.get("published_at"):
                check.misses.append(f"no date parsed (raw: {record.get('published_raw')!r})")
        check.misses += [f"record: {error}" for error in result.errors]

    def doctor_failed(self, failure):
        request = failure.request
        kind, group = request.meta.get(KIND, "page"), request.cb_kwargs.get("group", 0)
        exc = failure.value
        if isinstance(exc, HttpError):
            self.doctor.add(kind, request.url, exc.response, group).misses.append(
                f"answered HTTP {exc.response.status}")
        elif network_reason(exc) is not None:
            self.doctor.add(kind, request.url, group=group).error = in_words(exc, request.url,
                                                                             request.meta.get("proxy"))
        elif isinstance(exc, IgnoreRequest):
            self.doctor.add(kind, request.url, group=group).misses.append(f"not fetched: {exc}")
        else:
            self.doctor.add(kind, request.url, group=group).misses.append(f"failed: {type(exc).__name__}: {exc}")


def doctor_spider(base: type) -> type:
    """The doctor's spider class for a registry spider class."""
    return type(f"Doctor{base.__name__}", (DoctorMixin, base), {"name": base.name, "__module__": __name__})


class KeepRawBody:
    """Downloader middleware between decompression (590) and re-decoding (581): keeps the
    status, headers and bytes as served, for the saved page."""

    def process_response(self, request, response, spider=None):
        request.meta[RAW_META] = (response.status, response.headers.to_unicode_dict(), response.body)
        return response
