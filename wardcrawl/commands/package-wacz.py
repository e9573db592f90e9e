"""scrapy package-wacz: a WACZ of a crawl's WARCs (a run, or a site), validated.

The file is named for the command (``scrapy package-wacz``); the work is in
wardcrawl/archive/wacz.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from wardcrawl.archive.wacz import WARC_NAME, PackageError, package_wacz, select_warcs
from wardcrawl.archive.warc import WARC_SUBDIR
from wardcrawl.sites import registry

WACZ_SUBDIR = "wacz"


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--run RUN] [--site SLUG] [-o FILE.wacz]"

    def short_desc(self) -> str:
        return "Package a run's (or a site's) WARCs as one validated WACZ, its pages the article pages"

    # No ':' in help texts (Scrapy's formatter would take a wrapped one for a heading).
    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--run", help="the run id of the WARCs to package, the latest run when neither "
                                          "--run nor --site is given")
        parser.add_argument("--site", metavar="SLUG", help="package this site's WARCs (of every run, or of --run)")
        parser.add_argument("--data-dir", help="where the crawl's outputs are, DATA_DIR ('data') when not given")
        parser.add_argument("--output", "-o", dest="output_file",
                            help="the WACZ to write, DATA_DIR/wacz/NAME.wacz when not given")
        parser.add_argument("--title", help="the package's title, 'wardcrawl NAME' when not given")

    def run(self, args, opts) -> None:
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        if opts.site and opts.site not in registry():
            raise UsageError(f"unknown site {opts.site!r}; known: {', '.join(sorted(registry()))}")
        data_dir = Path(opts.data_dir or self.settings.get("DATA_DIR", "data"))
        try:
            warcs, name = select_warcs(data_dir / WARC_SUBDIR, opts.run, opts.site)
            output = Path(opts.output_file) if opts.output_file else data_dir / WACZ_SUBDIR / f"{name}.wacz"
            sites = sorted({registry()[s].name for s in _sites(warcs) if s in registry()})
            package = package_wacz(warcs, output, opts.title or f"wardcrawl {name}",
                                   f"Captured by wardcrawl: {', '.join(sites)}" if sites else "")
        except PackageError as exc:
            print(f"package-wacz: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        counts = package.read.counts + package.extraction.counts
        print(f"package-wacz: {package.path} ({package.path.stat().st_size} bytes): {len(package.warcs)} WARC files "
              f"({len(package.warcs) - len(warcs)} holding originals of revisits), {package.pages} article pages, "
              f"{counts['response_records']} response and {counts['revisit_records']} revisit records",
              file=sys.stderr)
        print(f"package-wacz: {package.validation}", file=sys.stderr)
        print(package.path)


def _sites(warcs: list[Path]) -> set[str]:
    return {m["site"] for p in warcs if (m := WARC_NAME.match(p.name))}
