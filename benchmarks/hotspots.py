"""Where the time goes: wardcrawl's full job, or its extraction, under py-spy; the hot spots as shares.

    .venv/bin/python benchmarks/hotspots.py crawl [--n 1700]     (scrapy cron over the scaled mirror)
    .venv/bin/python benchmarks/hotspots.py extract [--pages 100] (wardcrawl.archive.extract.extract, one core)
    .venv/bin/python benchmarks/hotspots.py memory [--n 2000]    (what holds the memory at the peak; slow)

crawl and extract: py-spy samples at 250 Hz, only while a thread holds the GIL (--gil: CPU
work, not idle waits); printed: each function's share of the samples, self (in the
function itself) and inclusive (with what it calls), and a summary by area. The raw
samples stay in the file printed last. memory: the crawl runs with tracemalloc
(benchmarks/memprofile.py, ~10x slower) and prints, at its highest RSS, Scrapy's live
objects and the allocation sites holding the most memory. Not part of `make bench`; for
when a target is missed.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BIN, REPO, build, cleanup, concurrency_settings, crawl_env, say, work_dir  # noqa: E402
from mirror.static_server import StaticServer  # noqa: E402

AREAS = [  # first match wins: (area, pattern on "function (file)")
    ("wardcrawl: link finding (site_links, article keys)", r"wardcrawl/parsers/common\.py|article_key|_params \(wardcrawl|"
                                                         r"listing_page_number|is_action_url|page_links|article_links"),
    ("wardcrawl: body walk (html_blocks)", r"wardcrawl/parsers/html_blocks"),
    ("wardcrawl: family parsers", r"wardcrawl/parsers/"),
    ("wardcrawl: decoding", r"wardcrawl/text/(decoding|encoding|legacy_fonts|syllables)"),
    ("wardcrawl: text cleaning (unicode, boilerplate, dates, bylines)", r"wardcrawl/text/"),
    ("wardcrawl: schema validation", r"wardcrawl/schema|fastjsonschema|jsonschema"),
    ("wardcrawl: state store and journal", r"wardcrawl/state|sqlite3"),
    ("wardcrawl: pipelines, spiders, stats", r"wardcrawl/"),
    ("parsel / lxml selectors", r"parsel/|cssselect/|lxml"),
    ("URL handling (urllib, w3lib)", r"urllib/parse|w3lib/"),
    ("Scrapy engine, middlewares, scheduler", r"scrapy/"),
    ("Twisted / asyncio / HTTP", r"twisted/|asyncio/|h2/|http/"),
]


def _key(frame: str) -> str:
    frame = re.sub(r":\d+\)$", ")", frame)
    return re.sub(r"\(.*?site-packages/", "(", frame).replace(f"({REPO}/", "(")


def summarise(raw: Path, top: int = 25, root: str | None = None) -> str:
    """Shares of the samples; with ``root`` (a regex on a frame), of the samples under that frame only."""
    self_n: collections.Counter = collections.Counter()
    incl: collections.Counter = collections.Counter()
    areas: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [_key(f) for f in stack.split(";") if f]
        if root and not any(re.search(root, f) for f in frames):
            continue
        total += n
        self_n[frames[-1]] += n
        for frame in set(frames):
            incl[frame] += n
        leaf = frames[-1]
        areas[next((name for name, rx in AREAS if re.search(rx, leaf)), "other (Python runtime, stdlib)")] += n
    if not total:
        return "no samples"
    scope = f" under {root}" if root else ""
    out = [f"{total} samples (GIL held){scope}", "", "by area (self time of the leaf frame):"]
    out += [f"  {v / total:6.1%}  {k}" for k, v in areas.most_common()]
    out += ["", f"top {top} functions, self time:"]
    out += [f"  {v / total:6.1%}  {k}" for k, v in self_n.most_common(top)]
    out += ["", "top wardcrawl functions, inclusive time:"]
    ward = [(k, v) for k, v in incl.most_common() if "wardcrawl/" in k or "mirror/" in k]
    out += [f"  {v / total:6.1%}  {k}" for k, v in ward[:top]]
    return "\n".join(out)


def py_spy(out: Path, cmd: list[str], env: dict | None = None) -> None:
    spy = BIN / "py-spy"
    if not spy.exists():
        raise SystemExit("py-spy is not installed: make bench installs it (requirements-bench.txt)")
    subprocess.run([str(spy), "record", "--gil", "-r", "250", "--format", "raw", "-o", str(out), "--", *cmd],
                   env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


EXTRACT_LOOP = """
import os, sys
sys.path.insert(0, {repo!r})
os.environ["BENCH_THROUGHPUT_N"] = {n!r}
from benchmarks import extraction
pages = extraction.generated_pages({pages})
run = extraction.tools()["wardcrawl extract"]
for _ in range({passes}):
    for page in pages:
        run(page)
