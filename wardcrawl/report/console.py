"""What a person sees in the terminal during and after a run: warnings and errors only (the INFO
log goes to the run's log file), a progress line on long runs, and a short closing summary."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from wardcrawl import stats as keys

REASON_WIDTH = 70  # the summary quotes reasons up to this long; the JSON report has them whole
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"


def log_to_file(settings, path: Path, progress_interval: float = 5.0) -> None:
    """Send Scrapy's log (LOG_LEVEL, INFO by default) to ``path``; warnings and errors also go to
    stderr; a progress line every ``progress_interval`` seconds while crawls run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if settings.getpriority("LOG_FILE") is None or settings.getpriority("LOG_FILE") < 40:
        settings.set("LOG_FILE", str(path), priority="cmdline")
    if settings.getpriority("PROGRESS_INTERVAL") is None:
        settings.set("PROGRESS_INTERVAL", progress_interval, priority="cmdline")
    extensions = settings.getdict("EXTENSIONS")
    extensions.setdefault("wardcrawl.report.console.ProgressLine", 900)
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.getLogger().addHandler(handler)  # Scrapy's own root handler (the file) is added beside it


class _Progress:
    """All crawlers of the process together: one line, not one per site."""

    def __init__(self, interval: float, out=None):
        self.interval = interval
        self.out = out or sys.stderr
        self.crawlers: list = []
        self.closed = 0
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.printed = False

    def add(self, crawler) -> None:
        self.crawlers.append(crawler)
        if self.loop is None:
            self.started = time.monotonic()
            self.loop = task.LoopingCall(self.tick)
            self.loop.start(self.interval, now=False)

    def close_one(self) -> None:
        self.closed += 1
        if self.closed >= len(self.crawlers) and self.loop is not None:
            if self.loop.running:
                self.loop.stop()
            if self.printed and self.out.isatty():
                self.out.write("\n")
                self.out.flush()

    def line(self) -> str:
        total = {"pages": 0, "new": 0, "updated": 0}
        for crawler in self.crawlers:
            values = crawler.stats.get_stats() if crawler.stats else {}
            total["pages"] += values.get("response_received_count", 0)
            total["new"] += values.get(keys.articles("new"), 0)
            total["updated"] += values.get(keys.articles("updated"), 0)
        return (f"… {self.closed}/{len(self.crawlers)} sites done, {total['pages']} pages, "
                f"{total['new']} new and {total['updated']} updated articles, "
                f"{time.monotonic() - self.started:.0f}s")

    def tick(self) -> None:
        line = self.line()
        if self.out.isatty():
            self.out.write("\r" + line + "\033[K")
        else:
            self.out.write(line + "\n")
        self.out.flush()
        self.printed = True


class ProgressLine:
    """Extension: a progress line on stderr every PROGRESS_INTERVAL seconds (0: off)."""

    shared: _Progress | None = None

    def __init__(self, crawler, progress: _Progress):
        self.progress = progress
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL", 0)
        if interval <= 0:
            raise NotConfigured
        if cls.shared is None or cls.shared.closed >= len(cls.shared.crawlers) > 0:
            cls.shared = _Progress(interval)
        ext = cls(crawler, cls.shared)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.progress.add(self.crawler)

    def spider_closed(self, spider, reason) -> None:
        self.progress.close_one()


def summary_lines(report: dict, paths: dict[str, str]) -> list[str]:
    """The run's closing screen: per site new / updated / unchanged and health, totals, then where
    each output is."""
    rows = [("site", "new", "updated", "unchanged", "health")]
    totals = [0, 0, 0]
    for slug, site in report["sites"].items():
        articles = site["articles"]
        counts = [articles.get("new", 0), articles.get("updated", 0), articles.get("unchanged", 0)]
        totals = [t + c for t, c in zip(totals, counts)]
        health = "ok" if site["healthy"] else "UNHEALTHY: " + "; ".join(site.get("reasons", []))
        if len(health) > REASON_WIDTH:
            health = health[:REASON_WIDTH - 1] + "…"
        rows.append((slug, *map(str, counts), health))
    unhealthy = sum(1 for s in report["sites"].values() if not s["healthy"])
    rows.append(("total", *map(str, totals), f"{len(report['sites']) - unhealthy} ok, {unhealthy} unhealthy"))
    width = max(len(r[0]) for r in rows)
    lines = [f"run {report['run_id']}: {len(report['sites'])} sites in {report.get('seconds', 0):.0f}s", ""]
    for index, (slug, new, updated, unchanged, health) in enumerate(rows):
        if index == len(rows) - 1:
            lines.append("-" * (width + 33))
        lines.append(f"{slug:<{width}}  {new:>5}  {updated:>7}  {unchanged:>9}  {health}")
    lines += [""] + source_lines(report)
    label_width = max(len(k) for k in paths)
    lines += [f"{label + ':':<{label_width + 1}}  {value}" for label, value in paths.items()]
    return lines


def source_lines(report: dict) -> list[str]:
    """Per site whose exported articles came from anywhere but the live site (wayback, commoncrawl,
    warc-file), where they came from; nothing for a night of live crawls, whose table says it all."""
    lines = [source_line(slug, sources) for slug, site in report["sites"].items()
             if set(sources := site["articles"].get("sources") or {}) - {"live"}]
    return [*lines, ""] if lines else []


def source_line(slug: str, sources: dict[str, int]) -> str:
    """``<site> articles from: wayback 18, warc-file 2`` (empty when there are none)."""
    return f"{slug} articles from: " + ", ".join(f"{s} {n}" for s, n in sources.items()) if sources else ""


def output_paths(report: dict, data_dir: Path, log_file: str | None, html: Path | None,
                 database: Path | None) -> dict[str, str]:
    """Labelled paths of a run's outputs, for the summary."""
    feeds = [s["feed"] for s in report["sites"].values() if s.get("feed")]
    run_id = report["run_id"]
    paths = {"feeds": (f"{data_dir}/<site>/<site>-{run_id}.jsonl ({len(feeds)} files)" if feeds
                       else "none (nothing new)")}
    paths["run report"] = str(data_dir / "reports" / f"run-{run_id}.json")
    if log_file:
        paths["log"] = str(log_file)
    if html:
        paths["HTML report"] = str(html)
    if database:
        paths["database"] = f"{database}  (browse: .venv/bin/datasette {database})"
    return paths
