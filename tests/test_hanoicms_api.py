"""The new CMS's listing API on the mirror, when the registry's values are missing or wrong:
the walk falls back to the HTML pager where there is one, and the run report says why, plainly."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

from mirror.hanoicms import API_PATH
from mirror.server import read_access_log
from mirror.sites import site
from tests.conftest import run_scrapy
from wardcrawl.sites import REGISTRY_PATH, load_registry


def test_missing_and_wrong_api_values_are_reported_not_silently_cut(tmp_path):
    text = REGISTRY_PATH.read_text(encoding="utf-8")
    missing = ('{ path = "/thong-bao", name = "Thông báo", api = { Catname = "mirror-stand-in-duongnoi-thong-bao", '
               'PageSize = "DxZD1w2i+8E=" } }')
    assert missing in text and "mirror-stand-in-caugiay-thong-bao" in text
    text = text.replace(missing, '{ path = "/thong-bao", name = "Thông báo" }')
    text = text.replace("mirror-stand-in-caugiay-thong-bao", "an-outdated-capture")  # the portal answers nothing
    registry_file = tmp_path / "sites.toml"
    registry_file.write_text(text, encoding="utf-8")
    assert not load_registry(registry_file)["duongnoi"].sections[1].api

    result = run_scrapy("demo", "--sites", "duongnoi,caugiay", "--data-dir", str(tmp_path / "data"),
                        env={"WARDCRAWL_REGISTRY": str(registry_file)})
    assert result.returncode == 1, result.stderr[-3000:]  # unhealthy: an operator has something to do
    report = json.loads(result.stdout[result.stdout.index("{"):])
    access = read_access_log(next((tmp_path / "data" / "mirror").glob("access-*.log")))

    duongnoi = report["sites"]["duongnoi"]
    assert duongnoi["listing_api"] == {"missing": ["/thong-bao"], "empty": []}
    assert any(r.startswith("listing_api_missing") and "/thong-bao" in r and "docs/sites/hanoicms.md" in r
               for r in duongnoi["reasons"])
    # Walked through its ?page=N pager instead: every article still exported, exactly once.
    mirror = site("duongnoi")
    asked = {t for h, m, t, s, b in access if h == mirror.host and m == "GET"}
    assert {f"/thong-bao?page={n}" for n in range(2, mirror.last_page("/thong-bao") + 1)} <= asked
    posts = [parse_qs(b) for h, m, t, s, b in access if h == mirror.host and m == "POST" and t == API_PATH]
    assert posts and all(p["Catname"] != ["mirror-stand-in-duongnoi-thong-bao"] for p in posts)
    ids = [json.loads(line)["id"] for line in Path(duongnoi["feed"]).read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == sorted(f"duongnoi:{a.entry_id}" for a in mirror.articles)

    caugiay = report["sites"]["caugiay"]
    assert caugiay["listing_api"] == {"missing": [], "empty": ["/thong-bao"]}
    assert any(r.startswith("listing_api_empty") and "/thong-bao" in r for r in caugiay["reasons"])
    rejected = [(s, b) for h, m, t, s, b in access if h == "caugiay.hanoi.gov.vn" and m == "POST"
                and parse_qs(b).get("Catname") == ["an-outdated-capture"]]
    assert [parse_qs(b)["PageIndex"] for _, b in rejected] == [["0"]] and rejected[0][0] == 200
