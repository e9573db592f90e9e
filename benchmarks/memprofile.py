"""A Scrapy extension for `benchmarks/hotspots.py memory`: what holds the memory at the crawl's peak.

Enabled from the command line only (``-s EXTENSIONS={"benchmarks.memprofile.PeakMemory": 0}``),
never by wardcrawl's settings. It starts tracemalloc, reads the process's RSS every
second, takes a tracemalloc snapshot (and counts Scrapy's live Requests, Responses and
Selectors) whenever RSS has grown 8 MB past the last snapshot, and writes it to
``MEMPROFILE_OUT`` (JSON), so the file holds the highest one: RSS, traced bytes, live objects, and the
allocation sites holding the most memory. tracemalloc slows the crawl ~10x; the figures
are for attribution, not for the benchmark's RSS.
"""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

from scrapy import signals
from twisted.internet import task

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


class PeakMemory:
    STEP_MB = 8

    active = None  # one per process, however many crawlers it runs

    def __init__(self, crawler):
        self.out = Path(crawler.settings.get("MEMPROFILE_OUT", "memprofile.json"))
        self.peak: dict = {}
        self.last = 0.0
        self.loop = None
        if PeakMemory.active is None:
            PeakMemory.active = self
            crawler.signals.connect(self.opened, signal=signals.engine_started)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def opened(self):
        if not tracemalloc.is_tracing():
            tracemalloc.start(4)
        self.last = rss_mb()
        self.loop = task.LoopingCall(self.check)
        self.loop.start(1.0, now=False)

    def check(self):
        rss = rss_mb()
        if rss < self.last + self.STEP_MB:
            return
        from scrapy.utils.trackref import live_refs

        snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        sites = []
        for stat in snapshot.statistics("traceback")[:40]:
            frames = [f"{f.filename.split('site-packages/')[-1]}:{f.lineno}" for f in stat.traceback]
            sites.append({"mb": round(stat.size / 2**20, 2), "count": stat.count, "where": frames[-4:]})
        by_file = [{"mb": round(s.size / 2**20, 2), "file": s.traceback[0].filename.split("site-packages/")[-1]}
                   for s in snapshot.statistics("filename")[:25]]
        traced, _ = tracemalloc.get_traced_memory()
        self.peak = {"rss_mb": round(rss, 1), "traced_mb": round(traced / 2**20, 1),
                     "live": {cls.__name__: len(refs) for cls, refs in live_refs.items() if refs},
                     "by_file": by_file, "sites": sites}
        self.last = rss
        self.out.write_text(json.dumps(self.peak, indent=1), encoding="utf-8")  # the latest peak is always on disk