"""


def memory(mirror, work: Path, top: int) -> int:
    import json

    from wardcrawl.settings.base import EXTENSIONS

    out = work / "memprofile.json"
    extensions = {**EXTENSIONS, "benchmarks.memprofile.PeakMemory": 0}
    with StaticServer(mirror, work / "server", log=say) as server:
        say(f"memory profile: scrapy cron over {mirror.pages:,} pages with tracemalloc (~10x slower)")
        cmd = [str(BIN / "scrapy"), "cron", "--sites", ",".join(mirror.slugs), "--data-dir", str(work / "data"),
               *concurrency_settings(), "-s", f"EXTENSIONS={json.dumps(extensions)}", "-s", f"MEMPROFILE_OUT={out}"]
        env = {**crawl_env(mirror, server), "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"}
        subprocess.run(cmd, env=env, cwd=REPO, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    if not peak:
        print("no snapshot (RSS never grew 8 MB past the start)")
        return 1
    print(f"at the highest RSS seen: {peak['rss_mb']} MB RSS, {peak['traced_mb']} MB traced by tracemalloc")
    print("live objects (scrapy.utils.trackref):", ", ".join(f"{k} {v}" for k, v in sorted(peak["live"].items())))
    print("\ntraced memory by file (where it was allocated):")
    for row in peak["by_file"][:top]:
        print(f"  {row['mb']:8.2f} MB  {row['file']}")
    print("\nallocation sites (innermost frames last):")
    for row in peak["sites"][:top]:
        print(f"  {row['mb']:8.2f} MB {row['count']:8d} blocks  {' < '.join(reversed(row['where']))}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("crawl", "extract", "memory"))
    parser.add_argument("--n", type=int, default=None, help="articles of the scaled mirror (1700; memory: 2000)")
    parser.add_argument("--pages", type=int, default=100, help="extract: article pages per family")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    mirror = build(args.n or (2000 if args.what == "memory" else 1700))
    work = work_dir(f"profile-{args.what}")
    raw = Path(tempfile.gettempdir()) / f"wardcrawl-profile-{args.what}.txt"
    try:
        if args.what == "crawl":
            with StaticServer(mirror, work / "server", log=say) as server:
                say(f"profiling scrapy cron over {mirror.pages:,} pages")
                cmd = [str(BIN / "scrapy"), "cron", "--sites", ",".join(mirror.slugs), "--data-dir", str(work / "data"),
                       *concurrency_settings()]
                py_spy(raw, cmd, {**crawl_env(mirror, server), "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"})
        elif args.what == "memory":
            return memory(mirror, work, args.top)
        else:
            say(f"profiling wardcrawl.archive.extract.extract over {args.pages} pages per family, 10 passes")
            loop = work / "extract_loop.py"
            loop.write_text(EXTRACT_LOOP.format(repo=str(REPO), n=str(mirror.manifest["n"]), pages=args.pages, passes=10),
                            encoding="utf-8")
            py_spy(raw, [sys.executable, str(loop)])
    finally:
        cleanup(work)
    print(summarise(raw, args.top, r"^run_sites " if args.what == "crawl" else r"^extract \(wardcrawl/archive/extract"))
    print(f"\nraw samples (py-spy --format raw): {raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
