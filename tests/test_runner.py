"""wardcrawl/runner.py: one process crawls at most CONCURRENT_SITES sites at once, and every site
still ends in the run report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

from mirror.server import running_mirror
from tests.conftest import REPO_ROOT

SITES = ("longbien", "giangbien", "thuongthanh", "phucdong")


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


def _cron(tmp_path, mirror, limit: int):
    data = tmp_path / f"data-{limit}"
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror", "WARDCRAWL_MIRROR": mirror.address}
    result = subprocess.run([sys.executable, "-m", "scrapy", "cron", "--sites", ",".join(SITES), "--data-dir",
                             str(data), "-s", f"CONCURRENT_SITES={limit}"],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    report = json.loads(sorted((data / "reports").glob("run-*.json"))[-1].read_text(encoding="utf-8"))
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
