"""`scrapy cron --scrapyd` with the real parts on loopback: a PostgreSQL server, two scrapyd
daemons (max_proc = 1 each) running the egg scrapyd-deploy built, and the mirror.

Every site crawled once and every article exported exactly once across the nodes; an unchanged
re-run exports nothing; a second coordinator refuses (75); a node killed with -9 mid-run (its
job too) has its sites finished on the other node, nothing lost or duplicated; a crawl of a
site another process holds exits 75.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mirror.server import running_mirror
from mirror.sites import site
from tests.conftest import REPO_ROOT
from tests.services import (Unavailable, deploy, node_environment, project_copy, scrapyd_available,
                            scrapyd_deploy, scrapyd_node, skip_unavailable)
from wardcrawl.state.postgres import PostgresStateStore

SITES = ["giangbien", "viethung", "thanhuyhanoi"]  # one of each family
KILL_SITES = ["longbien", "giangbien", "viethung"]


def expected_ids(slugs) -> set[str]:
    return {f"{slug}:{a.entry_id}" for slug in slugs for a in site(slug).articles}


def exported(data_dir: Path, slugs) -> list[dict]:
    return [json.loads(line) for slug in slugs for feed in sorted((data_dir / slug).glob(f"{slug}-*.jsonl"))
            for line in feed.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The mirror and two scrapyd daemons with the egg deployed, for the module (the kill test,
    last, kills one); skips when scrapyd is missing."""
    work = tmp_path_factory.mktemp("cluster")
    with running_mirror(work / "access.log") as mirror, contextlib.ExitStack() as stack:
        env = node_environment(mirror.address, work)
        try:
            daemons = [stack.enter_context(scrapyd_node(work / "nodes", f"node{i + 1}", env)) for i in range(2)]
        except Unavailable as exc:
            skip_unavailable("scrapyd", exc)
        deploy(daemons, work)
        yield mirror, daemons


def test_the_egg_carries_the_registry_and_schema(tmp_path):
    """The egg scrapyd-deploy builds is the whole crawler: imported from the zip alone, it loads
    its registry and record schema (package data) and every spider."""
    try:
        scrapyd_available()
    except Unavailable as exc:
        skip_unavailable("scrapyd", exc)
    egg = tmp_path / "wardcrawl.egg"
    result = scrapyd_deploy(project_copy(tmp_path), "--build-egg", str(egg))
    assert result.returncode == 0, result.stderr
    check = ("import json, wardcrawl, wardcrawl.schema, wardcrawl.sites, wardcrawl.places.gazetteer\n"
             "from scrapy.spiderloader import SpiderLoader\n"
             "from scrapy.settings import Settings\n"
             "spiders = SpiderLoader.from_settings(Settings({'SPIDER_MODULES': ['wardcrawl.spiders']})).list()\n"
             "print(json.dumps([wardcrawl.__file__, len(wardcrawl.sites.registry()), "
             "wardcrawl.schema.article_schema()['title'], sorted(spiders), "
             "len(wardcrawl.places.gazetteer.units())]))")
    env = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WARDCRAWL_REGISTRY")},
           "PYTHONPATH": str(egg)}
    ran = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0, ran.stderr
    where, sites, title, spiders, places = json.loads(ran.stdout)
    from wardcrawl.places.gazetteer import units

    assert places == len(units())  # the gazetteer (package data) read from the zip: records get their places
    assert where.startswith(str(egg) + "/")  # from the zip, not the checkout
    from wardcrawl.schema import article_schema
    from wardcrawl.sites import registry

    assert sites == len(registry()) and title == article_schema()["title"]
    assert spiders == sorted(slug for slug, site in registry().items() if site.crawled)  # "other": no spider


def coordinator(data_dir: Path, state_url: str, nodes, slugs, *args: str) -> subprocess.Popen:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"}
    command = [sys.executable, "-m", "scrapy", "cron", "--scrapyd", ",".join(n.url for n in nodes),
               "--sites", ",".join(slugs), "--data-dir", str(data_dir), "-s", f"STATE_URL={state_url}",
               "-s", "SCRAPYD_POLL=0.3", *args]
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def finish(proc: subprocess.Popen, timeout: float = 240) -> tuple[int, str]:
    output, _ = proc.communicate(timeout=timeout)
    return proc.returncode, output


def last_report(data_dir: Path) -> dict:
    return json.loads(sorted((data_dir / "reports").glob("run-*.json"))[-1].read_text(encoding="utf-8"))


