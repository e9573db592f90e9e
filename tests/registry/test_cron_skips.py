"""`scrapy cron` leaves out unverified and gone sites unless asked, and its report lists them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from mirror.server import running_mirror
from tests.conftest import REPO_ROOT
from wardcrawl.runner import partition_sites
from wardcrawl.sites import REGISTRY_PATH, SHIPPED_GENERATED

# The shipped registry, with one generated site marked gone (as a person applies a probe's finding).
GONE = '\n[namtuliem]\nstatus = "gone"\nchecked = "2026-11-30"\n'


def test_partition_by_default_and_when_asked():
    crawl, skipped = partition_sites(["longbien", "ngocha", "hadong-quan"])
    assert crawl == ["longbien"]
    assert skipped["ngocha"].startswith("unverified (unknown: host, sections, api)")
    assert skipped["hadong-quan"].startswith("not crawled")
    crawl, skipped = partition_sites(["longbien", "ngocha", "hadong-quan"], include_unverified=True)
    assert crawl == ["longbien", "ngocha"] and list(skipped) == ["hadong-quan"]


def _cron(tmp_path, mirror, *args):
    registry = tmp_path / "sites.toml"
    registry.write_text(REGISTRY_PATH.read_text(encoding="utf-8") + GONE, encoding="utf-8")
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror", "WARDCRAWL_MIRROR": mirror.address,
           "WARDCRAWL_REGISTRY": str(registry), "WARDCRAWL_REGISTRY_GENERATED": str(SHIPPED_GENERATED)}
    data = tmp_path / "data"
    result = subprocess.run([sys.executable, "-m", "scrapy", "cron", "--sites", "longbien,ngocha,namtuliem",
                             "--data-dir", str(data), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=240)
    report = json.loads(sorted((data / "reports").glob("run-*.json"))[-1].read_text(encoding="utf-8"))
    return result, report


def test_cron_skips_unverified_and_gone_sites_and_the_report_says_so(tmp_path):
    with running_mirror(tmp_path / "access.log") as mirror:
        result, report = _cron(tmp_path, mirror)
        hosts = {host for host, *_ in mirror.requests()}
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert set(report["sites"]) == {"longbien"}
    assert report["skipped"]["ngocha"].startswith("unverified")
    assert report["skipped"]["namtuliem"] == "gone (checked 2026-11-30)"
    assert "skipped 2 sites (gone 1, unverified 1): ngocha, namtuliem" in result.stdout
    assert "ngocha.hanoi.gov.vn" not in hosts and "namtuliem.hanoi.gov.vn" not in hosts


def test_asked_cron_crawls_an_unverified_site_but_still_not_a_gone_one(tmp_path):
    with running_mirror(tmp_path / "access.log") as mirror:
        result, report = _cron(tmp_path, mirror, "--include-unverified")
    assert set(report["sites"]) == {"longbien", "ngocha"}, result.stderr[-3000:]
    assert report["sites"]["ngocha"]["articles"]["new"] == 5  # the small generated portal's articles
    assert list(report["skipped"]) == ["namtuliem"]
