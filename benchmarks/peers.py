"""The peers wardcrawl's crawl is measured against, on the same scaled sites (mirror/scaled.py).

    python benchmarks/peers.py parsel --tree DIR --mirror 127.0.0.1:PORT --out DIR
    python benchmarks/peers.py fetch  --tree DIR --mirror 127.0.0.1:PORT --out DIR

- ``parsel``: a minimal Scrapy spider with naive parsel extraction, what a first spider for
  these sites looks like: it walks each section's listing (pager links) and follows the
  listing's article links, and on an article page takes title, date, lead and the body's
  ``<p>`` texts with CSS selectors; items go to a JSON-lines feed.
- ``fetch``: fetches the very same pages (every listing and article URL the scaled mirror
  lists) and does nothing with them: the cost of Scrapy's engine and the download alone.

One crawler per site in one process, as `scrapy cron` runs wardcrawl's, with the same
download path (the mirror profile's download handler: real URLs, loopback connections),
concurrency, robots.txt, timeouts and log level. Scrapy's stats of each crawler are written
to OUT/stats.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import scrapy  # noqa: E402
from scrapy.crawler import CrawlerProcess  # noqa: E402

# What a developer reads off each family's pages in a first afternoon.
CSS = {
    "liferay": {"articles": ".asset-publisher-list .asset-title a::attr(href)",
                "pager": ".lfr-pagination-buttons a::attr(href)",
                "title": "h1.header-title ::text", "date": ".asset-publish-date::text", "lead": None,
                "body": ".journal-content-article p"},
    "thanhuy": {"articles": "ul.list-news li.news-item a::attr(href)", "pager": "ul.pagination a::attr(href)",
                "title": "h1.title-detail::text", "date": ".date-detail::text", "lead": ".sapo-detail ::text",
                "body": ".content-detail p"},
    "hanoicms": {"articles": "div.news-item .news-info a::attr(href)", "pager": "div.paging a::attr(href)",
                 "title": "h1.detail-title::text", "date": ".news-info .time::text", "lead": "h2.detail-sapo::text",
                 "body": ".detail-content p"},
}


def _links(response, css: str) -> list[str]:
    return [h for h in response.css(css).getall() if not h.startswith(("javascript:", "#", "mailto:"))]


class NaiveParselSpider(scrapy.Spider):
    def __init__(self, *args, start_urls: list[str], family: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_urls = start_urls
        self.css = CSS[family]

    async def start(self):
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_listing)

    def parse_listing(self, response):
        yield from response.follow_all(_links(response, self.css["articles"]), callback=self.parse_article)
        yield from response.follow_all(_links(response, self.css["pager"]), callback=self.parse_listing)

    def parse_article(self, response):
        css = self.css
        paragraphs = (" ".join(" ".join(p.css("::text").getall()).split()) for p in response.css(css["body"]))
        yield {
            "url": response.url,
            "title": " ".join(" ".join(response.css(css["title"]).getall()).split()),
            "published": " ".join((response.css(css["date"]).get() or "").split()),
            "lead": " ".join(" ".join(response.css(css["lead"]).getall()).split()) if css["lead"] else None,
            "body": "\n\n".join(p for p in paragraphs if p),
        }


class FetchOnlySpider(scrapy.Spider):
    def __init__(self, *args, urls: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.urls = urls

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.ignore)

    def ignore(self, response):
        return None


def settings(mirror: str, out: Path, concurrency: int, feed: bool) -> dict:
    from wardcrawl.settings import base  # the same robots.txt rule, user agent and timeouts as wardcrawl's

    values = {
        "BOT_NAME": "peers", "USER_AGENT": base.USER_AGENT, "ROBOTSTXT_OBEY": base.ROBOTSTXT_OBEY,
        "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_TIMEOUT": 15, "RETRY_TIMES": base.RETRY_TIMES, "LOG_LEVEL": "INFO", "LOG_FILE": str(out / "crawl.log"),
        "DOWNLOAD_HANDLERS": {"http": "mirror.handler.MirrorDownloadHandler",
                              "https": "mirror.handler.MirrorDownloadHandler"},
        "MIRROR_ADDRESS": mirror,
    }
    if feed:
        values["FEEDS"] = {str(out / "items-%(name)s.jsonl"): {"format": "jsonlines", "encoding": "utf-8"}}
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("parsel", "fetch"))
    parser.add_argument("--tree", type=Path, required=True, help="a scaled mirror tree (mirror/scaled.py)")
    parser.add_argument("--mirror", required=True, help="host:port serving it")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((args.tree / "manifest.json").read_text(encoding="utf-8"))
    registry = tomllib.loads((args.tree / "registry.toml").read_text(encoding="utf-8"))
    process = CrawlerProcess(settings(args.mirror, args.out, args.concurrency, feed=args.kind == "parsel"))
    crawlers = {}
    for slug, site in manifest["sites"].items():
        entry = registry[slug]
        if args.kind == "parsel":
            starts = [f"{entry['scheme']}://{entry['host']}{s['path']}" for s in entry["sections"]]
            crawler = process.create_crawler(NaiveParselSpider)
            process.crawl(crawler, name=slug, start_urls=starts, family=site["family"])
        else:
            urls = [line for name in (f"listings-{slug}.txt", f"articles-{slug}.txt")
                    for line in (args.tree / name).read_text(encoding="utf-8").split()]
            crawler = process.create_crawler(FetchOnlySpider)
            process.crawl(crawler, name=slug, urls=urls)
        crawlers[slug] = crawler
    process.start()
    stats = {slug: {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in c.stats.get_stats().items()}
             for slug, c in crawlers.items()}
    (args.out / "stats.json").write_text(json.dumps(stats, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
