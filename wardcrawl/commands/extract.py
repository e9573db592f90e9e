"""scrapy extract <site> <file.html> --url <url>: re-extract a saved page, print the record."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from wardcrawl.extract import extract, make_response
from wardcrawl.sites import registry


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "<site> <file.html> --url <url>"

    def short_desc(self) -> str:
        return "Re-extract a saved page offline with the site's parser and cleaning; print JSON"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", required=True, help="the URL the page was fetched from")
        parser.add_argument("--encoding", help="override the page's declared encoding")
        parser.add_argument("--fetched-at", help="ISO 8601 capture time (default: now)")

    def run(self, args, opts) -> None:
        if len(args) != 2:
            raise UsageError("expected <site> <file.html>")
        slug, path = args
        site = registry().get(slug)
        if site is None:
            raise UsageError(f"unknown site {slug!r}; known: {', '.join(sorted(registry()))}")
        body = Path(path).read_bytes()
        fetched_at = datetime.fromisoformat(opts.fetched_at) if opts.fetched_at else None
        result = extract(site, make_response(opts.url, body, encoding=opts.encoding), fetched_at)
        if result.record is not None:
            print(json.dumps(result.record, ensure_ascii=False, indent=2))
        for error in result.errors:
            print(f"error: {error}", file=sys.stderr)
        self.exitcode = 0 if result.record is not None and not result.errors else 1
