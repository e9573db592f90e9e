"""Nothing lost, ever (issue 16): concurrent runs, write failures, full disks, damaged state and
feeds, over real crawls of the loopback mirror. Each test reproduces one of the issue's items."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from mirror.server import running_mirror
from tests.conftest import REPO_ROOT, run_scrapy
from tests.fault_runs import article_ids, cron, exported
from tests.services import skip_unavailable
from wardcrawl.commands import exitcodes
from wardcrawl.state.journal import Journal, is_live, recover

SITE = "longbien"
ALL_IDS = article_ids(SITE)
MIRROR_ENV = {"SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"}


def exactly_once(data_dir: Path, slug: str = SITE) -> list[str]:
    ids = [r["id"] for r in exported(data_dir, slug)]
    assert len(ids) == len(set(ids)), "an article was exported twice"
    return ids


def state_ids(data_dir: Path) -> set[str]:
    with sqlite3.connect(data_dir / "state.sqlite3") as db:
        return {row[0] for row in db.execute("SELECT article_id FROM articles")}


def tracebacks(output: str) -> int:
    return output.count("Traceback (most recent call last)")


# ---- 1. one run per data dir ------------------------------------------------------------------
def test_a_second_run_on_a_live_data_dir_refuses_and_nothing_is_lost(tmp_path):
    """The issue's reproduction: `scrapy crawl` going slowly, then `scrapy cron` on the same data dir."""
    with running_mirror(tmp_path / "access.log") as mirror:
        env = {**os.environ, **MIRROR_ENV, "WARDCRAWL_MIRROR": mirror.address}
        first = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", SITE, "-s", f"DATA_DIR={tmp_path}",
                                  "-s", "DOWNLOAD_DELAY=0.15", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
                                 cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while not list((tmp_path / SITE).glob("*.jsonl.part")) and time.monotonic() < deadline:
            time.sleep(0.05)
        second = subprocess.run([sys.executable, "-m", "scrapy", "cron", "--data-dir", str(tmp_path), "--sites",
                                 SITE], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
        output, _ = first.communicate(timeout=300)
    assert second.returncode == exitcodes.LOCKED, second.stderr[-2000:]
    assert "another wardcrawl run holds" in second.stderr and "+07:00" in second.stderr
    assert first.returncode == exitcodes.OK, output[-3000:]
    assert set(exactly_once(tmp_path)) == ALL_IDS == state_ids(tmp_path)
    assert not list(tmp_path.rglob("*.part"))


def test_every_writer_takes_the_lock(tmp_path):
    from wardcrawl.state.lock import lock_path, run_lock

    (tmp_path / "x.warc.gz").write_bytes(b"")
    with run_lock(lock_path(tmp_path)):
        for args in (["crawl", SITE, "-s", f"DATA_DIR={tmp_path}"], ["demo", "--data-dir", str(tmp_path)],
                     ["state", "rebuild", "--data-dir", str(tmp_path)],
                     ["extract", str(tmp_path / "x.warc.gz"), "-O", str(tmp_path / "out.jsonl"), "--data-dir",
                      str(tmp_path)]):
            result = run_scrapy(*args, env=MIRROR_ENV if args[0] == "crawl" else None, timeout=120)
            assert result.returncode == exitcodes.LOCKED, (args, result.stderr[-2000:])
            assert "not starting" in result.stderr, args
    assert not (tmp_path / "demo").exists() and not (tmp_path / "out.jsonl").exists()


def test_run_ids_do_not_collide_and_a_live_journal_is_never_recovered(tmp_path):
    from wardcrawl.spiders.base import run_id_now

    ids = [run_id_now() for _ in range(200)]
    assert len(set(ids)) == len(ids) and ids == sorted(ids)
    journal = Journal(tmp_path / "s" / "s-1.jsonl")
    journal.append({"id": "s:1"})
    assert is_live(journal.partial)  # its writer holds it: ExportPipeline leaves it alone
    journal.close()
    assert not is_live(journal.final) and journal.final.read_text().count("\n") == 1
    left = Journal(tmp_path / "s" / "s-2.jsonl")
    left.append({"id": "s:2"})
    left._file.close()  # a crashed writer: the flock goes with its descriptor
    left._file = None
    assert not is_live(left.partial) and recover(left.partial) == 1


# ---- 2, 3. write failures ---------------------------------------------------------------------
@contextmanager
def mounted_tmpfs(path: Path, size: str):
    """A size-capped file system at ``path`` (tmpfs; the test is skipped, saying why, where mounting
    is not permitted)."""
    path.mkdir(parents=True, exist_ok=True)
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True,
                           text=True)
    if mount.returncode:
        skip_unavailable("a tmpfs mount", f"{mount.stderr.strip()} (needs root with CAP_SYS_ADMIN)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_an_unwritable_site_folder_fails_the_run_with_a_short_error(tmp_path):
    data_dir = tmp_path / "data"
    with mounted_tmpfs(data_dir / SITE, "1m"):
        subprocess.run(["mount", "-o", "remount,ro", str(data_dir / SITE)], check=True)
        run = cron(data_dir, [SITE], None)
        assert run.code == exitcodes.FAILED, run.output[-3000:]
        assert "cannot write the journal" in run.output and "Read-only file system" in run.output
        assert tracebacks(run.output) == 0, run.output[-3000:]
        assert run.report["run_failed"] and not run.report["healthy"]
        assert any(r.startswith("write_failed:") for r in run.site(SITE)["reasons"])
        assert not state_ids(data_dir), "nothing may be marked archived that no feed holds"
    run = cron(data_dir, [SITE], None)  # writable again: every article, once
    assert run.code == exitcodes.OK, run.output[-3000:]
    assert set(exactly_once(data_dir)) == ALL_IDS


def test_a_full_disk_stops_the_run_cleanly_and_loses_nothing(tmp_path):
    data_dir = tmp_path / "data"
    with mounted_tmpfs(data_dir, "2m"):
        ballast = data_dir / "ballast"
        ballast.write_bytes(b"\0" * (2 * 1024 * 1024 - 160 * 1024))  # ~160 KiB left: the run runs out
        run = cron(data_dir, [SITE, "thanhuyhanoi"], None, access_log=tmp_path / "access.log")
        assert run.code == exitcodes.FAILED, run.output[-3000:]
        assert "No space left on device" in run.output or "disk is full" in run.output, run.output[-3000:]
        assert tracebacks(run.output) <= 2 and len(run.output.splitlines()) < 100, run.output[-3000:]
        archived = state_ids(data_dir)
        whole = {r["id"] for slug in (SITE, "thanhuyhanoi") for r in exported(data_dir, slug)}
        assert archived <= whole | _journal_ids(data_dir), "marked archived, in no feed or journal"
        ballast.unlink()  # space is back
        run = cron(data_dir, [SITE, "thanhuyhanoi"], None, access_log=tmp_path / "access.log")
        assert run.code == exitcodes.OK, run.output[-3000:]
        assert set(exactly_once(data_dir)) == ALL_IDS
        assert set(exactly_once(data_dir, "thanhuyhanoi")) == article_ids("thanhuyhanoi")
        assert not list(data_dir.rglob("*.part")), list(data_dir.rglob("*.part"))


def _journal_ids(data_dir: Path) -> set[str]:
    ids = set()
    for part in data_dir.glob("*/*.jsonl.part"):
        for line in part.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                ids.add(json.loads(line)["id"])
            except ValueError:
                pass
    return ids


# ---- 4. damaged state -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> Path:
    """A data dir after one good run of the site (copied by each test that damages it)."""
    data_dir = tmp_path_factory.mktemp("archived")
    run = cron(data_dir, [SITE], None)
    assert run.code == exitcodes.OK, run.output[-3000:]
    return data_dir


def copy_of(archived: Path, tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(archived, data_dir, ignore=shutil.ignore_patterns("wardcrawl.lock"))
    return data_dir


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "missing"])
def test_a_damaged_state_store_is_found_at_start_and_rebuilt_from_the_feeds(archived, tmp_path, damage):
    data_dir = copy_of(archived, tmp_path)
    state = data_dir / "state.sqlite3"
    for side in (state.with_name("state.sqlite3-wal"), state.with_name("state.sqlite3-shm")):
        side.unlink(missing_ok=True)
    if damage == "truncated":
        state.write_bytes(state.read_bytes()[:3000])
    elif damage == "garbage":
        state.write_bytes(os.urandom(8192))
    elif damage == "empty":
        state.write_bytes(b"")
    else:
        state.unlink()
    run = cron(data_dir, [SITE], None)
    assert run.code == exitcodes.FAILED, run.output[-3000:]
    assert "scrapy state rebuild" in run.output and tracebacks(run.output) == 0, run.output[-3000:]
    assert "Unhandled error in Deferred" not in run.output

    rebuilt = run_scrapy("state", "rebuild", "--data-dir", str(data_dir))
    assert rebuilt.returncode == exitcodes.OK, rebuilt.stderr[-3000:]
    assert f"{len(ALL_IDS)} articles" in rebuilt.stdout
    assert state_ids(data_dir) == ALL_IDS
    run = cron(data_dir, [SITE], None)
    assert run.code == exitcodes.OK, run.output[-3000:]
    assert run.site(SITE)["articles"]["new"] == 0  # nothing exported again
    assert set(exactly_once(data_dir)) == ALL_IDS
    assert run_scrapy("state", "verify", "--data-dir", str(data_dir)).returncode == exitcodes.OK


