"""Capture fixture pages from the mirror over real HTTP, with the expected record beside each.

    python -m mirror.capture            # rewrites tests/fixtures/liferay/

Each fixture is three files: ``<name>.html`` (raw bytes as served), ``<name>.meta.json``
(site, url, status, headers, frozen capture time) and ``<name>.expected.json``. The
expected record comes from the mirror's ground truth (mirror/corpus.py), never from
the parser under test.
"""

from __future__ import annotations

import json
import unicodedata
import urllib.request
from pathlib import Path

from mirror import corpus
from mirror.server import REPO_ROOT, running_mirror
from mirror.sites import build_sites

FIXTURES = REPO_ROOT / "tests" / "fixtures"
CAPTURED_AT = "2026-11-22T21:00:00+07:00"  # frozen: fixtures do not depend on the clock

# (fixture name, entry id, URL variant): the odd shapes each get a page.
LONGBIEN_ARTICLES = [
    ("longbien-seed-000", corpus.SEED_ENTRY_ID, "standard"),
    ("longbien-nfd-gallery", corpus.NFD_ENTRY_ID, "standard"),
    ("longbien-midnight-date-in-body", corpus.MIDNIGHT_ENTRY_ID, "standard"),
    ("longbien-no-view-count", corpus.NO_VIEWS_ENTRY_ID, "standard"),
    ("longbien-alias-host", corpus.VARIANT_ENTRY_ID, "alias"),
    ("longbien-viewmode-url", corpus.VARIANT_ENTRY_ID, "viewmode"),
    ("longbien-gallery-print-links", 15241311, "standard"),
    ("longbien-inline-photo", 15242490, "maximized"),
]
LONGBIEN_LISTINGS = [("longbien-listing-page-2", "/tintuccacdonvi", 2)]


def expected_record(site, a: corpus.MirrorArticle) -> dict:
    """The record a correct crawl must produce for a mirror article (fetch-time fields aside)."""
    images = [{"url": f"{site.scheme}://{site.host}{path}", "caption": caption} for path, caption in a.images]
    return {
        "id": f"longbien:{a.entry_id}",
        "site": "longbien",
        "canonical_url": (f"{site.scheme}://{site.host}{a.section_path}?p_p_id=101&p_p_lifecycle=0&p_p_state=normal"
                          f"&p_p_mode=view&_101_struts_action=%2Fasset_publisher%2Fview_content"
                          f"&_101_assetEntryId={a.entry_id}&_101_type=content"),
        "section": a.section_name,
        "title": a.title,
        "published_at": a.published_at,
        "published_precision": "day" if a.time == "00:00" else "minute",
        "published_raw": a.date_line.split("\u00a0")[0],
        "view_count": a.view_count,
        "images": images,
        "gallery_title": a.gallery_intro,
        # Stored text is NFC with NBSP as a plain space (the seed has one NBSP).
        "body_paragraphs": [unicodedata.normalize("NFC", p).replace("\u00a0", " ") for p in a.paragraphs],
        "quality": ["time_unknown"] if a.time == "00:00" else [],
        "encoding": "utf-8",
        "language": "vi",
        "authors": [],
        "lead": None,
    }


def _fetch(address: str, url: str) -> tuple[int, dict, bytes]:
    host, _, rest = url.split("://", 1)[1].partition("/")
    request = urllib.request.Request(f"http://{address}/{rest}", headers={"Host": host})
    with urllib.request.urlopen(request) as response:
        return response.status, dict(response.headers.items()), response.read()


def _save(folder: Path, name: str, url: str, fetched: tuple[int, dict, bytes], expected: dict) -> None:
    status, headers, body = fetched
    (folder / f"{name}.html").write_bytes(body)
    meta = {"site": "longbien", "url": url, "status": status, "headers": headers, "captured_at": CAPTURED_AT}
    for suffix, data in (("meta", meta), ("expected", expected)):
        (folder / f"{name}.{suffix}.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    site = next(s for s in build_sites() if s.host == "longbien.hanoi.gov.vn")
    folder = FIXTURES / "liferay"
    folder.mkdir(parents=True, exist_ok=True)
    with running_mirror(Path("/tmp/wardcrawl-capture-access.log")) as mirror:
        for name, entry_id, variant in LONGBIEN_ARTICLES:
            article = site.by_id[entry_id]
            url = site.article_url(article, variant)
            _save(folder, name, url, _fetch(mirror.address, url), {"url": url, **expected_record(site, article)})
        for name, path, page in LONGBIEN_LISTINGS:
            url = site.listing_url(path, page)
            shown = site.in_section(path)[(page - 1) * 5: page * 5]
            expected = {"article_ids": [f"longbien:{a.entry_id}" for a in shown],
                        "listing_pages": [site.listing_url(path, n) for n in range(1, 5) if n != page]}
            _save(folder, name, url, _fetch(mirror.address, url), expected)


if __name__ == "__main__":
    main()
