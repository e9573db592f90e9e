"""Issue 16, items 8, 9 and 11: the demo beside live data, the smaller defects, and health that
fails a run which missed pages in bulk."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from scrapy.utils.test import get_crawler

from mirror.static_server import nginx_limits
from tests.conftest import REPO_ROOT, run_scrapy
from tests.fault_runs import article_ids, cron, exported
from wardcrawl import stats
from wardcrawl.commands import exitcodes
from wardcrawl.report.health import Thresholds, site_report
from wardcrawl.spiders.liferay import LongbienSpider

SITE = "longbien"
MIRROR_ENV = {"SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"}


# ---- 8. the demo beside live data ---------------------------------------------------------------
def test_the_demo_has_its_own_data_dir_and_a_live_crawl_never_reads_it(tmp_path):
    demo = run_scrapy("demo", "--sites", "giangbien", "--json", "-s", f"DATA_DIR={tmp_path}")
    assert demo.returncode == exitcodes.OK, demo.stderr[-3000:]
    report = json.loads(demo.stdout[demo.stdout.index("{"):])
    assert report["source"] == "mirror"
    demo_dir = tmp_path / "demo"
    assert (demo_dir / "MIRROR").exists() and (demo_dir / "state.sqlite3").exists()
    assert json.loads(next((demo_dir / "reports").glob("run-*.json")).read_text("utf-8"))["source"] == "mirror"
    assert not (tmp_path / "state.sqlite3").exists() and not (tmp_path / "giangbien").exists()
    # A live crawl (the default settings) refuses the mirror's data dir, before reading anything.
    live = run_scrapy("crawl", "giangbien", "-s", f"DATA_DIR={demo_dir}", "-s", "RETRY_TIMES=0")
    assert live.returncode == exitcodes.FAILED and "offline mirror runs" in live.stderr, live.stderr[-2000:]
    # ... and a mirror run refuses a live archive.
    live_dir = tmp_path / "live"
    (live_dir / "giangbien").mkdir(parents=True)
    (live_dir / "giangbien" / "giangbien-1.jsonl").write_text('{"id": "giangbien:1"}\n', encoding="utf-8")
    mirror = run_scrapy("demo", "--sites", "giangbien", "--data-dir", str(live_dir))
    assert mirror.returncode == exitcodes.FAILED and "holds a live archive" in mirror.stderr, mirror.stderr[-2000:]


# ---- 9. smaller defects ---------------------------------------------------------------------------
def test_a_crawl_that_reaches_nothing_is_not_ok(tmp_path):
    """No network (the live hosts do not resolve here): unhealthy, exit 1, like cron."""
    result = run_scrapy("crawl", SITE, "-s", f"DATA_DIR={tmp_path}", "-s", "RETRY_TIMES=0", "-s",
                        "DOWNLOAD_TIMEOUT=5", timeout=120)
    assert result.returncode == exitcodes.UNHEALTHY, result.stderr[-3000:]
    assert "UNHEALTHY" in result.stderr
    report = json.loads(next((tmp_path / "reports").glob("run-*.json")).read_text("utf-8"))
    assert not report["healthy"] and report["sites"][SITE]["failed"]


def test_an_adhoc_copy_of_an_archived_site_holds_every_article(tmp_path):
    from mirror.server import running_mirror

    assert cron(tmp_path, [SITE], None).code == exitcodes.OK
    with running_mirror(tmp_path / "copy-access.log") as mirror:
        result = run_scrapy("crawl", SITE, "-a", "full=1", "-O", str(tmp_path / "copy.jsonl"), "-s",
                            f"DATA_DIR={tmp_path}", env={**MIRROR_ENV, "WARDCRAWL_MIRROR": mirror.address})
    assert result.returncode == exitcodes.OK, result.stderr[-3000:]
    copy = [json.loads(line) for line in (tmp_path / "copy.jsonl").read_text("utf-8").splitlines()]
    assert {r["id"] for r in copy} == article_ids(SITE) and len(copy) == len(article_ids(SITE))
    assert len(exported(tmp_path, SITE)) == len(article_ids(SITE))  # the archive exported nothing again


def test_the_readme_crontab_line_works_on_a_fresh_clone(tmp_path):
    line = next(x for x in (REPO_ROOT / "README.md").read_text("utf-8").splitlines() if x.startswith("17 2 * * *"))
    command = line.split(None, 5)[5].replace("cd /srv/wardcrawl", f"cd {tmp_path}")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    scrapy = tmp_path / ".venv" / "bin" / "scrapy"  # a stand-in: what matters is the shell around it
    scrapy.write_text("#!/bin/sh\necho ran \"$@\"\n")
    scrapy.chmod(0o755)
    result = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "logs" / "cron.out").read_text() == "ran cron\n"


def test_a_bad_since_is_a_usage_error_before_anything_is_created(tmp_path):
    for args in (["cron", "--data-dir", str(tmp_path / "d")], ["demo", "--data-dir", str(tmp_path / "d")]):
        result = run_scrapy(*args, "--since", "2025-13-45")
        assert result.returncode == exitcodes.USAGE and "YYYY-MM-DD" in result.stderr, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
    result = run_scrapy("crawl", SITE, "-a", "since=2025-13-45", "-s", f"DATA_DIR={tmp_path / 'd'}")
    assert result.returncode == exitcodes.USAGE and "Traceback" not in result.stderr
    assert not (tmp_path / "d").exists()


def test_skipped_known_counts_articles_not_links(tmp_path):
    crawler = get_crawler(LongbienSpider, {"DATA_DIR": str(tmp_path)})
    crawler.stats.open_spider()
    spider = LongbienSpider.from_crawler(crawler, run_id="t")
    url = "http://longbien.hanoi.gov.vn/tin-tuc?p_p_id=101&_101_assetEntryId=15237470&_101_urlTitle=a"
    spider.known = {"longbien:15237470": "2020-01-01"}
    for _ in range(3):  # linked from three pages
        assert list(spider.article_requests([url, url.replace("urlTitle=a", "urlTitle=b")])) == []
    assert crawler.stats.get_value(stats.SKIPPED_KNOWN) == 1
    spider._on_closed(spider, "cancelled")


def _stats(**extra) -> dict:
    return {"downloader/request_count": 40, "response_received_count": 40, "finish_reason": "finished",
            stats.ARTICLES_LISTED: 30, stats.ARTICLE_PAGES: 30, **{stats.coverage(f): 30 for f in
                                                                   ("title", "body", "published_at")}, **extra}


def test_error_ratio_is_a_ratio_and_coverage_needs_enough_pages():
    report = site_report(_stats(**{"downloader/request_count": 4, stats.layout_miss("x"): 4,
                                   stats.REJECTED_RECORDS: 2, stats.rejected("title"): 2}), None)
    assert report["error_ratio"] == 1.0 and report["errors"]["rejected"] == 2
    few = {stats.ARTICLE_PAGES: 3, **{stats.coverage(f): 0 for f in ("title", "body", "published_at")}}
    assert not any(r.startswith("layout") for r in site_report(_stats(**few), None)["reasons"])
    many = {stats.ARTICLE_PAGES: 12, **{stats.coverage(f): 0 for f in ("title", "body", "published_at")}}
    assert any(r.startswith("layout") for r in site_report(_stats(**many), None)["reasons"])


def test_times_say_their_zone_and_stats_files_hold_only_their_crawl(tmp_path):
    run = cron(tmp_path, [SITE, "giangbien"], None)
    assert run.code == exitcodes.OK, run.output[-3000:]
    assert re.fullmatch(r"\d{8}T\d{6}-\d{6}", run.report["run_id"])
    log = next((tmp_path / "logs").glob("*.log")).read_text("utf-8")
    first = log.splitlines()[0]
    hour = int(run.report["run_id"][9:11])
    assert re.match(rf"\d{{4}}-\d\d-\d\d {hour:02d}:\d\d:\d\d\+07:00 ", first), first  # the run id's clock
    for slug in (SITE, "giangbien"):
        assert not any(k.startswith("log_count/") for k in run.stats(slug))
    assert run.report["log_counts"]["INFO"] > 0


def test_extract_says_what_is_wrong_with_its_input(tmp_path):
    url = "http://longbien.hanoi.gov.vn/tin-tuc?p_p_id=101&_101_assetEntryId=1"
    missing = run_scrapy("extract", SITE, str(tmp_path / "nope.html"), "--url", url)
    assert missing.returncode == exitcodes.USAGE and "no such file" in missing.stderr
    folder = run_scrapy("extract", SITE, str(tmp_path), "--url", url)
    # a directory is read as a folder of WARCs (scrapy extract <dir>), where --url has no place
    assert folder.returncode == exitcodes.USAGE and "--url is for an HTML file" in folder.stderr
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body>" + b"<p>x</p>" * 200_000 + b"</body></html>")
    over = run_scrapy("extract", SITE, str(big), "--url", url, "-s", "DOWNLOAD_MAXSIZE=1000000")
    assert over.returncode == exitcodes.FAILED and "over DOWNLOAD_MAXSIZE" in over.stderr
    for result in (missing, folder, over):
        assert "Traceback" not in result.stderr


# ---- 11. health of a run that missed pages; the benchmark server's limits -------------------------
def test_a_first_run_whose_walks_were_cut_short_or_pages_gone_in_bulk_is_unhealthy():
    cut = site_report(_stats(**{stats.listing_end("failed_page"): 2}), None)
    assert not cut["healthy"] and any(r.startswith("listing:") for r in cut["reasons"])
    gone = site_report(_stats(**{"downloader/request_count": 100, stats.gone(404): 40}), None)
    assert not gone["healthy"] and any(r.startswith("gone:") for r in gone["reasons"])
    few_gone = site_report(_stats(**{"downloader/request_count": 100, stats.gone(404): 3}), None)
    assert few_gone["healthy"], few_gone["reasons"]
    assert Thresholds().max_gone_ratio == 0.2


def test_nginx_limits_fit_the_machine():
    for nofile in (1024, 20_000, 1_048_576):
        limits = nginx_limits(nofile)
        assert limits["file_cache"] + 2 * limits["connections"] < nofile
    assert nginx_limits(20_000)["file_cache"] < 20_000  # the bench's 100,000 ran nginx out of descriptors


def test_a_benchmark_rejects_a_broken_crawl():
    import pytest

    from benchmarks.common import BrokenRun, Child, Crawl, check_wardcrawl_run

    def crawl(exitcode: int) -> Crawl:
        return Crawl(Child(1.0, 1.0, 10.0, exitcode), 10, 10, 1.0, 0.0, {"x": {}},
                     report={"healthy": True, "run_id": "r"}, data_dir=Path("/nonexistent"))

    check_wardcrawl_run(crawl(0), None)
    with pytest.raises(BrokenRun, match="exported 0 of the 5"):
        check_wardcrawl_run(crawl(0), 5)
    with pytest.raises(BrokenRun, match="exited 1"):
        check_wardcrawl_run(crawl(1), None)
    # the scaled new-CMS site is walked through its pager on purpose: that reason alone is expected
    pager_only = crawl(1)
    pager_only.report = {"healthy": False, "run_id": "r", "unhealthy": {"bench-tayho": ["listing_api_missing: …"]}}
    check_wardcrawl_run(pager_only, None)
    pager_only.report["unhealthy"]["bench-tayho"].append("listing: cut short")
    with pytest.raises(BrokenRun, match="unhealthy"):
        check_wardcrawl_run(pager_only, None)
