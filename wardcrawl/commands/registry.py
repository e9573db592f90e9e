"""scrapy registry generate [--check]: write wardcrawl/sites.generated.toml from the gazetteer
(the same as ``python -m wardcrawl.registry.generate``)."""

from __future__ import annotations

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "generate [--check]"

    def short_desc(self) -> str:
        return "Generate the registry entries of every Hanoi unit (wardcrawl/sites.generated.toml)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--check", action="store_true", help="exit 1 if the generated file is out of date")

    def run(self, args, opts) -> None:
        if args != ["generate"]:
            raise UsageError("the only action is 'generate'")
        from wardcrawl.registry import generate

        self.exitcode = generate.main(["--check"] if opts.check else [])
