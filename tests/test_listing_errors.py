"""An AJAX listing page that keeps failing is counted and skipped; the walk goes on past it."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from mirror.server import running_mirror
from mirror.sites import site
from tests.conftest import run_scrapy

SECTION = "/tin-tuc-su-kien-noi-bat"


def test_broken_listing_page_is_skipped_and_counted(tmp_path):
    with running_mirror(tmp_path / "access.log", ["--break-api", f"hanoi:{SECTION}:2"]) as mirror:
        result = run_scrapy("crawl", "hanoi", "-a", "run_id=t", "-s", f"DATA_DIR={tmp_path}", "-s", "RETRY_TIMES=1",
                            "-O", str(tmp_path / "out.jsonl"),
                            env={"SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror",
                                 "WARDCRAWL_MIRROR": mirror.address})
        access = mirror.requests()
    assert result.returncode == 0, result.stderr[-3000:]
    zone = site("hanoi").zones[SECTION]
    asked = [(int(parse_qs(b)["PageIndex"][0]), s) for h, m, t, s, b in access
             if m == "POST" and parse_qs(b).get("ZoneId") == [zone]]
    assert asked.count((2, 500)) == 2  # first try and one retry
    assert (3, 200) in asked  # the walk went on past the broken page
    stats = json.loads((tmp_path / "hanoi" / "hanoi-t.stats.json").read_text(encoding="utf-8"))
    assert stats["wardcrawl/listing_error/HttpError"] == 1
    assert stats["wardcrawl/listing_end/empty_page"] == 2
    exported = {json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()}
    page_one = {f"hanoi:{a.entry_id}" for a in site("hanoi").page_items(SECTION, 1)}
    assert page_one <= exported
