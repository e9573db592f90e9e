"""The report in a real browser (Debian's Chromium driven by Playwright) and the database in a
real Datasette, both over the demo's own outputs.

Chromium comes from Debian (`apt-get install chromium`, done by .ci/run); Playwright never
downloads a browser here (executable_path). Where either cannot be had, the tests skip and say why.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, run_scrapy
from tests.services import skip_unavailable
from wardcrawl.text.unicode import fold_key

ARTEFACTS = REPO_ROOT / "test-artifacts"
DROPPED_MONTH = "2024-09"  # longbien publishes every month around it (2023-12 to 2025-05)
SEARCHES = [("viet hung", "Việt Hưng"), ("dong da", "Đống Đa")]


def chromium_path() -> str:
    path = os.environ.get("WARDCRAWL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        skip_unavailable("Chromium", "not installed (Debian: apt-get install chromium; .ci/run installs it)")
    return path


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        skip_unavailable("Playwright", f"not installed ({exc}); it is pinned in requirements-dev.txt")
    executable = chromium_path()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True)
        yield instance
        instance.close()


def _open(browser, path: Path):
    """The page, and every URL it asked for besides its own file (must stay empty)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if request.url != path.as_uri() else None)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    return page, fetched, errors


def _box(page, selector: str) -> dict | None:
    handle = page.query_selector(selector)
    return handle.bounding_box() if handle else None


def test_demo_report_draws_its_plots(browser, demo_run):
    report = demo_run.data_dir / "report.html"
    page, fetched, errors = _open(browser, report)
    assert fetched == [] and errors == []  # nothing loaded from anywhere: the file is the report
    figures = page.query_selector_all(".figure > svg")
    assert len(figures) == 3
    for svg in figures:
        box = svg.bounding_box()
        assert box["width"] > 400 and box["height"] > 150, box
    # Heat map: one drawn cell per site and month of its span, each with a size on screen.
    cells = page.query_selector_all('g[id^="heatmap-cell-"]')
    spans = sum(_span_months(run.records) for run in demo_run.sites.values())
    assert len(cells) == spans
    sizes = [c.bounding_box() for c in cells[:50]]
    assert all(b and b["width"] > 1 and b["height"] > 5 for b in sizes)
    # Coverage by month: a sized cell per field and month with articles.
    months = {r["published_at"][:7] for run in demo_run.sites.values() for r in run.records}
    for field in ("title", "body", "date", "time", "places"):
        drawn = page.query_selector_all(f'g[id^="coverage-month-coverage-{field}-"]')
        assert len(drawn) == len(months), field
        box = drawn[0].bounding_box()
        assert box["width"] > 1 and box["height"] > 5, field
    # Every site's run appears as its own small plot, with its marks.
    for slug in demo_run.sites:
        assert page.query_selector(f'g[id="coverage-run-run-coverage-{slug}-title"] path'), slug
    # Vietnamese as published, rendered from the page's text (not an image).
    assert "Cổng thông tin điện tử phường Việt Hưng" in page.inner_text("#sites-table")
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "report.png"), full_page=True)
    assert (ARTEFACTS / "report.png").stat().st_size > 50_000
    print(f"screenshot: {ARTEFACTS / 'report.png'}")
    page.close()


def _span_months(records: list[dict]) -> int:
    months = sorted({r["published_at"][:7] for r in records})
    (y0, m0), (y1, m1) = (map(int, months[0].split("-")), map(int, months[-1].split("-")))
    return (y1 - y0) * 12 + m1 - m0 + 1


def test_a_month_missing_from_the_mirror_shows_as_a_gap(browser, demo_run, tmp_path):
    result = run_scrapy("demo", "--sites", "longbien", "--data-dir", str(tmp_path),
                        f"--mirror-arg=--drop-month=longbien:{DROPPED_MONTH}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "HTML report:" in result.stdout and "database:" in result.stdout
    records = [json.loads(line) for feed in tmp_path.glob("longbien/*.jsonl") for line in feed.open(encoding="utf-8")]
    assert records and not [r for r in records if r["published_at"].startswith(DROPPED_MONTH)]
    page, fetched, _ = _open(browser, tmp_path / "report.html")
    assert fetched == []
    gap = _box(page, f'g[id="heatmap-gap-longbien-{DROPPED_MONTH}"]')
    cell = _box(page, f'g[id="heatmap-cell-longbien-{DROPPED_MONTH}"]')
    assert gap and cell and gap["width"] > 2 and gap["height"] > 2
    assert abs((gap["x"] + gap["width"] / 2) - (cell["x"] + cell["width"] / 2)) < 2  # drawn on that month
    assert f"longbien: {DROPPED_MONTH}" in page.inner_text("#gap-list")
    page.close()
    # The full mirror has that month: no gap there, so the mark comes from the missing articles.
    full, _, _ = _open(browser, demo_run.data_dir / "report.html")
    assert full.query_selector(f'g[id="heatmap-cell-longbien-{DROPPED_MONTH}"]')
    assert not full.query_selector(f'g[id="heatmap-gap-longbien-{DROPPED_MONTH}"]')
    full.close()


class Datasette:
    def __init__(self, database: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "datasette", "serve", str(database), "--host", "127.0.0.1", "--port", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.base = None
        deadline = time.monotonic() + 60
        while self.base is None and time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line and self.process.poll() is not None:
                break
            match = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
            if match:
                self.base = match.group(1)
        if self.base is None:
            self.stop()
            raise RuntimeError("Datasette did not start")

    def rows(self, path: str, **params) -> list[dict]:
        url = f"{self.base}{path}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _words(record: dict) -> list[list[str]]:
    """Each searchable field's words, folded as a reader would type them (no marks, đ as d)."""
    fields = [record.get("title"), record.get("lead"), record.get("body"),
              ", ".join(p.get("name", "") for p in record.get("places") or [])]
    return [re.findall(r"\w+", fold_key(text)) for text in fields if text]


def _expected(records: list[dict], query: str, phrase: bool) -> set[str]:
    """Articles with every word of ``query`` (anywhere), or with the words in a row in one field."""
    wanted = fold_key(query).split()
    found = set()
    for record in records:
        fields = _words(record)
        if phrase:
            hit = any(words[i:i + len(wanted)] == wanted for words in fields for i in range(len(words)))
        else:
            hit = set(wanted) <= {w for words in fields for w in words}
        if hit:
            found.add(record["id"])
    return found


def test_datasette_finds_the_four_searches(demo_run):
    database = demo_run.data_dir / "archive.db"
    assert database.exists()
    try:
        import datasette  # noqa: F401
    except ImportError as exc:
        skip_unavailable("Datasette", f"not installed ({exc}); it is pinned in requirements-dev.txt")
    records = [r for run in demo_run.sites.values() for r in run.records]
    server = Datasette(database)
    try:
        tables = {t["name"] for t in server.rows("/archive.json")["tables"]}
        assert {"articles", "articles_fts", "images", "places", "sites", "runs"} <= tables
        for plain, marked in SEARCHES:
            for phrase in (False, True):  # words anywhere (Datasette's default), or a quoted name
                found = {}
                for query in (plain, marked):
                    params = {"_search": f'"{query}"', "_searchmode": "raw"} if phrase else {"_search": query}
                    rows = server.rows("/archive/articles.json", **params, latest=1, _shape="array", _col="title",
                                       _size="max")
                    found[query] = {row["id"] for row in rows}
                expected = _expected(records, plain, phrase)
                assert expected, f"the mirror has no article about {marked}"
                assert found[plain] == found[marked] == expected, (plain, phrase)
    finally:
        server.stop()
