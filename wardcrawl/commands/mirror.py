"""scrapy mirror [--port N]: serve the offline mirror on 127.0.0.1 until interrupted."""

from __future__ import annotations

from scrapy.commands import ScrapyCommand


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def short_desc(self) -> str:
        return "Serve the offline mirror of the registry sites on loopback"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--access-log", default=None)

    def run(self, args, opts) -> None:
        from mirror.server import main

        main(["--port", str(opts.port), *(["--access-log", opts.access_log] if opts.access_log else [])])