# ---- 5. damaged journal and feed lines --------------------------------------------------------
def _feed(data_dir: Path) -> Path:
    return next(p for p in (data_dir / SITE).glob(f"{SITE}-*.jsonl") if ".rejects." not in p.name)


def test_a_torn_line_of_a_leftover_journal_is_fetched_again(archived, tmp_path):
    """The state holds the torn line's article (its write tore after the state heard of it)."""
    data_dir = copy_of(archived, tmp_path)
    feed = _feed(data_dir)
    lines = feed.read_bytes().splitlines(keepends=True)
    torn_id = json.loads(lines[-1])["id"]
    feed.with_name(feed.name + ".part").write_bytes(b"".join(lines[:-1]) + lines[-1][:150])
    feed.unlink()
    assert torn_id in state_ids(data_dir)
    run = cron(data_dir, [SITE], None)
    assert run.code == exitcodes.OK, run.output[-3000:]
    articles = run.site(SITE)["articles"]
    assert articles["torn"] == 1 and articles["new"] == 1 and articles["recovered"] == len(ALL_IDS) - 1
    assert f"{torn_id} will be fetched again" in sorted((data_dir / "logs").glob("*.log"))[-1].read_text("utf-8")
    assert set(exactly_once(data_dir)) == ALL_IDS


