"""Shared test helpers: fixture pages on disk, and one real crawl of the mirror per session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from mirror.server import read_access_log
from wardcrawl.archive.extract import make_response

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"


@dataclass
class FixturePage:
    name: str
    family: str
    html: Path
    meta: dict
    expected: dict

    def response(self):
        headers = {k: v for k, v in self.meta["headers"].items() if k.lower() == "content-type"}
        return make_response(self.meta["url"], self.html.read_bytes(), headers)


def fixture_pages(family: str, prefix: str = "") -> list[FixturePage]:
    pages = []
    for html in sorted((FIXTURES / family).glob(f"{prefix}*.html")):
        stem = html.with_suffix("")
        pages.append(FixturePage(
            name=html.stem, family=family, html=html,
            meta=json.loads(stem.with_suffix(".meta.json").read_text(encoding="utf-8")),
            expected=json.loads(stem.with_suffix(".expected.json").read_text(encoding="utf-8")),
        ))
    return pages


@dataclass
class SiteRun:
    records: list[dict]
    feed_text: str
    stats: dict


@dataclass
class DemoRun:
    data_dir: Path
    summary: dict
    sites: dict[str, SiteRun]
    access: list[tuple[str, str, str, int, str]]  # host, method, target, status, request body


def journal_lines(site_dir: Path) -> int:
    """Lines written so far to a site folder's live export journals (``*.jsonl.part``)."""
    return sum(p.read_bytes().count(b"\n") for p in site_dir.glob("*.jsonl.part"))


def kill_9_after_journal_lines(command: list[str], site_dir: Path, lines: int, timeout: float,
                               env: dict | None = None, poll: float = 0.01) -> None:
    """Run ``command``, and ``kill -9`` it once its journal in ``site_dir`` holds ``lines`` lines;
    fails when the process ended first."""
    import signal
    import time

    proc = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while journal_lines(site_dir) < lines and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(poll)
    assert proc.poll() is None, "the process ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def run_scrapy(*args: str, cwd: Path = REPO_ROOT, env: dict | None = None, timeout: int = 300):
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> DemoRun:
    """`scrapy demo` over the loopback mirror, exactly as `make demo` runs it."""
    data_dir = tmp_path_factory.mktemp("demo-data")
    result = run_scrapy("demo", "--data-dir", str(data_dir), "--json")
    assert result.returncode == 0, result.stderr[-4000:]
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    sites = {}
    for slug, report in summary["sites"].items():
        feed = Path(report["feed"])
        text = feed.read_text(encoding="utf-8")
        stats = json.loads(feed.with_name(feed.name.replace(".jsonl", ".stats.json")).read_text(encoding="utf-8"))
        sites[slug] = SiteRun([json.loads(line) for line in text.splitlines()], text, stats)
    access = read_access_log(next((data_dir / "mirror").glob("access-*.log")))
    return DemoRun(data_dir, summary, sites, access)


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL server for the session (tests/services.py); each test makes its own database."""
    from tests.services import Unavailable, postgres_server, skip_unavailable

    try:
        with postgres_server() as server:
            yield server
    except Unavailable as exc:
        skip_unavailable("PostgreSQL", exc)


@pytest.fixture
def postgres_url(postgres, request) -> str:
    """A fresh database on the session's server, named after the test."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:55]
    return postgres.create_database(name)


# -- WARC capture: two demo runs with WARC on --------------------------------------------

@dataclass
class Run:
    run_id: str
    summary: dict
    warcs: list[Path]
    feeds: dict[str, dict]  # id -> record


@dataclass
class TwoRuns:
    data_dir: Path
    first: Run
    second: Run


def _demo(data_dir: Path) -> Run:
    result = run_scrapy("demo", "--data-dir", str(data_dir), "--json", "--no-publish", "-s", "WARC_ENABLED=1")
    assert result.returncode == 0, result.stderr[-4000:]
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    run_id = summary["run_id"]
    feeds = {}  # a re-run may export nothing (unchanged articles are not exported again)
    for feed in sorted(data_dir.glob(f"*/*-{run_id}.jsonl")):
        for line in feed.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            feeds[record["id"]] = record
    warcs = sorted((data_dir / "warc").glob(f"*-{run_id}-*.warc.gz"))
    return Run(run_id, summary, warcs, feeds)


@pytest.fixture(scope="session")
def two_runs(tmp_path_factory) -> TwoRuns:
    """`scrapy demo -s WARC_ENABLED=1` twice into one data dir: the mirror does not change.
    Shared by the WARC, WACZ and replay tests (tests/test_warc.py, tests/archive/)."""
    data_dir = tmp_path_factory.mktemp("warc-demo")
    first = _demo(data_dir)
    second = _demo(data_dir)
    assert first.run_id != second.run_id
    return TwoRuns(data_dir, first, second)


def require_pywb() -> None:
    """pywb's own venv (mirror/pywb.py), built if need be; where it cannot be installed the test
    is skipped with the reason printed, except in CI, which installs every component."""
    from mirror import pywb

    from tests.services import skip_unavailable

    try:
        pywb.ensure_venv()
    except pywb.PywbUnavailable as exc:
        skip_unavailable("pywb cannot be installed here", exc)
