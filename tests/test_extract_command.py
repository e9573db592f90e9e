"""`scrapy extract` re-extracts a saved page with the crawl's parser and cleaning."""

from __future__ import annotations

import json
from functools import partial

from scrapy.cmdline import ScrapyArgumentParser, _iter_command_classes
from scrapy.commands import ScrapyHelpFormatter
from scrapy.settings import Settings

from tests.conftest import fixture_pages, run_scrapy


def test_extract_prints_the_record_of_a_saved_page():
    page = next(p for p in fixture_pages("liferay") if p.name == "longbien-seed-000")
    result = run_scrapy("extract", "longbien", str(page.html), "--url", page.meta["url"],
                        "--fetched-at", page.meta["captured_at"])
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["id"] == page.expected["id"]
    assert record["published_at"] == "2021-09-29T22:22:00+07:00"
    assert record["body"].split("\n\n") == page.expected["body_paragraphs"]
    assert record["fetched_at"] == page.meta["captured_at"]


def test_extract_fails_clearly_on_a_page_without_an_article(tmp_path):
    page = tmp_path / "empty.html"
    page.write_bytes("<html><body><p>Trang chủ</p></body></html>".encode())
    result = run_scrapy("extract", "longbien", str(page), "--url", "http://longbien.hanoi.gov.vn/")
    assert result.returncode == 1
    assert "layout miss" in result.stderr


def test_extract_rejects_an_unknown_site(tmp_path):
    page = tmp_path / "p.html"
    page.write_bytes(b"<html></html>")
    result = run_scrapy("extract", "nowhere", str(page), "--url", "http://x.vn/")
    assert result.returncode != 0
    assert "unknown site 'nowhere'" in result.stderr


def test_help_of_our_commands_has_only_its_own_headings():
    """Scrapy's help formatter takes any help block ending in ':' for a heading and underlines it."""
    commands = {cls.__module__.rsplit(".", 1)[-1]: cls for cls in _iter_command_classes("wardcrawl.commands")}
    assert "extract" in commands
    for name, cls in commands.items():
        for width in range(40, 161):  # the terminal's width decides where help lines wrap
            command = cls()
            command.settings = Settings()
            parser = ScrapyArgumentParser(formatter_class=partial(ScrapyHelpFormatter, width=width),
                                          usage=f"scrapy {name} {command.syntax()}", conflict_handler="resolve",
                                          description=command.long_desc())
            command.add_options(parser)
            lines = parser.format_help().splitlines()
            headings = [lines[i - 1].strip() for i, line in enumerate(lines)
                        if i and set(line.strip()) in ({"="}, {"-"})]
            # ours come before Scrapy's "Global Options" (whose own "(default: INFO)" wraps below 50)
            assert headings[:3] == ["Usage", "Options", "Global Options"], (name, width, headings)
