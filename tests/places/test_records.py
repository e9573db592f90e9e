"""Every record carries places: the crawl's pipeline and ``scrapy extract`` give the same."""

from __future__ import annotations

from datetime import datetime

from mirror.places_gold import extracted, found_places, gold_articles, score
from mirror.sites import site
from wardcrawl.archive.extract import extract, make_response
from wardcrawl.schema import validation_errors
from wardcrawl.sites import registry


def test_the_gold_set_is_large_enough_and_scored_honestly():
    gold = gold_articles()
    assert len(gold) >= 80
    assert sum(1 for g in gold if len(g.expected) >= 3) >= 10  # the hard cases are there
    perfect = score(gold[:3], [{"places": [{"id": i, "candidates": []} for i in g.expected]} for g in gold[:3]])
    assert (perfect["precision"], perfect["recall"]) == (1.0, 1.0)
    empty = score(gold, [{"places": []} for _ in gold])
    assert empty["recall"] == 0.0 and len(empty["misses"]) == sum(1 for g in gold if g.expected)


def test_hard_case_records_validate_and_match_the_hand_written_places():
    hard = [g for g in gold_articles() if len(g.expected) >= 4]
    for item in hard:
        record = extracted(item)
        assert validation_errors(record) == []
        assert found_places(record) == item.expected, item.article.entry_id


def test_the_crawl_exports_the_same_places_as_scrapy_extract(demo_run):
    viethung = site("viethung")
    article = next(a for a in viethung.articles if "Thượng Thanh" in a.paragraphs[-1])
    record = next(r for r in demo_run.sites["viethung"].records if r["id"] == f"viethung:{article.entry_id}")
    again = extract(registry()["viethung"], make_response(record["url"], viethung.render_article(article),
                                                          {"Content-Type": "text/html; charset=utf-8"}),
                    datetime.fromisoformat(record["fetched_at"])).record
    assert record["places"] == again["places"] and record["site_place"] == again["site_place"]
    assert record["site_place"]["id"] == "new:00127"
    assert {"new:00127", "old:00115", "old:004"} <= {p["id"] for p in record["places"]}
    for slug, run in demo_run.sites.items():
        assert all("places" in r and "site_place" in r for r in run.records), slug


def test_ambiguous_places_are_counted_in_the_crawl_stats(demo_run):
    # One generated Long Biên article names xã Tiền Phong and xã Kim Chung with no district to tell
    # which (mirror/corpus.py PLACE_CASES); the old city portal has one Đảng ủy xã Liên Hà.
    assert demo_run.sites["longbien"].stats.get("wardcrawl/places/ambiguous") == 1
    assert demo_run.sites["hanoi-liferay"].stats.get("wardcrawl/places/ambiguous") == 1
    assert "wardcrawl/places/ambiguous" not in demo_run.sites["viethung"].stats
