"""scrapy report: the archive's coverage report as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

from scrapy.commands import ScrapyCommand

from wardcrawl.report import data_dir_of, report_path, write_report
from wardcrawl.report.archive import load_archive


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[-o REPORT.html] [--data-dir DIR]"

    def short_desc(self) -> str:
        return "Write the HTML coverage report (articles per site and month, gaps, coverage, health)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("-o", "--output", default=None, help="where to write it (default REPORT_HTML, "
                                                                   "DATA_DIR/report.html)")
        parser.add_argument("--data-dir", default=None, help="the archive to report on (default DATA_DIR)")

    def run(self, args, opts) -> None:
        if opts.data_dir:
            self.settings.set("DATA_DIR", opts.data_dir, priority="cmdline")
        archive = load_archive(data_dir_of(self.settings), self.settings)
        path = write_report(archive, Path(opts.output) if opts.output else report_path(self.settings))
        print(f"report: {path} ({len(archive.latest())} articles, {len(archive.feeds)} feeds, "
              f"{len(archive.runs)} site runs)")
