"""What the performance benchmarks share: the scaled mirror and its server, child processes
measured with wait4 (wall, CPU, peak RSS), wardcrawl's full job, tables and targets.

Not a benchmark itself: see bench.py (``make bench``) and the scripts beside it.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from mirror import scaled  # noqa: E402
from mirror.scaled import ScaledMirror  # noqa: E402
from mirror.static_server import StaticServer  # noqa: E402

BIN = Path(sys.executable).parent  # the virtualenv running the benchmark: scrapy is beside python
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))  # every crawler alike, per site and in all


def say(message: str) -> None:
    """Progress, on stderr; tables go to stdout."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def env_ints(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    value = os.environ.get(name)
    return tuple(int(x) for x in value.split(",")) if value else default


# ---- work space -------------------------------------------------------------------------------
def work_dir(name: str) -> Path:
    """A fresh directory for one benchmark's servers and data dirs, under the cache directory."""
    base = scaled.cache_dir() / "runs"
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{name}-{time.strftime('%Y%m%dT%H%M%S')}-", dir=base))


def cleanup(path: Path) -> None:
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(path, ignore_errors=True)


def build(n: int, new: int = 0) -> ScaledMirror:
    started = time.monotonic()
    fresh = []
    mirror = scaled.build(n, new, log=fresh.append)
    took = time.monotonic() - started
    size = mirror.manifest["bytes"]["article"]["mean"] / 1024
    say(f"scaled mirror n={n} new={new}: {mirror.pages} pages, article pages {size:.1f} KB on average "
        f"({f'built in {took:.1f} s' if fresh else 'cached'}) at {mirror.root}")
    return mirror


# ---- child processes ------------------------------------------------------------------------------
@dataclass
class Child:
    wall: float  # s, process start to exit
    cpu: float  # s, user + system, of the child (and any children it waited for)
    maxrss_mb: float  # peak resident set size, MiB
    exitcode: int


def run_child(cmd: list[str], env: dict | None = None, log: Path | None = None) -> Child:
    """Run a command to its end; its wall time, CPU and peak RSS from wait4(2)."""
    out = log.open("ab") if log else subprocess.DEVNULL
    try:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log:
            out.close()
    return Child(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode)


