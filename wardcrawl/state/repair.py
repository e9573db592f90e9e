"""The state store against the feeds: checked at the start of a run, verified, rebuilt.

The feeds (``<data dir>/<site>/<site>-<run>.jsonl``) are the archive; the state store is an
index of them (which version of which article is archived). So the store can always be
rebuilt from the feeds, and every difference between them is a fault with a known fix:

- ``check_at_start``: a store that cannot be read, or that knows no article of a site whose
  feeds hold some (missing, emptied, replaced), stops the run before it re-exports everything.
- ``verify``: every feed line whole, valid JSON and valid against the schema; every archived
  version in the state found in a feed, and the other way round. ``repair=True`` moves damaged
  lines out of the feeds (into ``<feed>.damaged``) and resets the affected articles' state to
  the last version a feed holds whole (or forgets them), and marks their sites for a full
  walk: the next run fetches them again.
- ``rebuild``: a new store from the feeds (and the run reports, for health baselines); the old
  file is kept beside it as ``state.sqlite3.damaged-<time>``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from wardcrawl.state.journal import ID_RE, PART, fsync_dir, is_live, recover
from wardcrawl.schema import validation_errors
from wardcrawl.state.sqlite import SqliteStateStore, StateDamaged
from wardcrawl.text.dates import HANOI_TZ

REBUILD_HINT = "rebuild it from the feeds with `scrapy state rebuild`"
NOT_SITES = frozenset({"reports", "logs", "warc", "mirror", "demo"})


def state_path(settings) -> Path:
    return Path(settings.get("STATE_PATH") or Path(settings.get("DATA_DIR", "data")) / "state.sqlite3")


def feed_files(data_dir: Path, site: str | None = None) -> list[Path]:
    """The finished feeds of a site (or of every site), oldest run first; rejects files are not feeds."""
    folders = [data_dir / site] if site else [p for p in sorted(data_dir.iterdir()) if p.is_dir()
                                              and p.name not in NOT_SITES] if data_dir.is_dir() else []
    return [path for folder in folders for path in sorted(folder.glob(f"{folder.name}-*.jsonl"))
            if not path.name.endswith(".rejects.jsonl")]


@dataclass
class FeedLine:
    path: Path
    number: int
    raw: bytes
    record: dict | None  # None when the line is damaged
    problem: str | None = None


def read_feed(path: Path, schema: bool = True) -> Iterator[FeedLine]:
    for number, raw in enumerate(path.read_bytes().split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                raise ValueError("not a record")
        except (UnicodeDecodeError, ValueError) as exc:
            yield FeedLine(path, number, raw, None, f"torn or not a JSON record ({type(exc).__name__})")
            continue
        errors = validation_errors(record) if schema else []
        if errors:
            yield FeedLine(path, number, raw, None, "schema: " + "; ".join(f"{f}: {m}" for f, m in errors[:3]))
        else:
            yield FeedLine(path, number, raw, record)


def _key(record: dict) -> tuple[int, str]:
    return record.get("version") or 1, record.get("fetched_at") or ""


def _summary(record: dict) -> dict:
    return {k: record.get(k) for k in ("id", "content_sha256", "version", "published_at", "fetched_at")} | {
        "body_chars": len(record.get("body") or "")}


def feed_index(data_dir: Path, site: str | None = None, ids: set[str] | None = None) -> dict[str, list[dict]]:
    """Article id -> every whole version the feeds hold (summaries), in version order."""
    index: dict[str, list[dict]] = {}
    for path in feed_files(data_dir, site):
        for line in read_feed(path, schema=False):
            if line.record and (ids is None or line.record["id"] in ids):
                index.setdefault(line.record["id"], []).append(_summary(line.record))
    for versions in index.values():
        versions.sort(key=_key)
    return index


def remember(store, summary: dict) -> None:
    store.remember(summary["id"], summary["content_sha256"], summary["version"] or 1, summary["published_at"],
                   summary["fetched_at"] or "", summary["body_chars"])


def revert(store, data_dir: Path, site: str, ids: set[str]) -> int:
    """Reset articles to the last version the site's feeds hold whole (forgotten when none does), so the
    next run fetches them again; returns how many."""
    if not ids:
        return 0
    index = feed_index(data_dir, site, ids)
    for article_id in sorted(ids):
        store.forget(article_id)
        for summary in index.get(article_id, []):
            remember(store, summary)
    store.set_walk_complete(site, False)  # the next walk reads every listing page: it finds them again
    return len(ids)


MIRROR_MARK = "MIRROR"  # in a data dir written by runs of the offline mirror


def check_source(settings) -> str | None:
    """Why this crawl must not use its data dir, or None: a live crawl never reads a mirror run's state,
    and a mirror run never writes into a live archive. The first mirror run marks its data dir."""
    data_dir, path = Path(settings.get("DATA_DIR", "data")), state_path(settings)
    mark = data_dir / MIRROR_MARK
    if settings.getbool("WARDCRAWL_MIRROR_RUN"):
        if mark.exists():
            return None
        if path.exists() or feed_files(data_dir):
            return (f"{data_dir} holds a live archive: the offline mirror's runs go to a data dir of their own "
                    "(scrapy demo: data/demo/)")
        data_dir.mkdir(parents=True, exist_ok=True)
        mark.write_text("Written by runs of wardcrawl's offline mirror (scrapy demo, tests): not live data.\n",
                        encoding="utf-8")
        return None
    if mark.exists():
        return (f"{data_dir} is the data dir of offline mirror runs (it holds {MIRROR_MARK}); a live crawl "
                "never reads their state: give it another DATA_DIR")
    return None


def check_at_start(settings, sites: list[str]) -> str | None:
    """Why a run must not start on this data dir or state store (a message naming the fix), or None."""
    data_dir, path = Path(settings.get("DATA_DIR", "data")), state_path(settings)
    wrong_source = check_source(settings)
    if wrong_source:
        return wrong_source
    with_feeds = [s for s in sites if feed_files(data_dir, s) and (data_dir / s).is_dir()]
    if not with_feeds:
        return None
    from wardcrawl.state import is_postgres, open_store

    shared = is_postgres(settings.get("STATE_URL"))  # a PostgreSQL store: no file here to look at
    if not shared and not path.exists():
        return (f"the state store {path} is missing, but the feeds of {', '.join(with_feeds)} hold archived "
                f"articles: {REBUILD_HINT} (a run now would export them all again)")
    try:
        store = open_store(settings) if shared else SqliteStateStore(path)
    except StateDamaged as exc:
        return str(exc)
    if shared:
        path = "(STATE_URL)"
    try:
        empty = [s for s in with_feeds if not store.known_articles(s)]
    finally:
        store.close()
    if empty:
        return (f"the state store {path} knows no article of {', '.join(empty)}, but their feeds hold some: it "
                f"was emptied or replaced; {REBUILD_HINT} (a run now would export them all again)")
    return None


def recover_journals(data_dir: Path, replay_into=None) -> int:
    """Finish the journals crashed runs left (never a live run's); returns how many records they kept."""
    kept = 0
    for partial in sorted(data_dir.glob(f"*/*.jsonl{PART}")):
        if not is_live(partial):
            kept += recover(partial, None if ".rejects." in partial.name or replay_into is None
                            else lambda record: remember(replay_into, _summary(record)))
    return kept


@dataclass
class RebuildResult:
    articles: int = 0
    versions: int = 0
    damaged_lines: list[str] = field(default_factory=list)
    runs: int = 0
    old_store: Path | None = None


def rebuild(data_dir: Path, path: Path) -> RebuildResult:
    """A new state store at ``path`` from the feeds and run reports (the caller holds the data dir's lock)."""
    result = RebuildResult()
    recover_journals(data_dir)
    tmp = path.with_name(path.name + ".rebuilding")
    for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    summaries = []
    for feed in feed_files(data_dir):
        for line in read_feed(feed, schema=False):
            if line.record is None:
                result.damaged_lines.append(f"{line.path}:{line.number}: {line.problem}")
            else:
                summaries.append(_summary(line.record))
    summaries.sort(key=_key)
    store = SqliteStateStore(tmp)
    try:
        for summary in summaries:
            remember(store, summary)
        result.versions, result.articles = len(summaries), len({s["id"] for s in summaries})
        for report_path in sorted((data_dir / "reports").glob("run-*.json")):
            try:
                report = json.loads(report_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            for site, site_report in (report.get("sites") or {}).items():
                store.save_run(site, report.get("run_id") or report_path.stem[4:], site_report)
                result.runs += 1
    finally:
        store.close()
    if path.exists():
        stamp = datetime.now(HANOI_TZ).strftime("%Y%m%dT%H%M%S")
        result.old_store = path.with_name(f"{path.name}.damaged-{stamp}")
        os.replace(path, result.old_store)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, result.old_store.with_name(result.old_store.name + suffix))
    os.replace(tmp, path)
    fsync_dir(path.parent)
    return result


@dataclass
class VerifyResult:
    lines: int = 0
    damaged: list[FeedLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # state against feeds
    affected: dict[str, set[str]] = field(default_factory=dict)  # site -> article ids to fetch again
    repaired: int = 0

    @property
    def ok(self) -> bool:
        return not self.damaged and not self.problems


def verify(data_dir: Path, store, repair: bool = False) -> VerifyResult:
    """Check every feed line and the state against the feeds; with ``repair``, fix what can be fixed."""
    result = VerifyResult()
    sites = sorted({feed.parent.name for feed in feed_files(data_dir)})
    for feed in feed_files(data_dir):
        for line in read_feed(feed):
            result.lines += 1
            if line.record is None:
                result.damaged.append(line)
                match = ID_RE.match(line.raw)
                if match:
                    result.affected.setdefault(feed.parent.name, set()).add(match.group(1).decode("utf-8", "replace"))
    if repair:
        _move_damaged_lines(result.damaged)
    for site in sites:
        index = feed_index(data_dir, site)
        for article_id, versions in index.items():
            numbers = [v["version"] for v in versions]
            if len(numbers) != len(set(numbers)):
                result.problems.append(f"{article_id}: a version is in the feeds more than once {numbers}")
        known = store.known_articles(site)
        for article_id in sorted(set(known) | set(index)):
            state = store.get(article_id)
            if state is None and article_id in known:
                continue  # an alias
            whole = index.get(article_id, [])
            top = whole[-1] if whole else None
            if state is None:
                result.problems.append(f"{article_id}: in the feeds (version {top['version']}) but not in the state")
            elif top is None:
                result.problems.append(f"{article_id}: the state has version {state.version}, no feed holds it whole")
            elif (top["version"], top["content_sha256"]) != (state.version, state.sha256):
                result.problems.append(f"{article_id}: the state has version {state.version}, the feeds "
                                       f"{top['version']} whole")
            else:
                continue
            result.affected.setdefault(site, set()).add(article_id)
    if repair:
        for site, ids in result.affected.items():
            result.repaired += revert(store, data_dir, site, ids)
    return result


def _move_damaged_lines(damaged: list[FeedLine]) -> None:
    """Damaged lines out of their feeds, into ``<feed>.damaged`` (kept: nothing is thrown away)."""
    by_feed: dict[Path, list[FeedLine]] = {}
    for line in damaged:
        by_feed.setdefault(line.path, []).append(line)
    for feed, lines in by_feed.items():
        bad = {line.number for line in lines}
        with feed.with_name(feed.name + ".damaged").open("ab") as out:
            out.writelines(line.raw + b"\n" for line in lines)
        kept = [raw for n, raw in enumerate(feed.read_bytes().split(b"\n"), 1) if raw.strip() and n not in bad]
        tmp = feed.with_name(feed.name + PART + ".repair")
        tmp.write_bytes(b"".join(raw + b"\n" for raw in kept))
        os.replace(tmp, feed)
        fsync_dir(feed.parent)
