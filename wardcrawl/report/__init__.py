"""Seeing and searching the archive: the HTML coverage report (``scrapy report``), the SQLite
database for Datasette (``scrapy export-sqlite``), the end-of-run summary of ``scrapy demo``, and the
health verdict of every run (health.py).

Paths come from settings: REPORT_HTML (default DATA_DIR/report.html) and ARCHIVE_DB (default
DATA_DIR/archive.db).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from wardcrawl.report.archive import Archive, load_archive


def data_dir_of(settings) -> Path:
    return Path(settings.get("DATA_DIR", "data"))


def report_path(settings) -> Path:
    return Path(settings.get("REPORT_HTML") or data_dir_of(settings) / "report.html")


def database_path(settings) -> Path:
    return Path(settings.get("ARCHIVE_DB") or data_dir_of(settings) / "archive.db")


def write_report(archive: Archive, path: Path) -> Path:
    """Write the HTML report to ``path`` (via ``<path>.part``: never a half-written page)."""
    from wardcrawl.report.html import build

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(build(archive), encoding="utf-8")
    os.replace(partial, path)
    return path


@dataclass
class Published:
    report: Path
    database: Path
    added: int  # versions the database gained


def publish(settings) -> Published:
    """After a run: rewrite the HTML report and add the run's new versions to the database."""
    from wardcrawl.report.sqlite_export import export

    archive = load_archive(data_dir_of(settings), settings)
    report = write_report(archive, report_path(settings))
    result = export(archive, database_path(settings))
    return Published(report, result.path, result.added)
