"""wardcrawl/runner.py: one process crawls at most CONCURRENT_SITES sites at once, and every site
still ends in the run report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime

from mirror.server import running_mirror
from tests.conftest import REPO_ROOT

SITES = ("longbien", "giangbien", "thuongthanh")


def _crawl_spans(data_dir, run_id: str) -> dict[str, tuple[datetime, datetime]]:
    """slug -> (start_time, finish_time) from each site's stats file of the run."""
    spans = {}
    for slug in SITES:
        stats = json.loads((data_dir / slug / f"{slug}-{run_id}.stats.json").read_text(encoding="utf-8"))
        spans[slug] = (datetime.fromisoformat(stats["start_time"]), datetime.fromisoformat(stats["finish_time"]))
    return spans


def _most_at_once(spans) -> int:
    edges = sorted([(start, 1) for start, _ in spans.values()] + [(end, -1) for _, end in spans.values()],
                   key=lambda edge: (edge[0], edge[1]))  # an end before a start at the same instant
    running = most = 0
    for _, step in edges:
        running += step
        most = max(most, running)
    return most


def _cron_command(data, mirror, limit: int, *args: str):
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror", "WARDCRAWL_MIRROR": mirror.address}
    return [sys.executable, "-m", "scrapy", "cron", "--sites", ",".join(SITES), "--data-dir", str(data), "-s",
            f"CONCURRENT_SITES={limit}", *args], env


def _report(data) -> dict:
    return json.loads(sorted((data / "reports").glob("run-*.json"))[-1].read_text(encoding="utf-8"))


def _cron(tmp_path, mirror, limit: int):
    data = tmp_path / f"data-{limit}"
    command, env = _cron_command(data, mirror, limit)
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    report = _report(data)
    return report, _crawl_spans(data, report["run_id"])


def test_the_limit_of_sites_at_once_is_honoured_and_every_site_is_crawled(tmp_path):
    with running_mirror(tmp_path / "access.log") as mirror:
        limited, spans = _cron(tmp_path, mirror, 2)
        unlimited, all_spans = _cron(tmp_path, mirror, 0)
    assert _most_at_once(spans) == 2  # never more than the limit, and the limit is used
    assert _most_at_once(all_spans) == len(SITES)  # 0: every site at once, as before the limit
    # The sites start in the order given: the third starts only when one of the first two finished.
    starts = sorted(spans, key=lambda slug: spans[slug][0])
    assert starts[:2] == list(SITES[:2])
    assert spans[starts[2]][0] >= min(spans[SITES[0]][1], spans[SITES[1]][1])
    for report in (limited, unlimited):
        assert list(report["sites"]) == list(SITES)
        assert all(site["healthy"] and site["articles"]["new"] for site in report["sites"].values())
    assert limited["log_counts"].get("INFO", 0) > 0


def test_a_stopped_run_starts_no_further_site_and_reports_them_not_crawled(tmp_path):
    """Ctrl-C while the first of one-at-a-time sites crawls (slowly: 1 s between requests): that
    site stops, the others never start, and the report says so."""
    with running_mirror(tmp_path / "access.log") as mirror:
        command, env = _cron_command(tmp_path / "data", mirror, 1, "-s", "DOWNLOAD_DELAY=1")
        proc = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        try:
            deadline = time.monotonic() + 120
            while not any(host.startswith("longbien") for host, *_ in mirror.requests()):
                assert proc.poll() is None and time.monotonic() < deadline, "the first site never started"
                time.sleep(0.2)
            time.sleep(2)  # a few requests in
            proc.send_signal(signal.SIGINT)
            output, _ = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        hosts = {host for host, *_ in mirror.requests()}
    report = _report(tmp_path / "data")
    assert list(report["sites"]) == list(SITES), output[-3000:]
    first = json.loads((tmp_path / "data" / SITES[0] / f"{SITES[0]}-{report['run_id']}.stats.json")
                       .read_text(encoding="utf-8"))
    assert first["finish_reason"] == "shutdown"
    for slug in SITES[1:]:
        assert report["sites"][slug]["reasons"] == ["not crawled: the run was stopped before this site's turn"]
    assert not any(host.startswith(SITES[1:]) for host in hosts)  # none of them was asked anything
