"""Record-level cleaning and normalising (the functions the pipelines call)."""

from __future__ import annotations

from datetime import datetime

from wardcrawl.text.cleaning import clean_article, content_sha256, normalise_article
from wardcrawl.items import Article
from wardcrawl.text.dates import HANOI_TZ

NOW = datetime(2026, 11, 22, 21, 0, tzinfo=HANOI_TZ)


def article(**fields) -> Article:
    base = dict(id="longbien:1", site="longbien", url="http://longbien.hanoi.gov.vn/a",
                canonical_url="http://longbien.hanoi.gov.vn/a", title="Tiêu đề", body="Đoạn một.\n\nĐoạn hai.",
                published_raw="Ngày đăng 29/09/2021 | 22:22", encoding="utf-8", fetched_at=NOW.isoformat())
    return Article(**{**base, **fields})


def test_clean_normalises_text_and_counts_removals():
    a = article(title="  Phu\u031bo\u031b\u0300ng  Gia Thu\u0323y ", body="Ngày đăng 29/09/2021 | 22:22\n\nĐoạn\u00a0một.\n\nIn bài viết | Quay lại")
    cleaned, removed = clean_article(a)
    assert cleaned.title == "Phường Gia Thụy"
    assert cleaned.body == "Đoạn một."
    assert removed == {"date_line": 1, "print_back_links": 1}


def test_repairable_mojibake_is_fixed_and_flagged():
    broken = "Việt Nam".encode("utf-8").decode("latin-1")
    cleaned, _ = clean_article(article(body=f"Đoàn công tác {broken}."))
    assert cleaned.body == "Đoàn công tác Việt Nam."
    assert "mojibake_repaired" in cleaned.quality


def test_lossy_mojibake_in_content_is_flagged_not_dropped():
    cleaned, _ = clean_article(article(body="L?y \ufffd ki?n nh\ufffdn d\ufffdn v\u1ec1 vi\u1ec7c.\n\nĐoạn hai."))
    assert "lossy_mojibake" in cleaned.quality
    assert "Đoạn hai." in cleaned.body


def test_dates_normalised_with_raw_kept():
    a = normalise_article(article(), NOW)
    assert (a.published_at, a.published_precision) == ("2021-09-29T22:22:00+07:00", "minute")
    assert a.published_raw == "Ngày đăng 29/09/2021 | 22:22"
    midnight = normalise_article(article(published_raw="Ngày đăng 08/07/2014 | 00:00"), NOW)
    assert (midnight.published_at, midnight.published_precision) == ("2014-07-08", "day")
    assert midnight.quality == ["time_unknown"]


def test_future_and_missing_dates_are_flagged():
    assert "future_date" in normalise_article(article(published_raw="Ngày đăng 01/01/2030 | 10:00"), NOW).quality
    missing = normalise_article(article(published_raw=None), NOW)
    assert missing.published_at is None and "no_published_date" in missing.quality


def test_content_hash_follows_text_only():
    a, b = article(), article(url="http://portal.longbien.gov.vn/web/guest/a", fetched_at="2027-01-01T00:00:00+07:00")
    assert content_sha256(a) == content_sha256(b)
    assert content_sha256(a) != content_sha256(article(body="Đoạn một."))


def test_updated_date_goes_to_modified_at_not_published_at():
    a = normalise_article(article(published_raw="Đăng ngày 15/05/2021 08:00 | Cập nhật lúc 21:16, Thứ bảy, "
                                                "15/05/2021 (GMT+7)"), NOW)
    assert a.published_at == "2021-05-15T08:00:00+07:00"
    assert a.modified_at == "2021-05-15T21:16:00+07:00"
    only_updated = normalise_article(article(published_raw="Cập nhật lúc 21:16, Thứ bảy, 15/05/2021 (GMT+7)"), NOW)
    assert only_updated.published_at is None and only_updated.modified_at == "2021-05-15T21:16:00+07:00"
    assert "no_published_date" in only_updated.quality


def test_matching_keys_ignore_tone_placement():
    a, b = (normalise_article(article(title=t), NOW) for t in ("Phường Gia Thụy", "Phường Gia Thuỵ"))
    assert a.title_match_key == b.title_match_key == "phương2 gia thuy5"
    assert a.title_fold_key == "phuong gia thuy"