def test_sites_spread_over_two_nodes_each_once_and_a_rerun_exports_nothing(tmp_path, postgres_url, cluster):
    data = tmp_path / "data"
    mirror, nodes = cluster
    first = coordinator(data, postgres_url, nodes, SITES)
    # A second coordinator while the first runs (it holds the store's coordinator lock): refused.
    deadline = time.monotonic() + 60
    while not any(n.call("listjobs.json?project=wardcrawl")["running"] for n in nodes):
        assert time.monotonic() < deadline and first.poll() is None, "the first coordinator never started a job"
        time.sleep(0.2)
    second = coordinator(tmp_path / "data2", postgres_url, nodes, SITES)
    code, output = finish(second, 120)
    assert code == 75, output
    assert "another coordinator holds" in output and not (tmp_path / "data2" / "reports").exists()

    code, output = finish(first)
    assert code == 0, output
    # One run report: the jobs (sharing the run id and the data dir) write theirs under reports/jobs,
    # so a job ending last cannot overwrite the coordinator's.
    assert len(list((data / "reports").glob("run-*.json"))) == 1
    report = last_report(data)
    assert report["healthy"] and set(report["sites"]) == set(SITES)
    jobs = [p.name for p in (data / "reports" / "jobs").glob(f"run-{report['run_id']}*.json")]
    assert all(any(name.endswith(f"-{slug}.json") for name in jobs) for slug in SITES), jobs
    assert all(jobs >= 1 for jobs in (n["jobs"] for n in report["nodes"].values())), report["nodes"]
    assert sum(n["jobs"] for n in report["nodes"].values()) == len(SITES)  # one job per site
    records = exported(data, SITES)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an article was exported twice"
    assert set(ids) == expected_ids(SITES)
    assert sum(r["articles"]["new"] for r in report["sites"].values()) == len(ids)
    # Each site was crawled once: its article pages were each fetched once, by one job.
    article_gets = [t for _, m, t, s, _ in mirror.requests() if m == "GET" and s == 200 and ".htm" in t]
    assert len(article_gets) == len(set(article_gets))

    code, output = finish(coordinator(data, postgres_url, nodes, SITES))
    assert code == 0, output
    again = last_report(data)
    assert again["run_id"] != report["run_id"]
    assert all(s["articles"]["new"] == s["articles"]["updated"] == 0 for s in again["sites"].values())
    assert all(s["feed"] is None for s in again["sites"].values())
    assert len(exported(data, SITES)) == len(ids)


def _journal_lines(data_dir: Path, pattern: str) -> int:
    return sum(p.read_bytes().count(b"\n") for p in data_dir.glob(pattern))


def _wait_for_lines(data_dir: Path, pattern: str, proc: subprocess.Popen, lines: int = 5) -> None:
    deadline = time.monotonic() + 120
    while _journal_lines(data_dir, pattern) < lines:
        assert time.monotonic() < deadline and proc.poll() is None, f"no journal {pattern} reached {lines} lines"
        time.sleep(0.05)


def _running(node, spider: str) -> bool:
    return any(j["spider"] == spider for j in node.call("listjobs.json?project=wardcrawl")["running"])


def test_a_node_killed_mid_run_and_a_job_killed_have_their_sites_finished_elsewhere(tmp_path, postgres_url, cluster):
    """kill -9 of a node (scrapyd and its job) while it crawls longbien: the other node crawls it
    again; kill -9 of that job too: a third try, on the node that is left. Each try recovers the
    journal of the one before; nothing is lost or exported twice."""
    data = tmp_path / "data"
    slow = ("-s", "CONCURRENT_REQUESTS=1", "-s", "DOWNLOAD_DELAY=0.1")
    mirror, nodes = cluster
    proc = coordinator(data, postgres_url, nodes, KILL_SITES, *slow)
    _wait_for_lines(data, "longbien/longbien-*.jsonl.part", proc)
    victim = next(n for n in nodes if _running(n, "longbien"))
    survivor = next(n for n in nodes if n is not victim)
    victim.kill_9()
    _wait_for_lines(data, "longbien/longbien-*.2.jsonl.part", proc)
    assert _running(survivor, "longbien")
    for pid in survivor.job_pids():
        os.kill(pid, signal.SIGKILL)
    code, output = finish(proc, 300)
    assert code == 0, output
    report = last_report(data)
    assert report["healthy"] and set(report["sites"]) == set(KILL_SITES)
    assert not report["nodes"][victim.url]["alive"] and report["nodes"][survivor.url]["alive"]
    outcomes = [attempt.split(": ", 1)[1] for attempt in report["attempts"]["longbien"]]
    assert outcomes == ["node gone", "ended without a report", "report"], report["attempts"]
    assert report["sites"]["longbien"]["articles"]["recovered"] >= 5  # the killed job's journal, replayed
    ids = [r["id"] for r in exported(data, KILL_SITES)]
    assert len(ids) == len(set(ids)), "an article was exported twice"
    assert set(ids) == expected_ids(KILL_SITES), "an article was lost"
    assert not list(data.glob("*/*.part"))


