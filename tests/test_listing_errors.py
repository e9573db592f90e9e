"""A listing page (AJAX or HTML) that keeps failing is counted and skipped; the walk goes on past it."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from mirror.server import running_mirror
from mirror.sites import site
from tests.conftest import run_scrapy

SECTION = "/tin-tuc-su-kien-noi-bat"


def crawl_with_broken_page(tmp_path, slug: str, mirror_args: list[str]):
    """(result, access log, stats, exported ids) of a crawl of ``slug`` with one retry per request."""
    with running_mirror(tmp_path / "access.log", mirror_args) as mirror:
        result = run_scrapy("crawl", slug, "-a", "run_id=t", "-s", f"DATA_DIR={tmp_path}", "-s", "RETRY_TIMES=1",
                            "-O", str(tmp_path / "out.jsonl"),
                            env={"SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror",
                                 "WARDCRAWL_MIRROR": mirror.address})
        access = mirror.requests()
    assert result.returncode == 0, result.stderr[-3000:]
    # the crawl's state store was closed when its run ended (runner.close_stores), its WAL checkpointed:
    # not left to the interpreter's exit, which no longer collects what outlives a run
    assert not (tmp_path / "state.sqlite3-wal").exists()
    stats = json.loads((tmp_path / slug / f"{slug}-t.stats.json").read_text(encoding="utf-8"))
    exported = {json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()}
    return access, stats, exported


def test_broken_listing_page_is_skipped_and_counted(tmp_path):
    access, stats, exported = crawl_with_broken_page(tmp_path, "hanoi", ["--break-api", f"hanoi:{SECTION}:0"])
    catname = site("hanoi").section_api[SECTION]["Catname"]
    asked = [(int(parse_qs(b)["PageIndex"][0]), s) for h, m, t, s, b in access
             if m == "POST" and parse_qs(b).get("Catname") == [catname]]
    assert asked.count((0, 500)) == 2  # first try and one retry
    assert (1, 200) in asked  # the walk went on past the broken page
    assert stats["wardcrawl/listing_error/HttpError"] == 1
    assert stats["wardcrawl/listing_end/empty_page"] == 2
    mirror = site("hanoi")
    shown = {str(a.entry_id) for a in mirror.page_items(SECTION, 1)}
    after = {f"hanoi:{a.entry_id}" for a in mirror.api_items(SECTION, 1, shown)}
    assert after and after <= exported  # page 1's items, read although page 0 failed


def test_broken_html_listing_page_is_skipped_counted_and_deferred(tmp_path):
    """A Liferay listing page that keeps failing: the walk goes on at the page after it, and every
    article of the other pages is exported (the failed page waits for the next run)."""
    longbien = site("longbien")
    section = max(longbien.sections, key=longbien.last_page)
    assert longbien.last_page(section) >= 3
    access, stats, exported = crawl_with_broken_page(tmp_path, "longbien", ["--break-listing", f"longbien:{section}:2"])
    listing = [(t, s) for h, m, t, s, b in access if t.startswith(section) and "_cur=" in t]
    assert [s for t, s in listing if "_cur=2&" in t or t.endswith("_cur=2")] == [500, 500]  # first try and one retry
    assert any(("_cur=3&" in t or t.endswith("_cur=3")) and s == 200 for t, s in listing)  # the walk went on
    assert stats["wardcrawl/listing_error/HttpError"] == 1
    later = {f"longbien:{a.entry_id}" for a in longbien.in_section(section)[10:]}
    assert later and later <= exported  # pages 3.. read although page 2 failed
    assert stats["wardcrawl/deferred/http_500"] == 1  # the failed page is asked for again by the next run
