"""scrapy export-sqlite: one row per version, the latest flagged, incremental, đ-folded search."""

import json
import sqlite3
from pathlib import Path

from tests.conftest import run_scrapy
from wardcrawl.report.archive import load_archive
from wardcrawl.report.sqlite_export import export
from wardcrawl.state import SqliteStateStore


def _record(site, key, title, body, version=1, places=None, published="2025-03-04T08:00:00+07:00"):
    record = {"id": f"{site}:{key}", "site": site, "url": f"https://{site}.example/{key}",
              "canonical_url": f"https://{site}.example/{key}", "title": title, "body": body,
              "published_at": published, "published_precision": "minute", "version": version,
              "images": [{"url": f"https://{site}.example/{key}.jpg", "caption": "Ảnh 1"}], "authors": [],
              "keywords": [], "quality": [], "content_sha256": f"{key}-{version}"}
    if places is not None:
        record["places"] = places
    return record


def _feed(data_dir: Path, site: str, run_id: str, records: list[dict]) -> None:
    folder = data_dir / site
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{site}-{run_id}.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


VIET_HUNG = {"code": "00127", "name": "Việt Hưng", "level": "ward"}


def _archive(tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    _feed(data_dir, "viethung", "20250101T020000", [
        _record("viethung", "1", "Phường Việt Hưng ra quân làm sạch đường phố", "Sáng 3/3, phường tổ chức.",
                places=[VIET_HUNG]),
        _record("viethung", "2", "Họp báo quý I", "Nội dung về quận Đống Đa và các phường."),
        _record("viethung", "3", "Thông báo lịch tiếp dân", "Lịch tiếp công dân tháng 3."),
    ])
    store = SqliteStateStore(data_dir / "state.sqlite3")
    store.save_run("viethung", "20250101T020000", {"healthy": True, "reasons": [], "articles": {"new": 3},
                                                   "coverage": {"title": 1.0, "body": 1.0, "published_at": 1.0}})
    store.close()
    return data_dir


def _match(db: sqlite3.Connection, query: str, columns: str = "") -> set[str]:
    """Articles whose FTS row matches every word of ``query`` (as Datasette's _search quotes them)."""
    terms = " ".join(f'"{word}"' for word in query.split())
    expression = f"{columns} : ({terms})" if columns else terms
    return {row[0] for row in db.execute(
        "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
        "WHERE articles_fts MATCH ? AND a.latest = 1", (expression,))}


def test_export_folds_d_stroke_so_all_four_searches_find_their_articles(tmp_path):
    data_dir = _archive(tmp_path)
    result = export(load_archive(data_dir), tmp_path / "archive.db")
    assert (result.added, result.articles, result.versions) == (3, 3, 3)
    db = sqlite3.connect(tmp_path / "archive.db")
    assert _match(db, "viet hung") == _match(db, "Việt Hưng") == {"viethung:1"}
    assert _match(db, "dong da") == _match(db, "Đống Đa") == {"viethung:2"}
    # Without the folded column SQLite's own folding misses "dong da": the column is what finds it.
    assert _match(db, "dong da", "{title lead body}") == set()
    assert db.execute("SELECT code, name, level FROM places").fetchall() == [("00127", "Việt Hưng", "ward")]
    assert db.execute("SELECT article_id, code FROM article_places").fetchall() == [("viethung:1", "00127")]
    assert db.execute("SELECT COUNT(*) FROM images").fetchone()[0] == 3
    assert db.execute("SELECT slug, articles, healthy FROM sites").fetchall() == [("viethung", 3, 1)]
    assert db.execute("SELECT site, run_id, new FROM runs").fetchall() == [("viethung", "20250101T020000", 3)]


def test_export_is_incremental_and_flags_the_latest_version(tmp_path):
    data_dir = _archive(tmp_path)
    db_path = tmp_path / "archive.db"
    export(load_archive(data_dir), db_path)
    with sqlite3.connect(db_path) as db:  # a mark on a stored row: a rebuild would lose it
        db.execute("UPDATE articles SET feed = 'kept' WHERE id = 'viethung:3'")
    _feed(data_dir, "viethung", "20250102T020000", [
        _record("viethung", "2", "Họp báo quý I", "Nội dung đã sửa về quận Đống Đa.", version=2),
        _record("viethung", "2", "Họp báo quý I", "Nội dung đã sửa về quận Đống Đa.", version=2),  # replayed line
    ])
    result = export(load_archive(data_dir), db_path)
    assert (result.added, result.already, result.feeds_skipped) == (1, 1, 1)
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT version, latest FROM articles WHERE id = 'viethung:2' ORDER BY version").fetchall() \
        == [(1, 0), (2, 1)]
    assert db.execute("SELECT feed FROM articles WHERE id = 'viethung:3'").fetchone() == ("kept",)
    assert _match(db, "da sua") == {"viethung:2"}  # the new version is searchable
    again = export(load_archive(data_dir), db_path)
    assert (again.added, again.feeds_skipped, again.versions) == (0, 2, 4)


def test_export_sqlite_command(tmp_path):
    data_dir = _archive(tmp_path)
    result = run_scrapy("export-sqlite", str(tmp_path / "out.db"), "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "3 versions added" in result.stdout
    assert sqlite3.connect(tmp_path / "out.db").execute("SELECT COUNT(*) FROM articles").fetchone() == (3,)
    missing = run_scrapy("export-sqlite", "--data-dir", str(data_dir))
    assert missing.returncode == 2 and "give the database path" in missing.stderr
