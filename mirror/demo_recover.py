"""make demo-recover: a vanished mirror site recovered from a web archive on loopback.

1. The site is crawled from the mirror with WARC capture on (`scrapy demo --sites SITE`): the
   captures a web archive would hold.
2. Those WARCs go into a pywb collection (mirror/pywb.py, its own venv): the stand-in for the
   Wayback Machine (its CDX server and id_ replay) and Common Crawl's index server; a range
   server serves the WARC files (Common Crawl's data host).
3. The mirror is gone; `scrapy recover SITE --from wayback` then `--from commoncrawl` run
   against the archives' real URLs, routed to the stand-ins (mirror/archive_handler.py),
   each into a fresh data dir. Prints what each gave back, and how fast.

Run: ``.venv/bin/python -m mirror.demo_recover [--site badinh] [--delay 0.2]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mirror import pywb
from mirror.range_server import serving_files

REPO_ROOT = Path(__file__).resolve().parent.parent
HANDLER = "mirror.archive_handler.ArchiveMirrorDownloadHandler"
CRAWL = "CC-MAIN-2026-48"


def scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=1800)


def feed_records(data_dir: Path, site: str) -> list[dict]:
    return [json.loads(line) for feed in sorted((data_dir / site).glob(f"{site}-*.jsonl"))
            for line in feed.read_text(encoding="utf-8").splitlines()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="badinh")
    parser.add_argument("--delay", type=float, default=0.2, help="seconds between requests to the archive")
    args = parser.parse_args(argv)
    site = args.site
    with tempfile.TemporaryDirectory(prefix="wardcrawl-recover-") as tmp:
        tmp = Path(tmp)
        print(f"1. crawling {site} from the mirror with WARC capture on ...", flush=True)
        crawl = scrapy("demo", "--sites", site, "--data-dir", str(tmp / "crawl"), "-s", "WARC_ENABLED=1")
        if crawl.returncode != 0:
            print(crawl.stderr[-3000:], file=sys.stderr)
            return 1
        crawled = {r["id"] for r in feed_records(tmp / "crawl", site)}
        warcs = sorted((tmp / "crawl" / "warc").glob(f"{site}-*.warc.gz"))
        print(f"   {len(crawled)} articles; {len(warcs)} WARC file(s), {sum(p.stat().st_size for p in warcs)} bytes")
        print("2. loading them into pywb (the web archive) ...", flush=True)
        collection = pywb.make_collection(tmp / "pywb", "archive", warcs)
        with pywb.running_wayback(tmp / "pywb") as server, serving_files(collection / "archive") as files:
            routes = ["-s", "DOWNLOAD_HANDLERS=" + json.dumps({"http": HANDLER, "https": HANDLER}),
                      "-s", f"ARCHIVE_MIRROR={server.url.removeprefix('http://')}/archive",
                      "-s", f"ARCHIVE_FILES_MIRROR={files}", "-s", f"RECOVERY_DOWNLOAD_DELAY={args.delay}",
                      "-s", f"COMMONCRAWL_CRAWLS={CRAWL}"]
            print(f"3. {site} is gone (no mirror); recovering it from the archive ...", flush=True)
            failed = False
            for source in ("wayback", "commoncrawl"):
                data_dir = tmp / f"recovered-{source}"
                started = time.monotonic()
                result = scrapy("recover", site, "--from", source, "--data-dir", str(data_dir), *routes)
                seconds = time.monotonic() - started
                report = json.loads(result.stdout[result.stdout.index("{"):]) if "{" in result.stdout else {}
                records = feed_records(data_dir, site)
                ids = [r["id"] for r in records]
                requests = report.get("sites", {}).get(site, {}).get("requests", 0)
                ok = result.returncode == 0 and sorted(ids) == sorted(crawled)
                failed |= not ok
                print(f"   --from {source}: {len(records)} of {len(crawled)} articles recovered "
                      f"({len(set(ids))} distinct), {requests} requests in {seconds:.1f} s "
                      f"(delay {args.delay} s), healthy={report.get('healthy')}: {'OK' if ok else 'FAILED'}")
                if records:
                    sample = records[0]
                    print(f"     e.g. {sample['id']}: {sample['title'][:60]!r}, published {sample['published_at']},"
                          f" captured {sample['captured_at']}, from {sample['archive_url'][:90]}")
                if not ok:
                    print(result.stderr[-3000:], file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
