"""Offline re-extraction of a saved page with the crawl's own parser and cleaning.

Used by ``scrapy extract`` and by the fixture tests: archives re-run extraction over
stored pages when the parsers improve.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from scrapy.http import HtmlResponse

from wardcrawl.archive.provenance import archived_page
from wardcrawl.text.decoding import decoded_response, is_decoded
from wardcrawl.text.cleaning import clean_article, normalise_article
from wardcrawl.parsers import FAMILY_PARSERS
from wardcrawl.places.record import tag_article
from wardcrawl.schema import validation_errors
from wardcrawl.sources.captures import redirect_target, url_form
from wardcrawl.sites import Site, site_for_url
from wardcrawl.text.dates import HANOI_TZ

if TYPE_CHECKING:
    from wardcrawl.archive.read import ArchivedResponse

@dataclass
class Extraction:
    record: dict | None
    errors: list[str] = field(default_factory=list)  # schema errors, or why nothing came out


def make_response(url: str, body: bytes, headers: dict | None = None, encoding: str | None = None) -> HtmlResponse:
    return HtmlResponse(url=url, body=body, headers=headers or {}, encoding=encoding)


def extract(site: Site, response: HtmlResponse, fetched_at: datetime | None = None) -> Extraction:
    fetched_at = fetched_at or datetime.now(HANOI_TZ)
    if not is_decoded(response):
        response = decoded_response(response)  # as DecodingMiddleware does during a crawl
    article = FAMILY_PARSERS[site.family](response, site, fetched_at=fetched_at.isoformat(timespec="seconds"))
    if article is None:
        return Extraction(None, [f"no article found on {response.url} (layout miss)"])
    article, _ = clean_article(article)
    article = tag_article(normalise_article(article, fetched_at))
    record = article.to_record()
    return Extraction(record, [f"{f}: {m}" for f, m in validation_errors(record)])


# -- re-extraction from WARC files ------------------------------------------------------

# Fields that belong to one fetch, not to the page's bytes: they differ between the crawl
# and a re-extraction of the same record (view_count is printed on the page: content).
FETCH_TIME_FIELDS = ("fetched_at", "warc_file", "warc_record_id", "warc_payload_digest")
# ... and the one field saying the record was re-extracted (a live page's: "live" in the crawl)
REEXTRACTION_FIELDS = (*FETCH_TIME_FIELDS, "source")
WARC_RECORD_ID = re.compile(r"^<urn:uuid:[0-9a-f-]{36}>$")


@cache
def _spider_for(slug: str):
    """An instance of the site's registry spider: the crawl's own notion of an article URL."""
    from scrapy.utils.misc import walk_modules_iter
    from scrapy.utils.spider import iter_spider_classes

    for module in walk_modules_iter("wardcrawl.spiders"):
        for cls in iter_spider_classes(module):
            if cls.name == slug:
                return cls()
    return None


def is_article_url(site: Site, url: str) -> bool:
    """Whether the crawl parses this URL as an article: its spider finds an article key in it."""
    spider = _spider_for(site.slug)
    article_key = getattr(spider, "article_key", None)
    return article_key is None or article_key(url) is not None


@dataclass
class ArchiveExtraction:
    counts: Counter = field(default_factory=Counter)  # records skipped or emitted, by reason
    sources: dict[str, Counter] = field(default_factory=dict)  # records emitted, per site by source
    unknown_hosts: Counter = field(default_factory=Counter)  # hosts no registry site serves
    rejected: list[str] = field(default_factory=list)  # "<id> <url>: <schema errors>"


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Hosts:
    """How to read the target URIs of WARCs that do not name the site (another crawler's,
    made through a loopback address or a proxy): ``host_map`` maps a URI's host (or
    ``host:port``) to the real one; ``site`` is the registry site of the records whose URI
    still names none. A URI whose host is an IP literal takes the ``Host`` header of its
    paired request record first."""

    host_map: dict[str, str] = field(default_factory=dict)
    site: Site | None = None

    def real_url(self, capture: ArchivedResponse) -> tuple[str, Site | None]:
        """(the page's real URL, its registry site)."""
        url = capture.url
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        mapped = self.host_map.get(parts.netloc.lower()) or self.host_map.get(host)
        if mapped is None and _is_ip_literal(host) and capture.request_host:
            mapped = capture.request_host.strip().lower()
        if mapped is not None:
            url = urlunsplit((parts.scheme, mapped, parts.path, parts.query, parts.fragment))
        site = site_for_url(url)
        if site is None and self.site is not None:
            site, mapped = self.site, self.site.host
        if mapped is not None and site is not None:  # the site's own scheme: the loopback's says nothing
            parts = urlsplit(url)
            url = urlunsplit((site.scheme, urlsplit(f"//{mapped}").hostname or mapped, parts.path, parts.query,
                              parts.fragment))
        return url, site


def extract_archived(captures: Iterable[ArchivedResponse], report: ArchiveExtraction,
                     data_dir: Path | None = None, hosts: Hosts | None = None) -> Iterator[dict]:
    """Records from archived responses, as the crawl made them from the same bytes.

    Like the crawl: robots.txt, non-2xx, non-HTML and non-article pages are not parsed (a page
    a recorded redirect from an article URL led to is an article page, as the crawl took it); the
    site (its parser) is chosen by URL from the registry (``hosts`` says how to read URIs
    that do not name the site); records failing the schema are not emitted; one record per
    article id per capture run (the crawl's dedupe). The WARC-Date is the fetch time;
    ``warc_*`` name the record (``warc_file`` relative to ``data_dir``).
    """
    for capture, record in extract_captures(captures, report, data_dir, hosts):
        yield record


def extract_captures(captures: Iterable[ArchivedResponse], report: ArchiveExtraction,
                     data_dir: Path | None = None,
                     hosts: Hosts | None = None) -> Iterator[tuple[ArchivedResponse, dict]]:
    """``extract_archived``, each record with the capture it came from."""
    hosts = hosts or Hosts()
    seen: set[tuple[str, str, str | None]] = set()
    redirected: set[str] = set()  # pages an article URL redirected to: the crawl parsed them as articles
    for capture in captures:
        if urlsplit(capture.url).path == "/robots.txt":
            report.counts["robots_txt"] += 1
            continue
        capture, provenance = archived_page(capture)  # a web archive's capture: the page it holds
        if not 200 <= capture.status < 300:
            target = _article_redirect(capture, hosts, redirected) if 300 <= capture.status < 400 else None
            if target:
                redirected.add(target)
            report.counts["not_2xx"] += 1
            continue
        if not isinstance(capture.response, HtmlResponse):
            report.counts["not_html"] += 1
            continue
        url, site = hosts.real_url(capture)
        if site is None:
            report.unknown_hosts[(urlsplit(url).hostname or "").lower()] += 1
            report.counts["unknown_host"] += 1
            continue
        if not is_article_url(site, url) and url_form(capture.url) not in redirected:
            report.counts["not_article"] += 1
            continue
        response = capture.response if url == capture.url else capture.response.replace(url=url)
        result = extract(site, response, capture.date.astimezone(HANOI_TZ))
        if result.record is None:
            report.counts["layout_miss"] += 1
            continue
        record = result.record
        record.update(_linkage(capture, data_dir), **provenance.fields())
        errors = [f"{f}: {m}" for f, m in validation_errors(record)]
        if errors:
            report.counts["rejected"] += 1
            report.rejected.append(f"{record.get('id')} {url}: {'; '.join(errors)}")
            continue
        key = (record["id"], capture.run, record["captured_at"])  # an archive's captures: one each (versions)
        if key in seen:
            report.counts["duplicate_id"] += 1
            continue
        seen.add(key)
        report.counts["records"] += 1
        report.sources.setdefault(site.slug, Counter())[record["source"]] += 1
        yield capture, record


def _article_redirect(capture: ArchivedResponse, hosts: Hosts, redirected: set[str]) -> str | None:
    """Where a recorded redirect from an article URL (or from a page one led to) points, in the
    form of URLs in the archive (``url_form``); a Wayback replay's ``Location`` names the original."""
    location = capture.response.headers.get("Location")
    url, site = hosts.real_url(capture)
    if not location or site is None or not (is_article_url(site, url) or url_form(capture.url) in redirected):
        return None
    return url_form(redirect_target(capture.url, "", location.decode("latin-1"))[1])


def _linkage(capture: ArchivedResponse, data_dir: Path | None) -> dict:
    path = capture.path.resolve()
    name = str(capture.path)
    if data_dir is not None:
        try:
            name = path.relative_to(Path(data_dir).resolve()).as_posix()
        except ValueError:
            pass
    record_id = capture.record_id if WARC_RECORD_ID.match(capture.record_id or "") else None
    return {"warc_file": name, "warc_record_id": record_id, "warc_payload_digest": capture.payload_digest}