def crawl_env(mirror: ScaledMirror, server: StaticServer) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT")}
    env.update({"WARDCRAWL_MIRROR": server.address, "WARDCRAWL_REGISTRY": str(mirror.registry),
                "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "0"})
    return env


def concurrency_settings() -> list[str]:
    return ["-s", f"CONCURRENT_REQUESTS={CONCURRENCY}", "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONCURRENCY}",
            "-s", "LOG_LEVEL=INFO"]


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


@dataclass
class Crawl:
    """One measured crawl: the process, what the server saw, and the crawlers' own stats."""

    child: Child
    pages: int  # responses received (robots.txt included), summed over the sites
    requests: int  # requests the server answered during the run
    window: float  # s, first crawler's start to last crawler's finish (Scrapy's own clock)
    server_cpu: float  # s of server CPU during the run
    stats: dict = field(default_factory=dict)  # site -> Scrapy stats
    report: dict | None = None  # wardcrawl's run report
    data_dir: Path | None = None

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.window if self.window else float("nan")

    @property
    def cpu_per_1000(self) -> float:
        return self.child.cpu / self.pages * 1000 if self.pages else float("nan")

    def stat(self, key: str) -> int:
        return sum(int(s.get(key, 0) or 0) for s in self.stats.values())


def measured(server: StaticServer, run) -> tuple[Child, int, float]:
    """(child, requests served, server CPU s) around ``run()``, which returns the Child."""
    requests, cpu = server.requests(), server.cpu_seconds()
    child = run()
    time.sleep(0.05)  # the last access-log lines
    return child, server.requests() - requests, server.cpu_seconds() - cpu


def crawl_from_stats(child: Child, served: int, server_cpu: float, stats: dict, **extra) -> Crawl:
    starts = [_when(s["start_time"]) for s in stats.values() if s.get("start_time")]
    ends = [_when(s["finish_time"]) for s in stats.values() if s.get("finish_time")]
    window = (max(ends) - min(starts)).total_seconds() if starts and ends else child.wall
    pages = sum(int(s.get("response_received_count", 0)) for s in stats.values())
    return Crawl(child, pages, served, window, server_cpu, stats, **extra)


def wardcrawl_job(mirror: ScaledMirror, server: StaticServer, data_dir: Path, log: Path,
                  args: tuple[str, ...] = ()) -> Crawl:
    """`scrapy cron` over every scaled site into ``data_dir``: the full nightly job (all pipelines, export,
    state store, run report), incremental when ``data_dir`` holds an earlier run."""
    data_dir.mkdir(parents=True, exist_ok=True)
    before = set((data_dir / "reports").glob("run-*.json"))
    first_run = not before
    cmd = [str(BIN / "scrapy"), "cron", "--sites", ",".join(mirror.slugs), "--data-dir", str(data_dir),
           *concurrency_settings(), *args]
    env = {**crawl_env(mirror, server), "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"}
    child, served, cpu = measured(server, lambda: run_child(cmd, env, log))
    after = sorted(set((data_dir / "reports").glob("run-*.json")) - before)
    if not after:
        raise RuntimeError(f"wardcrawl wrote no run report (exit {child.exitcode}); see {log}")
    report = json.loads(after[-1].read_text(encoding="utf-8"))
    run_id = report["run_id"]
    stats = {}
    for slug in mirror.slugs:
        path = data_dir / slug / f"{slug}-{run_id}.stats.json"
        stats[slug] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    crawl = crawl_from_stats(child, served, cpu, stats, report=report, data_dir=data_dir)
    check_wardcrawl_run(crawl, mirror.articles if first_run else None, log)
    return crawl


PAGER_ONLY_REASON = "listing_api_missing"


class BrokenRun(RuntimeError):
    """The crawl a benchmark measured did not do its job: its figures would mean nothing."""


def check_wardcrawl_run(crawl: Crawl, expected_articles: int | None, log: Path | None = None) -> None:
    """A broken run is an error, never a figure: the run must exit 0 with every site healthy, and a
    first (full) run must export every article the tree holds."""
    report = crawl.report
    where = f"; see {log}" if log else ""
    # The scaled new-CMS site has no listing-API values on purpose (nginx answers no POST; its
    # categories are walked through ?page=N): that reason, and only it, is expected (exit 1).
    unexpected = {slug: [r for r in reasons if not r.startswith(PAGER_ONLY_REASON)]
                  for slug, reasons in (report.get("unhealthy") or {}).items()}
    expected_only = bool(unexpected) and not report.get("failures") and not any(unexpected.values())
    if crawl.child.exitcode not in ((0, 1) if expected_only else (0,)) or (
            not report.get("healthy") and not expected_only):
        raise BrokenRun(f"wardcrawl exited {crawl.child.exitcode}, unhealthy: {report.get('unhealthy')}, "
                        f"failures: {report.get('failures')}{where}")
    if expected_articles is not None:
        exported = len(exported_ids(crawl))
        if exported != expected_articles:
            raise BrokenRun(f"wardcrawl exported {exported:,} of the {expected_articles:,} articles the tree "
                            f"holds{where}")


def check_peer_crawl(kind: str, crawl: Crawl, mirror: ScaledMirror) -> None:
    """A peer's crawl must have read the whole tree too: every page fetched (fetch), every article
    scraped (parsel), no 404 (a server out of descriptors answers 404)."""
    stats = crawl.stats.values()
    missing = sum(int(s.get("downloader/response_status_count/404", 0)) for s in stats)
    scraped = sum(int(s.get("item_scraped_count", 0)) for s in stats)
    if missing:
        raise BrokenRun(f"peer {kind}: {missing} pages answered 404")
    if kind == "parsel" and scraped < mirror.articles:
        raise BrokenRun(f"peer {kind} scraped {scraped:,} of the {mirror.articles:,} articles the tree holds")
    if kind == "fetch" and crawl.pages < mirror.pages:
        raise BrokenRun(f"peer {kind} fetched {crawl.pages:,} of the {mirror.pages:,} pages the tree holds")


def peer_crawl(kind: str, mirror: ScaledMirror, server: StaticServer, out_dir: Path, log: Path) -> Crawl:
    """One of benchmarks/peers.py's spiders over every scaled site, in one process."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stats_path = out_dir / "stats.json"
    cmd = [sys.executable, str(REPO / "benchmarks" / "peers.py"), kind, "--tree", str(mirror.root),
           "--mirror", server.address, "--out", str(out_dir), "--concurrency", str(CONCURRENCY)]
    child, served, cpu = measured(server, lambda: run_child(cmd, crawl_env(mirror, server), log))
    if not stats_path.exists():
        raise RuntimeError(f"peer spider {kind} wrote no stats (exit {child.exitcode}); see {log}")
    crawl = crawl_from_stats(child, served, cpu, json.loads(stats_path.read_text(encoding="utf-8")))
    check_peer_crawl(kind, crawl, mirror)
    return crawl


def exported_ids(crawl: Crawl) -> set[str]:
    """Article ids wardcrawl exported in that run (its feed files)."""
    ids = set()
    run_id = crawl.report["run_id"]
    for slug in crawl.stats:
        feed = crawl.data_dir / slug / f"{slug}-{run_id}.jsonl"
        if feed.exists():
            with feed.open(encoding="utf-8") as lines:
                ids.update(json.loads(line)["id"] for line in lines if line.strip())
    return ids


# ---- reporting -----------------------------------------------------------------------------------
def median(values) -> float:
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


def table(headers: list[str], rows: list[list], title: str = "") -> str:
    """A Markdown pipe table, padded to read as well in a terminal; numbers right-aligned."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    numeric = [all(_is_number(r[i]) for r in cells) and bool(cells) for i in range(len(headers))]
    line = lambda row: "| " + " | ".join(c.rjust(w) if num else c.ljust(w)  # noqa: E731
                                         for c, w, num in zip(row, widths, numeric)) + " |"
    rule = "|" + "|".join(("-" * (w + 1) + ":") if num else ("-" * (w + 2)) for w, num in zip(widths, numeric)) + "|"
    out = ([f"\n### {title}\n"] if title else []) + [line(headers), rule] + [line(r) for r in cells]
    return "\n".join(out)


def _is_number(text: str) -> bool:
    text = text.replace(",", "").replace("%", "").replace("×", "").replace("x", "").strip()
    try:
        float(text)
        return True
    except ValueError:
        return text in ("-", "nan")


def fmt(value: float, digits: int = 1) -> str:
    return "-" if value is None or value != value else f"{value:,.{digits}f}"


@dataclass
class Target:
    name: str
    value: float
    limit: float
    op: str  # ">=" or "<="
    unit: str = ""

    @property
    def met(self) -> bool:
        if self.value != self.value:
            return False
        return self.value >= self.limit if self.op == ">=" else self.value <= self.limit

    def line(self) -> str:
        return (f"{'met   ' if self.met else 'MISSED'}  {self.name}: {fmt(self.value, 3).rstrip('0').rstrip('.')}"
                f"{self.unit} (target {self.op} {self.limit:g}{self.unit})")


def print_targets(targets: list[Target]) -> None:
    print("\ntargets:")
    for t in targets:
        print("  " + t.line())
    sys.stdout.flush()


def machine() -> dict:
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    import lxml.etree
    import scrapy

    return {"cpu": model or platform.processor(), "cores": os.cpu_count(), "memory": memory,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "scrapy": scrapy.__version__, "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)),
            "concurrency": CONCURRENCY}
