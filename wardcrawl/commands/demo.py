"""scrapy demo: the main job on the offline mirror.

Starts the mirror on a free loopback port, runs the nightly job over every mirrored site
with their real URLs (incremental: a second demo into the same data dir exports only
what changed), prints the run report as JSON, and stops the mirror.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES, Settings

from wardcrawl.lock import AlreadyRunning, run_lock
from wardcrawl.runner import EX_TEMPFAIL, add_run_options, print_summary, run_sites, spider_args
from wardcrawl.spiders.base import run_id_now


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def short_desc(self) -> str:
        return "Crawl the offline mirror of every mirrored site (the demo / main job)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        add_run_options(parser)
        parser.add_argument("--mirror-arg", action="append", default=[],
                            help="extra argument for the mirror server, as tests use --break-api, --add-article...")

    def run(self, args, opts) -> None:
        from mirror.server import running_mirror
        from mirror.sites import MIRRORED_SITES

        sites = opts.sites.split(",") if opts.sites else list(MIRRORED_SITES)
        unknown = [s for s in sites if s not in MIRRORED_SITES]
        if unknown:
            raise UsageError(f"no mirror for {', '.join(unknown)}; mirrored: {', '.join(MIRRORED_SITES)}")
        data_dir = Path(opts.data_dir or self.settings.get("DATA_DIR", "data"))
        run_id = run_id_now()
        try:
            with run_lock(data_dir / "wardcrawl.lock"), \
                    running_mirror(data_dir / "mirror" / f"access-{run_id}.log", opts.mirror_arg) as mirror:
                os.environ["WARDCRAWL_MIRROR"] = mirror.address
                report = run_sites(self._settings(mirror.address, data_dir), sites, run_id, spider_args(opts))
        except AlreadyRunning as exc:
            print(f"wardcrawl: {exc}", file=sys.stderr)
            self.exitcode = EX_TEMPFAIL
            return
        print_summary(report, sys.stderr)
        print(json.dumps(report, ensure_ascii=False, indent=2))
        self.exitcode = 0 if report["healthy"] else 1

    def _settings(self, address: str, data_dir: Path) -> Settings:
        settings = Settings()
        settings.setmodule("wardcrawl.settings.mirror", priority="project")
        settings.set("MIRROR_ADDRESS", address, priority="cmdline")
        settings.set("DATA_DIR", str(data_dir), priority="cmdline")
        for name in self.settings:  # keep `-s NAME=VALUE` given on the command line
            if self.settings.getpriority(name) >= SETTINGS_PRIORITIES["cmdline"]:
                settings.set(name, self.settings[name], priority="cmdline")
        return settings
