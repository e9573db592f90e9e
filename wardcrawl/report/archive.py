"""The archive as the report and the export read it: every feed record, every run report.

Read-only: feeds are ``DATA_DIR/<site>/<site>-<run>.jsonl`` (one line per exported version),
run reports come from the state store (one per site and run) and ``DATA_DIR/reports/``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from wardcrawl.state import SqliteStateStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SiteRun:
    site: str
    run_id: str
    report: dict


@dataclass
class Archive:
    data_dir: Path
    records: list[dict] = field(default_factory=list)  # every exported version, feed by feed
    feeds: list[Path] = field(default_factory=list)
    runs: list[SiteRun] = field(default_factory=list)  # oldest run first
    unreadable_lines: int = 0  # feed lines that are not JSON objects (counted, never silently dropped)
    exported: dict[tuple[str, str], list[dict]] = field(default_factory=dict)  # (site, run_id) -> its feed's records

    def latest(self) -> dict[str, dict]:
        """Article id -> its newest version."""
        newest: dict[str, dict] = {}
        for record in self.records:
            kept = newest.get(record["id"])
            if kept is None or record.get("version", 1) >= kept.get("version", 1):
                newest[record["id"]] = record
        return newest

    def last_run(self, site: str) -> SiteRun | None:
        return next((run for run in reversed(self.runs) if run.site == site), None)

    @property
    def sites(self) -> list[str]:
        """Every site with a feed or a run, in registry order where known."""
        seen = {r["site"] for r in self.records} | {run.site for run in self.runs}
        order = registry_order()
        return sorted(seen, key=lambda slug: (order.get(slug, len(order)), slug))


def registry_order() -> dict[str, int]:
    from wardcrawl.sites import registry

    return {slug: index for index, slug in enumerate(registry())}


def site_names() -> dict[str, str]:
    from wardcrawl.sites import registry

    return {slug: site.name for slug, site in registry().items()}


def feed_files(data_dir: Path) -> list[Path]:
    """Every finished feed under ``data_dir``: ``<site>/<site>-<run>.jsonl`` (no rejects, no .part)."""
    feeds = []
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir()) if data_dir.is_dir() else ():
        feeds += [p for p in sorted(folder.glob(f"{folder.name}-*.jsonl")) if not p.name.endswith(".rejects.jsonl")]
    return feeds


def read_feed(path: Path) -> tuple[list[dict], int]:
    """(records, unreadable line count) of one feed file."""
    records, bad = [], 0
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                record = None
            if not isinstance(record, dict) or "id" not in record or "site" not in record:
                bad += 1
                logger.warning("%s:%d: not a record; left out of the report", path, number)
                continue
            records.append(record)
    return records, bad


def state_path(data_dir: Path, settings=None) -> Path:
    configured = settings.get("STATE_PATH") if settings is not None else None
    return Path(configured) if configured else data_dir / "state.sqlite3"


def load_runs(path: Path) -> list[SiteRun]:
    if not path.exists():  # no crawl yet: reading must not create a store
        return []
    store = SqliteStateStore(path)
    try:
        return [SiteRun(site, run_id, report) for site, run_id, report in store.runs()]
    finally:
        store.close()


def load_archive(data_dir: Path, settings=None) -> Archive:
    archive = Archive(Path(data_dir))
    for feed in feed_files(archive.data_dir):
        records, bad = read_feed(feed)
        archive.records += records
        site = feed.parent.name
        archive.exported[(site, feed.stem[len(site) + 1:])] = records
        archive.unreadable_lines += bad
        archive.feeds.append(feed)
    archive.runs = load_runs(state_path(archive.data_dir, settings))
    return archive


def latest_run_report(data_dir: Path) -> tuple[Path, dict] | None:
    """The newest ``reports/run-<run>.json``, the whole-run report (all sites of that run)."""
    reports = sorted((Path(data_dir) / "reports").glob("run-*.json"))
    if not reports:
        return None
    return reports[-1], json.loads(reports[-1].read_text(encoding="utf-8"))
