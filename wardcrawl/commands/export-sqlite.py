"""scrapy export-sqlite DB: the archive as a SQLite database (Datasette-ready, full-text search).

The module's name carries the hyphen because Scrapy names a command after its module.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from wardcrawl.report import data_dir_of
from wardcrawl.report.archive import load_archive


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "DB [--data-dir DIR]"

    def short_desc(self) -> str:
        return "Export the archive to a SQLite database (incremental; open it with `datasette DB`)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--data-dir", default=None, help="the archive to export (default DATA_DIR)")

    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("give the database path: scrapy export-sqlite archive.db")
        if opts.data_dir:
            self.settings.set("DATA_DIR", opts.data_dir, priority="cmdline")
        # imported here, not at the top: Scrapy imports every command module at each start (`scrapy crawl` too)
        from wardcrawl.report.sqlite_export import export  # sqlite-utils, numpy

        result = export(load_archive(data_dir_of(self.settings), self.settings), Path(args[0]))
        print(f"{result.path}: {result.added} versions added ({result.already} already there, "
              f"{result.feeds_skipped} feeds unchanged); {result.articles} articles, {result.versions} versions")
