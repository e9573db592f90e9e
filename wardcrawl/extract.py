"""Offline re-extraction of a saved page with the crawl's own parser and cleaning.

Used by ``scrapy extract`` and by the fixture tests: archives re-run extraction over
stored pages when the parsers improve.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from scrapy.http import HtmlResponse

from wardcrawl.cleaning import clean_article, normalise_article
from wardcrawl.parsers import FAMILY_PARSERS
from wardcrawl.schema import validation_errors
from wardcrawl.sites import Site
from wardcrawl.text.dates import HANOI_TZ

@dataclass
class Extraction:
    record: dict | None
    errors: list[str] = field(default_factory=list)  # schema errors, or why nothing came out


def make_response(url: str, body: bytes, headers: dict | None = None, encoding: str | None = None) -> HtmlResponse:
    return HtmlResponse(url=url, body=body, headers=headers or {}, encoding=encoding)


def extract(site: Site, response: HtmlResponse, fetched_at: datetime | None = None) -> Extraction:
    fetched_at = fetched_at or datetime.now(HANOI_TZ)
    article = FAMILY_PARSERS[site.family](response, site, fetched_at=fetched_at.isoformat(timespec="seconds"))
    if article is None:
        return Extraction(None, [f"no article found on {response.url} (layout miss)"])
    article, _ = clean_article(article)
    article = normalise_article(article, fetched_at)
    record = asdict(article)
    return Extraction(record, [f"{f}: {m}" for f, m in validation_errors(record)])
