"""`scrapy cron` over the loopback mirror: incremental runs, versions, health, the lock, kill -9."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mirror.server import running_mirror
from mirror.sites import site
from tests.conftest import REPO_ROOT, kill_9_after_journal_lines
from wardcrawl.state.lock import run_lock
from wardcrawl.parsers import liferay

SITE = "longbien"
ALL_IDS = {f"{SITE}:{a.entry_id}" for a in site(SITE).articles}


def cron_command(data_dir: Path, mirror, *args: str) -> tuple[list[str], dict]:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror", "WARDCRAWL_MIRROR": mirror.address}
    return [sys.executable, "-m", "scrapy", "cron", "--sites", SITE, "--data-dir", str(data_dir), *args], env


def cron(data_dir: Path, mirror_args: list[str] = (), *args: str):
    """One nightly run against a fresh mirror process; returns (exit code, report, access log, output)."""
    with running_mirror(data_dir / "access.log", list(mirror_args)) as mirror:
        command, env = cron_command(data_dir, mirror, *args)
        result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
        access = mirror.requests()
    reports = sorted((data_dir / "reports").glob("run-*.json"))
    report = json.loads(reports[-1].read_text(encoding="utf-8")) if reports else {}
    return result.returncode, report, access, result.stdout + result.stderr


def exported(data_dir: Path) -> list[dict]:
    return [json.loads(line) for feed in sorted((data_dir / SITE).glob(f"{SITE}-*.jsonl"))
            for line in feed.read_text(encoding="utf-8").splitlines()]


def test_first_run_exports_everything_and_the_second_only_checks_listings(tmp_path):
    code, first, _, output = cron(tmp_path)
    assert code == 0, output
    assert first["sites"][SITE]["articles"]["new"] == len(ALL_IDS)
    assert list((tmp_path / "logs").glob("*.log"))

    code, second, access, output = cron(tmp_path)
    assert code == 0, output
    report = second["sites"][SITE]
    assert report["articles"]["new"] == report["articles"]["updated"] == report["articles"]["fetched"] == 0
    assert report["feed"] is None  # nothing exported
    assert report["healthy"]
    targets = [t for _, _, t, _, _ in access if t != "/robots.txt"]
    assert targets and all(not liferay.article_key_from_url("http://x" + t) for t in targets)  # listings only
    assert all(liferay.listing_page_number("http://x" + t) <= 2 for t in targets)  # the first page(s)
    assert sorted(r["id"] for r in exported(tmp_path)) == sorted(ALL_IDS)


def test_an_added_article_is_exported_once(tmp_path):
    cron(tmp_path)
    code, report, _, output = cron(tmp_path, ["--add-article", SITE])
    assert code == 0, output
    assert report["sites"][SITE]["articles"]["new"] == 1
    new = [r for r in exported(tmp_path) if r["id"] not in ALL_IDS]
    assert len(new) == 1 and new[0]["title"].startswith("Tin mới: ") and new[0]["version"] == 1
    code, report, _, _ = cron(tmp_path, ["--add-article", SITE])  # still there the night after
    assert report["sites"][SITE]["articles"]["new"] == 0
    assert len(exported(tmp_path)) == len(ALL_IDS) + 1


def test_an_edited_article_is_exported_as_version_2(tmp_path):
    cron(tmp_path)
    before = {r["id"]: r for r in exported(tmp_path)}
    code, report, _, output = cron(tmp_path, ["--edit-article", f"{SITE}:15237470"], "--full")
    assert code == 0, output
    assert report["sites"][SITE]["articles"]["updated"] == 1
    assert report["sites"][SITE]["articles"]["unchanged"] == len(ALL_IDS) - 1
    versions = [r for r in exported(tmp_path) if r["id"] == f"{SITE}:15237470"]
    assert [r["version"] for r in versions] == [1, 2]
    assert versions[1]["previous_sha256"] == before[f"{SITE}:15237470"]["content_sha256"]
    assert versions[1]["body"].endswith("(Bài viết đã được cập nhật.)")


def test_a_layout_change_fails_the_run_and_names_it(tmp_path):
    cron(tmp_path)
    code, report, _, output = cron(tmp_path, ["--layout-change", SITE], "--full")
    assert code == 1, output
    reasons = report["sites"][SITE]["reasons"]
    assert any(reason.startswith("layout:") for reason in reasons), reasons
    assert report["unhealthy"] == {SITE: reasons}
    assert "UNHEALTHY" in output


def test_a_run_that_finds_no_articles_is_unhealthy(tmp_path):
    code, report, _, output = cron(tmp_path, [], "-s", "INCREMENTAL_KNOWN_STREAK=0", "-s",
                                   "ROBOTSTXT_OBEY=False", "-s", "DOWNLOAD_MAXSIZE=100")
    assert code == 1, output
    assert any(r.startswith("no_articles:") for r in report["sites"][SITE]["reasons"])


def test_overlapping_runs_are_refused(tmp_path):
    with run_lock(tmp_path / "wardcrawl.lock"):
        code, report, _, output = cron(tmp_path)
    assert code == 75
    assert "another wardcrawl run holds" in output and "not starting" in output
    assert report == {}


@pytest.mark.parametrize("kill_after", [1, 12, 30])
def test_kill_9_and_resume_loses_and_duplicates_nothing(tmp_path, kill_after):
    with running_mirror(tmp_path / "access.log") as mirror:
        command, env = cron_command(tmp_path, mirror, "-s", "CONCURRENT_REQUESTS=1", "-s", "DOWNLOAD_DELAY=0.02")
        kill_9_after_journal_lines(command, tmp_path / SITE, kill_after, 60, env=env)
    assert list((tmp_path / SITE).glob("*.jsonl.part"))  # killed mid-write: the journal is left behind

    code, report, _, output = cron(tmp_path)
    assert code == 0, output
    assert report["sites"][SITE]["articles"]["recovered"] >= kill_after
    ids = [r["id"] for r in exported(tmp_path)]
    assert len(ids) == len(set(ids)), "an article was exported twice"
    assert set(ids) == ALL_IDS, "an article was lost"
    assert not list((tmp_path / SITE).glob("*.part"))
