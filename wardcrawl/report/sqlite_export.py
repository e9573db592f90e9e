"""The archive as a SQLite database for Datasette and sqlite3 (built with sqlite-utils).

Tables: ``articles`` (one row per exported version, ``latest`` = 1 on the newest), ``images``,
``places`` and ``article_places``, ``sites``, ``runs``, and ``feeds`` (which feed files are in).
Full-text search: ``articles_fts`` (FTS5, ``unicode61 remove_diacritics 2``: "viet hung" finds
"Việt Hưng") over the text and over ``folded``, the same text with đ/Đ written d/D: SQLite
folds tone and vowel marks but never đ, so "dong da" would otherwise not find "Đống Đa".

Incremental: a feed file already imported (same size) is skipped, and a version already in the
database is never written again; only the ``latest`` flags of the articles touched change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from wardcrawl.report import figures
from wardcrawl.report.archive import Archive

TOKENIZE = "unicode61 remove_diacritics 2"
FTS_COLUMNS = ("title", "lead", "body", "place_names", "folded")
D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})

ARTICLE_COLUMNS = {
    "id": str, "version": int, "latest": int, "site": str, "title": str, "lead": str, "body": str,
    "section": str, "published_at": str, "published_month": str, "published_precision": str,
    "published_raw": str, "modified_at": str, "authors": str, "keywords": str, "unit_name": str,
    "unit_level": str, "place_names": str, "images": int, "url": str, "canonical_url": str,
    "view_count": int, "language": str, "fetched_at": str, "encoding": str, "encoding_declared": str,
    "content_sha256": str, "previous_sha256": str, "quality": str, "title_match_key": str,
    "title_fold_key": str, "warc_file": str, "warc_record_id": str, "warc_payload_digest": str,
    "feed": str, "folded": str,
}


@dataclass
class ExportResult:
    path: Path
    added: int = 0  # versions written by this export
    already: int = 0  # versions found in the database already
    feeds_read: int = 0
    feeds_skipped: int = 0  # unchanged since the last export
    articles: int = 0  # distinct article ids in the database
    versions: int = 0


def fold_d(text: str) -> str:
    """đ/Đ as d/D, everything else as it is (FTS's remove_diacritics handles the other marks)."""
    return text.translate(D_STROKE)


def article_row(record: dict, feed: str) -> dict:
    places = figures.places_of(record)
    place_names = ", ".join(p["name"] for p in places)
    unit = record.get("unit") or {}
    text = "\n\n".join(t for t in (record.get("title"), record.get("lead"), record.get("body"), place_names) if t)
    row = {name: record.get(name) for name in ARTICLE_COLUMNS if name in record}
    row.update({
        "version": record.get("version", 1), "latest": 0, "published_month": figures.month_of(record),
        "authors": json.dumps(record.get("authors") or [], ensure_ascii=False),
        "keywords": json.dumps(record.get("keywords") or [], ensure_ascii=False),
        "quality": json.dumps(record.get("quality") or [], ensure_ascii=False),
        "unit_name": unit.get("name"), "unit_level": unit.get("level"),
        "place_names": place_names or None, "images": len(record.get("images") or []),
        "feed": feed, "folded": fold_d(text),
    })
    return row


def _create(db: sqlite_utils.Database) -> None:
    if "articles" not in db.table_names():
        db["articles"].create(ARTICLE_COLUMNS, pk=("id", "version"), not_null={"id", "version", "site"})
        db["articles"].create_index(["site", "published_at"])
        db["articles"].create_index(["latest"])
        db["articles"].enable_fts(FTS_COLUMNS, fts_version="FTS5", tokenize=TOKENIZE, create_triggers=True)
    if "images" not in db.table_names():
        db["images"].create({"article_id": str, "version": int, "position": int, "url": str, "caption": str},
                            pk=("article_id", "version", "position"))
    if "places" not in db.table_names():
        db["places"].create({"code": str, "name": str, "level": str, "details": str}, pk="code")
        db["article_places"].create({"article_id": str, "version": int, "code": str},
                                    pk=("article_id", "version", "code"))
        db["article_places"].create_index(["code"])
    if "feeds" not in db.table_names():
        db["feeds"].create({"path": str, "size": int, "records": int}, pk="path")


def export(archive: Archive, db_path: Path) -> ExportResult:
    """Add the archive's new versions to the database at ``db_path`` (created when missing)."""
    result = ExportResult(Path(db_path))
    result.path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(result.path)
    try:
        with db.conn:
            _create(db)
            touched = _import_feeds(db, archive, result)
            _refresh_latest(db, touched)
            _write_sites(db, archive)
            _write_runs(db, archive)
        result.articles = db.execute("SELECT COUNT(DISTINCT id) FROM articles").fetchone()[0]
        result.versions = db["articles"].count
    finally:
        db.close()
    return result


def _import_feeds(db: sqlite_utils.Database, archive: Archive, result: ExportResult) -> set[str]:
    imported = {row["path"]: row["size"] for row in db["feeds"].rows}
    known = set(db.execute("SELECT id, version FROM articles").fetchall())
    touched: set[str] = set()
    for feed in archive.feeds:
        name = feed.relative_to(archive.data_dir).as_posix()
        size = feed.stat().st_size
        if imported.get(name) == size:
            result.feeds_skipped += 1
            continue
        site = feed.parent.name
        records = archive.exported.get((site, feed.stem[len(site) + 1:]), [])  # read once, by load_archive
        rows, images, links = [], [], []
        for record in records:
            key = (record["id"], record.get("version", 1))
            if key in known:
                result.already += 1
                continue
            known.add(key)
            touched.add(record["id"])
            rows.append(article_row(record, name))
            images += [{"article_id": key[0], "version": key[1], "position": i, "url": image.get("url"),
                        "caption": image.get("caption")} for i, image in enumerate(record.get("images") or [])]
            for place in figures.places_of(record):
                code = str(place.get("code") or place["name"])
                db["places"].upsert({"code": code, "name": place["name"], "level": place.get("level"),
                                     "details": json.dumps(place, ensure_ascii=False, sort_keys=True)}, pk="code")
                links.append({"article_id": key[0], "version": key[1], "code": code})
        db["articles"].insert_all(rows)
        db["images"].insert_all(images)
        db["article_places"].insert_all(links, ignore=True)
        db["feeds"].upsert({"path": name, "size": size, "records": len(records)}, pk="path")
        result.added += len(rows)
        result.feeds_read += 1
    return touched


def _refresh_latest(db: sqlite_utils.Database, ids: set[str]) -> None:
    """``latest`` = 1 on each touched article's newest version only (older rows flip to 0)."""
    update = ("UPDATE articles SET latest = (version = (SELECT MAX(version) FROM articles AS newer "
              "WHERE newer.id = articles.id)) WHERE id = ? AND latest <> (version = (SELECT MAX(version) "
              "FROM articles AS newer WHERE newer.id = articles.id))")
    for article_id in sorted(ids):
        db.execute(update, (article_id,))


def _write_sites(db: sqlite_utils.Database, archive: Archive) -> None:
    from wardcrawl.sites import registry

    known = registry()
    stats = {row[0]: row[1:] for row in db.execute(
        "SELECT site, SUM(latest), COUNT(*), MIN(published_at), MAX(published_at) FROM articles GROUP BY site")}
    rows = []
    for slug in sorted(set(stats) | {run.site for run in archive.runs}):
        site = known.get(slug)
        run = archive.last_run(slug)
        articles, versions, first, last = stats.get(slug, (0, 0, None, None))
        rows.append({
            "slug": slug, "name": site.name if site else None, "level": site.level if site else None,
            "family": site.family if site else None, "home": f"{site.scheme}://{site.host}" if site else None,
            "articles": articles, "versions": versions, "first_published": first, "last_published": last,
            "last_run": run.run_id if run else None,
            "healthy": None if run is None else int(bool(run.report.get("healthy"))),
            "reasons": json.dumps(run.report.get("reasons", []), ensure_ascii=False) if run else None,
        })
    db["sites"].upsert_all(rows, pk="slug", alter=True)


def _write_runs(db: sqlite_utils.Database, archive: Archive) -> None:
    rows = []
    for run in archive.runs:
        report, articles = run.report, run.report.get("articles", {})
        coverage = report.get("coverage") or {}
        rows.append({
            "site": run.site, "run_id": run.run_id, "healthy": int(bool(report.get("healthy"))),
            "reasons": json.dumps(report.get("reasons", []), ensure_ascii=False),
            **{k: articles.get(k) for k in ("listed", "fetched", "new", "updated", "unchanged", "skipped_known")},
            "pages": report.get("pages"), "requests": report.get("requests"), "error_ratio": report.get("error_ratio"),
            "coverage_title": coverage.get("title"), "coverage_body": coverage.get("body"),
            "coverage_date": coverage.get("published_at"), "duration_s": report.get("duration_s"),
            "finish_reason": report.get("finish_reason"), "report": json.dumps(report, ensure_ascii=False),
        })
    db["runs"].upsert_all(rows, pk=("site", "run_id"), alter=True)
