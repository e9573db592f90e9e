"""The HTML report: self-contained, reproducible, Vietnamese intact, gaps and places shown."""

import re
import unicodedata

from lxml import html as lxml_html

from tests.conftest import run_scrapy
from tests.report.test_sqlite_export import VIET_HUNG, _feed, _record
from wardcrawl.report.archive import load_archive
from wardcrawl.report.html import build

STEADY_MONTHS = [f"2024-{m:02d}" for m in range(1, 13) if m != 6]  # June missing


def _steady_site(data_dir, places=True):
    records = [_record("viethung", f"{month}-{n}", f"Tin phường Việt Hưng {month} số {n}", "Nội dung.",
                       published=f"{month}-1{n}T08:00:00+07:00", places=[VIET_HUNG] if places else None)
               for month in STEADY_MONTHS for n in range(2)]
    _feed(data_dir, "viethung", "20250101T020000", records)


def assert_self_contained(page: str) -> None:
    """No script, stylesheet, image or font fetched from anywhere: the file is the whole report."""
    tree = lxml_html.fromstring(page)
    assert not tree.xpath("//script[@src] | //link | //iframe | //object | //embed")
    external = [v for v in tree.xpath("//@src | //*[local-name()='image']/@href | //*[local-name()='use']/@href")
                if not v.startswith(("#", "data:"))]
    assert external == []
    styles = " ".join(tree.xpath("//style/text()")) + " ".join(tree.xpath("//@style"))
    assert "@import" not in styles and not re.search(r"url\((?!#)", styles)


def test_report_is_self_contained_reproducible_and_keeps_vietnamese(tmp_path):
    _steady_site(tmp_path)
    page = build(load_archive(tmp_path))
    assert_self_contained(page)
    assert page == build(load_archive(tmp_path))  # plots included: byte for byte
    assert page.count("<svg") == 2  # no run recorded: no coverage-by-run plot
    assert unicodedata.is_normalized("NFC", page)
    assert '<span lang="vi">Tin phường Việt Hưng 2024-12 số 1</span>' in page
    assert 'id="heatmap-gap-viethung-2024-06"' in page
    assert not re.search(r'id="heatmap-gap-viethung-2024-0[57]"', page)
    assert '<li><b>viethung</b>: 2024-06</li>' in page


def test_places_section_lists_newest_per_ward_or_says_why_empty(tmp_path):
    _steady_site(tmp_path / "with")
    page = build(load_archive(tmp_path / "with"))
    section = page[page.index('id="places"'):page.index('id="glossary"')]
    assert "Việt Hưng</span> (ward)" in section and "22 articles" in section
    assert section.index("2024-12-11") < section.index("2024-12-10")  # newest first
    _steady_site(tmp_path / "without", places=False)
    page = build(load_archive(tmp_path / "without"))
    assert "No record carries places yet" in page


def test_report_of_an_empty_data_dir(tmp_path):
    page = build(load_archive(tmp_path / "nothing"))
    assert "No articles yet." in page
    assert not (tmp_path / "nothing").exists()  # reading never creates a store


def test_report_command_writes_the_page(tmp_path):
    _steady_site(tmp_path)
    result = run_scrapy("report", "--data-dir", str(tmp_path), "-o", str(tmp_path / "out" / "r.html"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "22 articles" in result.stdout
    assert_self_contained((tmp_path / "out" / "r.html").read_text(encoding="utf-8"))
