"""Tagging: type words, lists, names that must not match, the era, and context instead of guesses."""

from __future__ import annotations

import pytest

from wardcrawl.places.record import places, site_place

PRE, POST = "2021-05-10T08:00:00+07:00", "2025-10-01T08:00:00+07:00"


def tag(body: str, published_at: str | None = PRE, site: str | None = None, title: str = "Tin",
        unit: str | None = None) -> list[dict]:
    return places({"title": title, "lead": None, "body": body}, published_at, site, unit)


def ids(found: list[dict]) -> list[str]:
    return [p["id"] or "?" + "|".join(c["id"] for c in p["candidates"]) for p in found]


@pytest.mark.parametrize("text", [
    "phường Gia Thụy", "phường Gia Thuỵ", "Phường Gia Thụy", "PHƯỜNG GIA THỤY", "P. Gia Thụy", "P.Gia Thụy",
    "Đảng ủy phường Gia Thụy", "Đảng uỷ phường Gia Thuỵ"])
def test_type_word_forms_and_tone_placement(text):
    assert ids(tag(f"Hôm nay {text} họp.")) == ["old:00130"]


@pytest.mark.parametrize("text, expected", [
    ("Quận ủy Long Biên", ["old:004"]), ("Huyện uỷ Gia Lâm", ["old:018"]), ("Thị ủy Sơn Tây", ["old:269"]),
    ("thị trấn Yên Viên", ["old:00526"]), ("xã Yên Viên", ["old:00532"]), ("quận Hai Bà Trưng", ["old:007"]),
])
def test_districts_party_forms_and_same_name_of_another_type(text, expected):
    assert ids(tag(f"Sáng nay {text} tổ chức hội nghị.")) == expected


@pytest.mark.parametrize("text", [
    "phố Kim Giang", "đường Giang Biên", "Long Biên triển khai", "cán bộ Bồ Đề", "kinh tế - xã hội ổn định",
    "Xã hội hóa", "Chủ tịch UBND quận ghi nhận", "phường tổ chức", "Bí thư Quận ủy phát biểu", "thị xã hội",
    "p. Bồ Đề", "phường bồ đề",
])
def test_names_without_a_type_word_and_streets_do_not_match(text):
    assert tag(f"Ngày 3/5, {text} và nhân dân.") == []


def test_lists_after_one_type_word():
    assert ids(tag("Các phường Bồ Đề, Việt Hưng và Phúc Lợi ra quân.", POST)) == ["new:00118", "new:00127",
                                                                                  "new:00136"]
    assert ids(tag("Hai phường Cự Khối, Thạch Bàn cùng tham gia.")) == ["old:00154", "old:00148"]
    assert ids(tag("phường Ngọc Lâm và Bồ Đề")) == ["old:00133", "old:00139"]
    # An address, not a list: "Long Biên" after the comma is the district without its type word.
    assert ids(tag("Số 1 phố Nguyễn Văn Cừ, phường Ngọc Lâm, Long Biên, Hà Nội.")) == ["old:00133"]


def test_the_era_follows_the_date_marks_and_a_district_named_after():
    assert ids(tag("phường Việt Hưng", PRE)) == ["old:00127"]
    assert ids(tag("phường Việt Hưng", POST)) == ["new:00127"]
    assert ids(tag("phường Việt Hưng (cũ)", POST)) == ["old:00127"]
    assert ids(tag("phường Việt Hưng, quận Long Biên", POST)) == ["old:00127", "old:004"]
    assert ids(tag("phường Thượng Thanh", POST)) == ["old:00115"]  # only an old unit has the name
    assert ids(tag("phường Hoàn Kiếm", PRE)) == ["new:00070"]  # only a new unit has it
    assert ids(tag("phường Việt Hưng", None)) == ["?old:00127|new:00127"]  # no date: both, not a guess


def test_old_and_new_names_in_one_text():
    found = tag("Phường Việt Hưng được thành lập trên cơ sở các phường Thượng Thanh, Đức Giang và Việt Hưng (cũ), "
                "một phần phường Giang Biên, quận Long Biên.", POST)
    assert ids(found) == ["new:00127", "old:00115", "old:00124", "old:00127", "old:00121", "old:004"]
    new = found[0]
    assert {"old:00115", "old:00121", "old:00124", "old:00127"} <= {u["id"] for u in new["formed_from"]}
    thuong_thanh = found[1]
    assert [(u["id"], u["name"], u["whole"]) for u in thuong_thanh["became"]] == [
        ("new:00118", "Bồ Đề", False), ("new:00127", "Việt Hưng", False)]
    assert thuong_thanh["formed_from"] == [] and new["became"] == []


def test_same_name_in_two_districts_settled_by_context_or_left_ambiguous():
    assert ids(tag("phường Minh Khai (quận Bắc Từ Liêm)")) == ["old:00613", "old:021"]
    assert ids(tag("phường Minh Khai thuộc quận Hai Bà Trưng")) == ["old:00295", "old:007"]
    assert ids(tag("Quận Bắc Từ Liêm có nhiều đổi mới. Sau đó phường Minh Khai báo cáo.")) == ["old:021", "old:00613"]
    assert ids(tag("phường Minh Khai báo cáo", site="haibatrung")) == ["old:00295"]  # the site's own district
    assert ids(tag("xã Phù Đổng và xã Tiền Phong", unit="Huyện ủy Mê Linh")) == ["old:00544", "old:09019"]
    ambiguous = tag("phường Minh Khai báo cáo", site="longbien")
    assert ids(ambiguous) == ["?old:00295|old:00613"]
    place = ambiguous[0]
    assert place["code"] is None and place["name"] == "Minh Khai" and place["era"] == "old"
    assert {c["district"] for c in place["candidates"]} == {"Hai Bà Trưng", "Bắc Từ Liêm"}


def test_names_merged_away_before_2025():
    found = tag("Đảng ủy phường Kim Giang, quận Thanh Xuân; tuyến đường Kim Giang.", "2019-02-14")
    assert ids(found) == ["old:00373", "old:009"]
    assert found[0]["mentions"] == [{"field": "body", "offset": 8, "text": "phường Kim Giang"}]


def test_mentions_name_field_and_offset_of_every_occurrence():
    found = places({"title": "Phường Bồ Đề ra quân", "lead": "Sáng nay, P. Bồ Đề ra quân.",
                    "body": "Cán bộ phường Bồ Đề và phường Ngọc Lâm."}, PRE)
    assert found[0]["mentions"] == [{"field": "title", "offset": 0, "text": "Phường Bồ Đề"},
                                    {"field": "lead", "offset": 10, "text": "P. Bồ Đề"},
                                    {"field": "body", "offset": 7, "text": "phường Bồ Đề"}]
    assert found[1]["mentions"] == [{"field": "body", "offset": 23, "text": "phường Ngọc Lâm"}]


def test_site_place_is_the_sites_own_unit():
    assert site_place("longbien")["id"] == "old:004"
    assert site_place("giangbien")["id"] == "old:00121"  # a ward sub-site of a district portal: the old ward
    assert site_place("viethung")["id"] == "new:00127"  # a ward portal under the city: the new ward
    assert site_place("hanoi") is None and site_place("thanhuyhanoi") is None
