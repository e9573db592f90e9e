"""The vendored gazetteer: counts of the official lists, and known steps of the reform."""

from __future__ import annotations

from collections import Counter

from wardcrawl.places import gazetteer


def names(links) -> set[str]:
    return {link.unit.name for link in links}


def test_126_new_units_none_with_a_district():
    new = gazetteer.new_units()
    assert len(new) == 126
    assert {u.level for u in new} == {"ward-commune"}
    assert all(u.parent is None for u in new)
    assert Counter(u.type for u in new) == {"phường": 51, "xã": 75}


def test_30_old_districts_and_their_526_wards_and_communes():
    districts = gazetteer.old_units("district")
    assert len(districts) == 30
    assert Counter(d.type for d in districts) == {"quận": 12, "huyện": 17, "thị xã": 1}
    wards = gazetteer.old_units("ward-commune")
    assert len(wards) == 526
    assert {w.parent for w in wards} == {d.id for d in districts}  # every ward in one of the 30, none empty
    long_bien = gazetteer.by_name("Long Biên", type="quận")[0]
    assert {w.name for w in gazetteer.children(long_bien.id)} == {
        "Thượng Thanh", "Ngọc Thụy", "Giang Biên", "Đức Giang", "Việt Hưng", "Gia Thụy", "Ngọc Lâm", "Phúc Lợi",
        "Bồ Đề", "Long Biên", "Thạch Bàn", "Phúc Đồng", "Cự Khối"}


def test_every_old_ward_became_a_new_unit_and_every_new_unit_came_from_old_ones():
    for ward in gazetteer.old_units("ward-commune"):
        links = gazetteer.successors(ward.id)
        assert links, ward
        assert all(link.unit.era == "new" for link in links)
        assert (len(links) > 1) == all(link.split for link in links)  # the split flag: divided among several
        assert len(links) == 1 or not any(link.whole for link in links)
    for unit in gazetteer.new_units():
        assert gazetteer.predecessors(unit.id), unit


def test_known_mappings():
    thuong_thanh = gazetteer.by_name("Thượng Thanh", type="phường", era="old")[0]
    assert names(gazetteer.successors(thuong_thanh.id)) == {"Bồ Đề", "Việt Hưng"}
    assert all(link.split and not link.whole for link in gazetteer.successors(thuong_thanh.id))
    giang_bien = gazetteer.by_name("Giang Biên", type="phường", era="old")[0]
    assert names(gazetteer.successors(giang_bien.id)) == {"Phúc Lợi", "Việt Hưng"}
    viet_hung = gazetteer.by_name("Việt Hưng", type="phường", era="new")[0]
    assert {"Thượng Thanh", "Giang Biên", "Đức Giang", "Việt Hưng"} <= names(gazetteer.predecessors(viet_hung.id))
    # Resolution 1656, clause 1: Hàng Bạc (whole) and part of Cửa Đông went into the new phường Hoàn Kiếm.
    hoan_kiem = gazetteer.by_name("Hoàn Kiếm", type="phường", era="new")[0]
    parts = {link.unit.name: link.whole for link in gazetteer.predecessors(hoan_kiem.id)}
    assert parts["Hàng Bạc"] is True and parts["Cửa Đông"] is False
    # A district's successors are its wards' successors.
    long_bien = gazetteer.by_name("Long Biên", type="quận")[0]
    assert {"Bồ Đề", "Việt Hưng", "Phúc Lợi", "Long Biên"} <= names(gazetteer.successors(long_bien.id))


def test_ids_tell_old_and_new_apart_where_codes_are_reused():
    old, new = gazetteer.unit("old:00127"), gazetteer.unit("new:00127")
    assert (old.name, old.era, old.parent) == ("Việt Hưng", "old", "old:004")
    assert (new.name, new.era, new.parent) == ("Việt Hưng", "new", None)


def test_by_name_ignores_tone_placement_and_case():
    assert gazetteer.by_name("Gia Thuỵ") == gazetteer.by_name("gia thụy") != ()
    assert gazetteer.by_name("Hòa Bình") != gazetteer.by_name("Hoa Bình") or not gazetteer.by_name("Hoa Bình")


def test_one_name_in_several_districts():
    minh_khai = gazetteer.by_name("Minh Khai", type="phường", era="old")
    assert {gazetteer.unit(u.parent).name for u in minh_khai} == {"Hai Bà Trưng", "Bắc Từ Liêm"}


def test_names_merged_away_before_2025_point_to_the_unit_that_absorbed_them():
    assert gazetteer.earlier_names()[("phường", "kimgiang")].name == "Hạ Đình"
    assert gazetteer.earlier_names()[("phường", "saidong")].name == "Phúc Lợi"


# Resolution 1656/NQ-UBTVQH15 (16 June 2025), Article 1, clauses 1-4, as quoted in full by public
# pages the search tool found (wardcrawl/places/data/README.md): new unit -> (wards taken whole,
# wards taken in part, "phần còn lại" included).
RESOLUTION_1656 = {
    "Hoàn Kiếm": ({"Hàng Bạc", "Hàng Bồ", "Hàng Buồm", "Hàng Đào", "Hàng Gai", "Hàng Mã", "Lý Thái Tổ"},
                  {"Cửa Đông", "Cửa Nam", "Điện Biên", "Đồng Xuân", "Hàng Bông", "Hàng Trống", "Tràng Tiền"}),
    "Cửa Nam": ({"Hàng Bài", "Phan Chu Trinh", "Trần Hưng Đạo"},
                {"Cửa Nam", "Nguyễn Du", "Phạm Đình Hổ", "Hàng Bông", "Hàng Trống", "Tràng Tiền"}),
    "Ba Đình": ({"Quán Thánh", "Trúc Bạch"},
                {"Cửa Nam", "Điện Biên", "Đội Cấn", "Kim Mã", "Ngọc Hà", "Thụy Khuê", "Cửa Đông", "Đồng Xuân"}),
    "Ngọc Hà": ({"Vĩnh Phúc", "Liễu Giai"}, {"Cống Vị", "Kim Mã", "Ngọc Khánh", "Nghĩa Đô", "Đội Cấn", "Ngọc Hà"}),
}


def test_the_vendored_links_agree_with_the_official_resolution_where_we_have_its_text():
    for name, (whole, part) in RESOLUTION_1656.items():
        new = gazetteer.by_name(name, type="phường", era="new")[0]
        links = gazetteer.predecessors(new.id)
        assert {link.unit.name for link in links if link.whole} == whole, name
        assert {link.unit.name for link in links if not link.whole} == part, name
