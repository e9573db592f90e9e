"""Content sanity and decoding (issue 16, items 6 and 7): a garbled page never becomes a version or
an article, and no mojibake reaches the archive, whichever field it is in."""

from __future__ import annotations

import json

from mirror.sites import site as mirror_site
from tests.conftest import FIXTURES
from tests.fault_runs import FAST, article_ids, cron, demo, exported
from wardcrawl.state.model import ArticleState
from wardcrawl.text import sanity
from wardcrawl.text.encoding import decode_html
from wardcrawl.text.unicode import may_have_mojibake

GOOD = {"id": "s:1", "title": "Hội nghị sơ kết", "body": "Nội dung bài viết. " * 40, "section": "Tin tức",
        "published_at": "2025-03-01T08:00:00+07:00", "images": [{"url": "http://x/a.jpg", "caption": "Ảnh 1"}],
        "quality": []}
ARCHIVED = ArticleState("s:1", "0" * 64, 1, "t", "t", "2025-03-01T08:00:00+07:00", len(GOOD["body"]))


def test_sanity_passes_a_good_record_and_names_each_problem():
    assert sanity.problems(GOOD) == [] and sanity.problems(GOOD, ARCHIVED) == []
    assert sanity.problems({**GOOD, "quality": ["truncated_page"]}) == ["truncated_page"]
    assert sanity.problems({**GOOD, "title": "Hội nghị \ufffd"}) == ["garbled_text"]
    assert sanity.problems({**GOOD, "body": GOOD["body"] + "\ufffd(₡\ufffd\ufffd<"}) == ["garbled_text"]
    assert sanity.problems({**GOOD, "body": GOOD["body"] + "a\x07b\x1b"}) == []  # two: under GARBLED_MIN
    assert sanity.problems({**GOOD, "section": "Chá»\x89 Ä\x91áº¡o"}) == ["mojibake"]
    assert sanity.problems({**GOOD, "images": [{"url": "u", "caption": "áº¢nh 1: Quang cáº£nh"}]}) == ["mojibake"]
    # Against the archived version (an update):
    assert sanity.problems({**GOOD, "published_at": None}, ARCHIVED) == ["date_lost"]
    assert sanity.problems({**GOOD, "published_at": "2025-04-02T08:00:00+07:00"}, ARCHIVED) == ["date_changed"]
    assert sanity.problems({**GOOD, "body": GOOD["body"][:200]}, ARCHIVED) == ["body_lost"]
    assert sanity.problems({**GOOD, "title": ""}, ARCHIVED) == ["title_lost"]
    assert sanity.problems({**GOOD, "body": GOOD["body"][:200]}) == []  # a new article: nothing to lose


def test_a_page_cut_before_its_end_is_recognised():
    assert sanity.page_is_cut(b"<html><body><p>a</p>")
    assert not sanity.page_is_cut(b"<html><body><p>a</p></body></HTML>\n<!-- cache -->")


def test_utf8_with_a_few_stray_bytes_is_utf8_whatever_the_header():
    """The old city portal's pages: UTF-8 but for a widget in another charset (the mirror models it)."""
    page = mirror_site("hanoi-liferay").render_article(mirror_site("hanoi-liferay").articles[0])
    for header in ("text/html; charset=iso-8859-1", "text/html; charset=utf-8", None):
        decoded = decode_html(page, header)
        assert decoded.used == "utf-8", header
        assert mirror_site("hanoi-liferay").articles[0].title in decoded.text
        assert not may_have_mojibake(decoded.text)
    for name, header in (("thanhuy/thanhuyhanoi-gold-cp1258", "text/html; charset=windows-1258"),
                         ("encoding/cp1258", None)):  # single-byte pages stay what they are
        body = (FIXTURES / f"{name}.html").read_bytes()
        assert decode_html(body, header).used == "windows-1258", name


def test_the_charset_trap_gives_correct_text_or_a_rejected_record_never_mojibake(tmp_path):
    """`--faults=seed=5,charset=1.0`: every page as UTF-8 under iso-8859-1, on every family."""
    sites = ["hanoi-liferay", "giangbien", "viethung", "thanhuyhanoi"]
    run = demo(tmp_path, "seed=5,charset=1.0,max=9", "--sites", ",".join(sites), *FAST)
    assert run.report, run.output
    for slug in sites:
        mirror = mirror_site(slug)
        by_id = {r["id"]: r for r in exported(tmp_path, slug)}
        rejected = [json.loads(line)["record"]["id"] for path in (tmp_path / slug).glob("*.rejects.jsonl")
                    for line in path.read_text(encoding="utf-8").splitlines()]
        assert set(by_id) | set(rejected) == article_ids(slug), slug
        for article in mirror.articles:
            record = by_id.get(f"{slug}:{article.entry_id}")
            if record is None:
                continue
            expected = mirror.expected_record(article)
            for field in ("title", "section", "images", "published_at", "authors"):
                assert record[field] == expected[field], (slug, field, record[field])
            assert record["body"] == "\n\n".join(expected["body_paragraphs"])
            assert not may_have_mojibake(json.dumps(record, ensure_ascii=False)), record["id"]
    assert len(exported(tmp_path, "hanoi-liferay")) == len(article_ids("hanoi-liferay"))  # correct, not rejected


def test_the_mangled_trap_creates_no_version_and_no_article(tmp_path):
    """A garbled copy of a real article: on the next night it must not become version 2 (Liferay
    takes the id from the page), nor a new article elsewhere (the id from the URL)."""
    sites = ["giangbien", "viethung", "thanhuyhanoi", "hanoi-liferay"]
    first = cron(tmp_path, sites, None)
    assert first.code == 0, first.output[-3000:]
    archived = {slug: {r["id"]: r for r in exported(tmp_path, slug)} for slug in sites}
    for seed in (1, 7):
        run = cron(tmp_path, sites, f"seed={seed},traps=mangled")
        assert run.report, run.output[-3000:]
        for slug in sites:
            assert run.site(slug)["articles"]["updated"] == 0, (seed, slug)
            records = exported(tmp_path, slug)
            assert {r["id"]: r for r in records} == archived[slug], (seed, slug)  # the archived versions stand
    rejects = [json.loads(line) for slug in sites for path in (tmp_path / slug).glob("*.rejects.jsonl")
               for line in path.read_text(encoding="utf-8").splitlines()]
    assert rejects and all(any(e.startswith("sanity: ") or e.startswith("body:") for e in r["errors"])
                           for r in rejects)
    assert any("sanity: truncated_page" in r["errors"] for r in rejects)
