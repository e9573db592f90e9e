"""scrapy probe [--sites a,b] [--output FILE] [--mirror]: what answers at each registry site's host.

Per site: resolve, connect, fetch ``/robots.txt`` and ``/``; classify (alive, moved, gone, blocked);
read the platform family from the page and the news sections from its menu. Writes a proposed
registry patch (TOML, default ``DATA_DIR/probe/registry-patch-<run>.toml``) for a person to review:
nothing is applied by itself. Live by default; ``--mirror`` probes the offline mirror instead (as
does any run under ``SCRAPY_SETTINGS_MODULE=wardcrawl.settings.mirror`` with ``WARDCRAWL_MIRROR``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import datetime
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import UsageError

from wardcrawl.registry.probe import render_patch
from wardcrawl.registry.probe_spider import ProbeSpider
from wardcrawl.sites import registry
from wardcrawl.spiders.base import run_id_now
from wardcrawl.text.dates import HANOI_TZ


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--sites a,b] [--output FILE] [--mirror]"

    def short_desc(self) -> str:
        return "Probe registry sites (alive, moved, gone, blocked; family; menu sections) and propose a registry patch"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--sites", help="comma-separated slugs (default every registry site)")
        parser.add_argument("--output", default=None, help="the proposed patch (default DATA_DIR/probe/...)")
        parser.add_argument("--mirror", action="store_true", help="start the offline mirror and probe it")
        parser.add_argument("--mirror-arg", action="append", default=[], help="extra argument for the mirror server")

    def run(self, args, opts) -> None:
        slugs = opts.sites.split(",") if opts.sites else list(registry())
        unknown = [s for s in slugs if s not in registry()]
        if unknown:
            raise UsageError(f"unknown sites: {', '.join(unknown)}")
        data_dir = Path(self.settings.get("DATA_DIR", "data"))
        run_id = run_id_now()
        output = Path(opts.output) if opts.output else data_dir / "probe" / f"registry-patch-{run_id}.toml"
        with self._mirror(opts, data_dir, run_id) as settings:
            handlers = settings.getdict("DOWNLOAD_HANDLERS").values()
            profile = "the offline mirror" if any("mirror" in str(h) for h in handlers) else "live"
            findings = probe(settings, [registry()[s] for s in slugs])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(render_patch(findings, registry(), f"{profile}, run {run_id}"), encoding="utf-8")
        for f in findings:
            print(f"{f.slug:22} {f.host:34} {f.summary}", file=sys.stdout)
        print(f"proposed registry patch (review; not applied): {output}", file=sys.stdout)

    @contextlib.contextmanager
    def _mirror(self, opts, data_dir: Path, run_id: str):
        if not opts.mirror:
            yield self.settings
            return
        from mirror.server import running_mirror
        from wardcrawl.commands.demo import mirror_settings

        with running_mirror(data_dir / "mirror" / f"probe-access-{run_id}.log", opts.mirror_arg) as mirror:
            os.environ["WARDCRAWL_MIRROR"] = mirror.address
            yield mirror_settings(self.settings, mirror.address, data_dir)


def probe(settings, sites: list) -> list:
    """Probe ``sites`` in one process; their findings, in the order given."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ProbeSpider)
    process.crawl(crawler, sites=sites, checked=datetime.now(HANOI_TZ).date().isoformat())
    process.start()
    return list(crawler.spider.findings.values())