def test_a_crawl_of_a_site_held_elsewhere_exits_75(tmp_path, postgres_url):
    holder = PostgresStateStore(postgres_url)
    try:
        assert holder.try_lock("site:giangbien")  # another node's job, as far as this crawl can tell
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"}
        result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "giangbien", "-s", f"STATE_URL={postgres_url}",
                                 "-s", f"DATA_DIR={tmp_path}"], cwd=REPO_ROOT, env=env, capture_output=True,
                                text=True, timeout=120)
    finally:
        holder.close()
    assert result.returncode == 75, result.stderr[-2000:]
    assert "being crawled by another process" in result.stderr
    assert not (tmp_path / "giangbien").exists()  # nothing was written


def test_the_coordinator_needs_a_shared_store(tmp_path):
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"}
    result = subprocess.run([sys.executable, "-m", "scrapy", "cron", "--scrapyd", "http://127.0.0.1:9/",
                             "--data-dir", str(tmp_path)], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and "STATE_URL=postgresql" in result.stderr


def test_no_node_to_run_on_fails_the_run_with_3(tmp_path, postgres_url):
    """Nothing answers at the node's URL (a port just closed): the sites cannot run, the run says so."""
    from mirror.static_server import free_port

    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"}
    result = subprocess.run([sys.executable, "-m", "scrapy", "cron", "--scrapyd", f"http://127.0.0.1:{free_port()}/",
                             "--sites", "giangbien", "--data-dir", str(tmp_path), "-s", f"STATE_URL={postgres_url}"],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stdout + result.stderr
    report = last_report(tmp_path)
    assert report["failed_sites"] == {"giangbien": "no scrapyd node left"} and not report["healthy"]
    assert report["unhealthy"] == {"giangbien": ["not_run: no scrapyd node left"]}
    assert report["sites"] == {}


def test_one_machine_cron_reports_a_site_held_elsewhere(tmp_path):
    """The lock works on SQLite too: a site another process holds is reported, not crawled, not saved."""
    from wardcrawl.state import SqliteStateStore
    from wardcrawl.state.repair import MIRROR_MARK

    (tmp_path / MIRROR_MARK).write_text("a mirror run's data dir\n", encoding="utf-8")  # not a live archive
    holder = SqliteStateStore(tmp_path / "state.sqlite3")
    try:
        assert holder.try_lock("site:giangbien")
        with running_mirror(tmp_path / "access.log") as mirror:
            env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror",
                   "WARDCRAWL_MIRROR": mirror.address}
            result = subprocess.run([sys.executable, "-m", "scrapy", "cron", "--sites", "giangbien,viethung",
                                     "--data-dir", str(tmp_path)], cwd=REPO_ROOT, env=env, capture_output=True,
                                    text=True, timeout=120)
        assert result.returncode == 1, result.stdout + result.stderr
        report = last_report(tmp_path)
        assert report["unhealthy"] == {"giangbien": ["locked: another process is crawling this site; not crawled"]}
        assert report["sites"]["viethung"]["healthy"]
        assert holder.run_report("giangbien", report["run_id"]) is None
        assert holder.run_report("viethung", report["run_id"]) is not None
    finally:
        holder.close()


def test_sites_start_longest_first(postgres_url):
    from wardcrawl.distributed.coordinator import Coordinator

    store = PostgresStateStore(postgres_url)
    try:
        for slug, seconds in (("a", 5.0), ("b", 50.0), ("c", 0.5)):
            store.save_run(slug, "20250101T000000", {"duration_s": seconds})
        store.save_run("a", "20250103T000000", {"duration_s": 500.0})  # a later run than the one planned: not read
        coordinator = Coordinator(store, [], "20250102T000000", {}, {})
        assert coordinator.longest_first(["c", "a", "new", "b"]) == ["new", "b", "a", "c"]
    finally:
        store.close()
