"""Performance, measured: every benchmark in turn, then the targets met or MISSED.

    make bench                                   (or: .venv/bin/python benchmarks/bench.py)
    .venv/bin/python benchmarks/bench.py --quick (small sizes, one round: a smoke test, ~3 min)

Runs, each printing its table as it completes (method: docs/benchmarks.md):
extraction.py (ms/page vs trafilatura, readability-lxml and the lxml parse floor),
throughput.py (wardcrawl's full job vs a naive-parsel and a fetch-only spider),
memory.py (peak RSS of full crawls at 10k and 50k articles) and rerun.py (requests of an
unchanged nightly re-run vs a full crawl, and new articles picked up), over the scaled
mirror (mirror/scaled.py) served by nginx. The scaled trees are cached under
$WARDCRAWL_BENCH_CACHE (default $TMPDIR/wardcrawl-bench); the results go to
bench-latest.json there. Exits 0 when it ran to the end (--strict: 1 when a target is missed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUICK = {"BENCH_SIZES": "2000,6000", "BENCH_THROUGHPUT_N": "1000", "BENCH_ROUNDS": "1", "BENCH_EXTRACT_PAGES": "20",
         "BENCH_EXTRACT_PASSES": "1", "BENCH_NEW": "30"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every performance benchmark and check the targets.")
    parser.add_argument("--quick", action="store_true", help="small sizes and one round: a smoke test")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in QUICK.items():
            os.environ.setdefault(name, value)

    from benchmarks import extraction, memory, rerun, throughput
    from benchmarks.common import cleanup, machine, say
    from mirror import scaled
    from mirror.static_server import server_description

    started = time.monotonic()
    for stale in scaled.prune_cache():
        say(f"removed {stale.name}: built by an older generator")
    info = machine()
    server = server_description(log=say)
    print(f"# wardcrawl benchmarks, {time.strftime('%Y-%m-%d %H:%M %Z')}\n")
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['os']}; Python {info['python']}, "
          f"Scrapy {info['scrapy']}, lxml {info['lxml']}")
    print(f"server: {server}, one process on loopback; concurrency {info['concurrency']} per site; "
          f"cache {scaled.cache_dir()}")
    sys.stdout.flush()
    results = {"machine": info}
    results["extraction"] = extraction.run()
    results["throughput"] = throughput.run()
    mem = memory.run(keep=True)
    try:
        results["memory"] = mem
        results["rerun"] = rerun.run(full=mem["full"])
    finally:
        for item in mem["full"].values():
            cleanup(item["work"])
    targets = [t for part in ("extraction", "throughput", "memory", "rerun") for t in results[part]["targets"]]
    elapsed = time.monotonic() - started
    missed = [t for t in targets if not t.met]
    print(f"\n## Summary ({elapsed / 60:.1f} min): "
          f"{'all targets met' if not missed else f'{len(missed)} of {len(targets)} targets MISSED'}")
    for t in targets:
        print("  " + t.line())
    out = scaled.cache_dir() / "bench-latest.json"
    out.write_text(json.dumps(_plain(results), ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"\nresults: {out}")
    return 1 if (missed and args.strict) else 0


def _plain(value):
    """Results as JSON: targets and crawls flattened, trees and paths as strings."""
    from benchmarks.common import Crawl, Target

    if isinstance(value, Target):
        return {"name": value.name, "value": value.value, "limit": value.limit, "op": value.op, "met": value.met}
    if isinstance(value, Crawl):
        return {"pages": value.pages, "requests": value.requests, "window_s": value.window,
                "pages_per_s": value.pages_per_s, "cpu_s": value.child.cpu, "maxrss_mb": value.child.maxrss_mb,
                "exit": value.child.exitcode, "server_cpu_s": value.server_cpu}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if k != "mirror"}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
