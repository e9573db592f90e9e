"""Helpers of the fault tests: crawls of the fault-mode mirror over loopback, and what they left."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from mirror.fault_config import FaultLogLine, read_fault_log
from mirror.server import read_access_log, running_mirror
from mirror.sites import site as mirror_site
from tests.conftest import REPO_ROOT
from wardcrawl.sites import registry

# Quick settings for loopback fault runs: a stall (3 s) outlasts the 2 s timeout; the huge pages
# (2 MiB) and the gzip bomb (64 MiB) outgrow a 1 MiB limit; trap walks stop at page 8.
FAST = ("-s", "DOWNLOAD_TIMEOUT=2", "-s", "LISTING_MAX_PAGES=8", "-s", "DOWNLOAD_MAXSIZE=1048576",
        "-s", "RETRY_BACKOFF_BASE=0.1", "-s", "RETRY_AFTER_MAX=5")
FAST_FAULTS = "stall_s=3,huge=2097152"
REGISTRY_HOSTS = frozenset(h for s in registry().values() for h in s.hosts)


@dataclass
class Run:
    code: int
    report: dict
    access: list[tuple[str, str, str, int, str]]
    faults: list[FaultLogLine]
    output: str
    data_dir: Path

    def site(self, slug: str) -> dict:
        return self.report["sites"][slug]

    def stats(self, slug: str) -> dict:
        path = self.data_dir / slug / f"{slug}-{self.report['run_id']}.stats.json"
        return json.loads(path.read_text(encoding="utf-8"))


def cron(data_dir: Path, sites: list[str], faults: str | None, *args: str, timeout: int = 300,
         access_log: Path | None = None) -> Run:
    """One ``scrapy cron`` run against a fresh mirror process (in fault mode when ``faults``); the
    mirror's access log goes to ``access_log`` (default: data_dir/access.log)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log = access_log or data_dir / "access.log"
    extra = ["--faults", faults] if faults is not None else []
    with running_mirror(log, extra) as mirror:
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror", "WARDCRAWL_MIRROR": mirror.address}
        result = subprocess.run([sys.executable, "-m", "scrapy", "cron", "--sites", ",".join(sites), "--data-dir",
                                 str(data_dir), *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                                timeout=timeout)
        access = mirror.requests()
    fault_log = log.with_name(log.name + ".faults")
    return Run(result.returncode, _last_report(data_dir), access,
               read_fault_log(fault_log) if fault_log.exists() else [], result.stdout + result.stderr, data_dir)


def demo(data_dir: Path, faults: str, *args: str, timeout: int = 300) -> Run:
    """``scrapy demo`` (every mirrored site, one process) with the mirror in fault mode."""
    result = subprocess.run([sys.executable, "-m", "scrapy", "demo", "--data-dir", str(data_dir), "--json", "--no-publish",
                             f"--mirror-arg=--faults={faults}", *args], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=timeout, env=dict(os.environ))
    report = json.loads(result.stdout[result.stdout.index("{"):]) if "{" in result.stdout else {}
    log = data_dir / "mirror" / f"access-{report.get('run_id')}.log"
    fault_log = log.with_name(log.name + ".faults")
    return Run(result.returncode, report, read_access_log(log) if log.exists() else [],
               read_fault_log(fault_log) if fault_log.exists() else [], result.stderr[-6000:], data_dir)


def _last_report(data_dir: Path) -> dict:
    reports = sorted((data_dir / "reports").glob("run-*.json"))
    return json.loads(reports[-1].read_text(encoding="utf-8")) if reports else {}


def exported(data_dir: Path, slug: str) -> list[dict]:
    """The records of the site's feeds (rejects files are not feeds)."""
    return [json.loads(line) for feed in sorted((data_dir / slug).glob(f"{slug}-*.jsonl"))
            if not feed.name.endswith(".rejects.jsonl") for line in feed.read_text(encoding="utf-8").splitlines()]


def article_ids(slug: str) -> set[str]:
    return {f"{slug}:{a.entry_id}" for a in mirror_site(slug).articles}


def page_number(target: str) -> int:
    """The listing page a request target asks for (``?page=N``, Liferay's ``..._cur=N``), else 1."""
    for name, value in parse_qsl(urlsplit(target).query):
        if (name == "page" or name.endswith("cur")) and value.isdigit():
            return int(value)
    return 1