def test_a_torn_line_inside_a_finished_feed_is_found_repaired_and_fetched_again(archived, tmp_path):
    data_dir = copy_of(archived, tmp_path)
    feed = _feed(data_dir)
    lines = feed.read_bytes().splitlines(keepends=True)
    torn_id = json.loads(lines[5])["id"]
    lines[5] = lines[5][:200] + b"\n"
    feed.write_bytes(b"".join(lines))
    verify = run_scrapy("state", "verify", "--data-dir", str(data_dir))
    assert verify.returncode == exitcodes.FAILED
    assert f"{feed}:6" in verify.stdout and torn_id in verify.stdout, verify.stdout
    repair = run_scrapy("state", "verify", "--repair", "--data-dir", str(data_dir))
    assert repair.returncode == exitcodes.OK, repair.stdout + repair.stderr
    assert feed.with_name(feed.name + ".damaged").read_bytes() == lines[5]  # kept aside, not thrown away
    run = cron(data_dir, [SITE], None)
    assert run.code == exitcodes.OK, run.output[-3000:]
    assert run.site(SITE)["articles"]["new"] == 1
    assert set(exactly_once(data_dir)) == ALL_IDS
    assert run_scrapy("state", "verify", "--data-dir", str(data_dir)).returncode == exitcodes.OK


def test_verify_checks_each_line_against_the_schema(archived, tmp_path):
    data_dir = copy_of(archived, tmp_path)
    feed = _feed(data_dir)
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    records[2]["published_at"] = "yesterday"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    verify = run_scrapy("state", "verify", "--data-dir", str(data_dir))
    assert verify.returncode == exitcodes.FAILED and "schema: published_at" in verify.stdout, verify.stdout
