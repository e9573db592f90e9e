"""Each boilerplate rule on a fixture fragment shaped like the real pages: parsed, then cleaned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from wardcrawl.text.cleaning import clean_article
from wardcrawl.items import Article
from wardcrawl.parsers.html_blocks import body_blocks, split_captions
from wardcrawl.text.boilerplate import RULES

PAGES = sorted((FIXTURES / "boilerplate").glob("*.html"))
# Removals made outside RULES: moved to other fields (byline, gallery intro) or the captcha check.
EXTRA_RULES = {"byline", "gallery_intro", "captcha"}


def _clean(page: Path):
    # Raw bytes decoded as Scrapy does for a UTF-8 page: invalid bytes become U+FFFD.
    html = page.read_bytes().decode("utf-8", errors="replace")
    paragraphs, images = split_captions(body_blocks(html, "http://hanoi.gov.vn/a"))
    article = Article(id="t:1", site="t", url="http://hanoi.gov.vn/a", canonical_url="http://hanoi.gov.vn/a",
                      title="Tiêu đề", body="\n\n".join(paragraphs), images=images)
    return clean_article(article)


def test_every_rule_has_a_fixture():
    names = {p.stem.split("-")[0] for p in PAGES}
    assert {r.name for r in RULES} | EXTRA_RULES == names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_rule_on_fixture(page):
    expected = json.loads(page.with_suffix("").with_suffix(".expected.json").read_text(encoding="utf-8"))
    cleaned, removed = _clean(page)
    assert cleaned.body.split("\n\n") == expected["paragraphs"]
    assert dict(removed) == expected["removed"]
    assert "\ufffd" not in cleaned.body and "lossy_mojibake" not in cleaned.quality


def test_comments_and_scripts_inside_paragraphs_leave_no_text():
    html = ('<div><p>Đầu<!-- ghi chú biên tập --> câu <em>nhấn<script>var x=1;</script></em> cuối.</p>'
            '<!-- khối quảng cáo --><p>Hai<br>dòng<!--x--></p></div>')
    paragraphs, _ = split_captions(body_blocks(html, "http://hanoi.gov.vn/a"))
    assert paragraphs == ["Đầu câu nhấn cuối.", "Hai", "dòng"]
