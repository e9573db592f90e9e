"""Every mirrored site: its articles (mirror/corpus.py) in its platform's page shapes."""

from __future__ import annotations

from datetime import date
from functools import cache

from mirror import corpus
from mirror.corpus import CorpusSpec, generate
from mirror.base import MirrorSite
from mirror.hanoicms import CDN, WARD_CDN, HanoiCmsSite
from mirror.liferay import LiferaySite, OldCityPortal
from mirror.thanhuy import FILES, ThanhUySite

# Sites whose mirrors exist: `scrapy demo` crawls exactly these.
MIRRORED_SITES = ("longbien", "giangbien", "thuongthanh", "phucdong", "haibatrung", "badinh", "hanoi-liferay",
                  "hanoi", "viethung", "caugiay", "duongnoi", "thanhuyhanoi")

LONGBIEN_WARDS = corpus.WARDS
WARD_SECTIONS = {"/hoat-dong-khoi-chinh-quyen": ("Hoạt động khối chính quyền", "ward", 10),
                 "/thong-bao1": ("Thông báo", "ward", 6)}


def _ward_site(slug: str, ward: str, first_id: int, seed: int, **options) -> LiferaySite:
    spec = CorpusSpec(sections=WARD_SECTIONS, wards=[ward], first_id=first_id, seed=seed)
    return LiferaySite(
        slug=slug, name=f"Cổng thông tin điện tử phường {ward}", owner=f"Ủy ban nhân dân phường {ward}",
        scheme="http", host=f"{slug}.longbien.hanoi.gov.vn",
        sections={p: name for p, (name, _, _) in WARD_SECTIONS.items()}, articles=generate(spec), **options)


def _images_at(articles, base: str):
    """Move photos to a media host, as the newer portals serve them."""
    for a in articles:
        a.images = [(f"{base}/{a.day.year}/{a.day.month}/{a.day.day}/{a.entry_id}/{path.rsplit('/', 1)[-1]}", cap)
                    for path, cap in a.images]
    return articles


NEW_WARD_SECTIONS = {"/tin-tuc-su-kien": ("Tin tức - Sự kiện", "ward", 9), "/thong-bao": ("Thông báo", "ward", 6)}
# The listing API's opaque values (docs/sites/hanoicms.md). hanoi.gov.vn's are public captures; no capture
# of a ward portal is public, so theirs are stand-ins (the same in wardcrawl/sites.toml), except LanguageId
# and PageSize, whose values were seen alike on two other hosts of the CMS.
LANGUAGE_ID = "jM2HDDVEz40="
HANOI_API = {"Site": "/CP0MQRJUt0=", "LanguageId": LANGUAGE_ID}
HANOI_SECTION_API = {
    "/tin-tuc-su-kien-noi-bat": {"Catname": "nMSbbZ2pR0/XHR7JMRKsFGiPETTBu6V1", "PageSize": "TwNsaMrfVrU="},
    "/chi-dao-cua-ubnd-thanh-pho-ha-noi": {"Catname": "fFeUG2QagshQSId/gnsY7cA7vzDD4bMURXrY7ae9cm68FyOjl3l+4A==",
                                           "PageSize": "DxZD1w2i+8E="},
}


def ward_api(slug: str) -> tuple[dict, dict]:
    """A ward portal's stand-in values: (site-wide, per section)."""
    return ({"Site": f"mirror-stand-in-{slug}-site", "LanguageId": LANGUAGE_ID},
            {p: {"Catname": f"mirror-stand-in-{slug}{p.replace('/', '-')}", "PageSize": "DxZD1w2i+8E="}
             for p in NEW_WARD_SECTIONS})


def _new_ward_site(slug: str, ward: str, first_id: int, seed: int, **options) -> HanoiCmsSite:
    spec = CorpusSpec(sections=NEW_WARD_SECTIONS, wards=[ward], first_id=first_id, seed=seed, id_step=7919,
                      newest=date(2025, 11, 10), bylines=True, view_counts=False)
    api_values, section_api = ward_api(slug)
    return HanoiCmsSite(
        slug=slug, name=f"Cổng thông tin điện tử phường {ward}", owner=f"Ủy ban nhân dân phường {ward}",
        scheme="https", host=f"{slug}.hanoi.gov.vn", sections={p: n for p, (n, _, _) in NEW_WARD_SECTIONS.items()},
        articles=_images_at(generate(spec), WARD_CDN), api_values=api_values, section_api=section_api, **options)


# thanhuyhanoi.vn units: slug -> (name, level, place written about, article count)
THANHUY_UNITS = {
    "thuong-truc-thanh-uy": ("Thường trực Thành ủy", "city", "Thành ủy Hà Nội", 10),
    "huyen-gia-lam": ("Huyện ủy Gia Lâm", "district", "huyện Gia Lâm", 8),
    "quan-long-bien": ("Quận ủy Long Biên", "district", "quận Long Biên", 8),
    "xa-hat-mon": ("Đảng ủy xã Hát Môn", "ward-commune", "xã Hát Môn", 8),
    "phuong-viet-hung": ("Đảng ủy phường Việt Hưng", "ward-commune", "phường Việt Hưng", 8),
    "xa-phu-dong": ("Đảng ủy xã Phù Đổng", "ward-commune", "xã Phù Đổng", 2),  # not in the registry
}
THANHUY_STRAY_UNITS = frozenset({"xa-phu-dong"})


def _thanhuy_site() -> ThanhUySite:
    articles = []
    for index, (slug, (name, _, place, count)) in enumerate(THANHUY_UNITS.items()):
        spec = CorpusSpec(sections={f"/tin-tuc/{slug}": (name, "party", count)}, wards=[place],
                          first_id=10234001 + index * 1000, seed=3000 + index, id_step=37, newest=date(2025, 11, 15),
                          bylines=True, view_counts=False)
        articles += generate(spec)
    return ThanhUySite(
        slug="thanhuyhanoi", name="Cổng thông tin điện tử Thành ủy Hà Nội", owner="Thành ủy Hà Nội",
        scheme="https", host="thanhuyhanoi.vn", articles=_images_at(articles, FILES),
        sections={f"/tin-tuc/{slug}": name for slug, (name, *_rest) in THANHUY_UNITS.items()},
        units={slug: (name, level) for slug, (name, level, *_rest) in THANHUY_UNITS.items()},
        stray_units=THANHUY_STRAY_UNITS)


@cache
def build_sites() -> tuple[MirrorSite, ...]:
    longbien = LiferaySite(
        slug="longbien", name="Cổng thông tin điện tử quận Long Biên", owner="Ủy ban nhân dân quận Long Biên",
        scheme="http", host="longbien.hanoi.gov.vn", aliases={"portal.longbien.gov.vn": "/web/guest"},
        sections={p: name for p, (name, _, _) in corpus.LONGBIEN_SPEC.sections.items()},
        articles=corpus.longbien_articles(), variant_entry_id=corpus.VARIANT_ENTRY_ID)
    haibatrung_spec = CorpusSpec(
        sections={"/phong-y-te": ("Phòng Y tế", "district", 9), "/tin-tuc-su-kien": ("Tin tức - Sự kiện", "ward", 8)},
        wards=["Bạch Đằng", "Bách Khoa", "Đống Mác", "Lê Đại Hành", "Minh Khai", "Thanh Nhàn", "Vĩnh Tuy"],
        first_id=4564130, seed=2019071, newest=date(2024, 12, 1))
    badinh_spec = CorpusSpec(
        sections={"/khoi-phuong": ("Khối phường", "ward", 9), "/tin-hoat-dong": ("Tin hoạt động", "culture", 7)},
        wards=["Cống Vị", "Điện Biên", "Đội Cấn", "Kim Mã", "Liễu Giai", "Ngọc Hà", "Quán Thánh", "Trúc Bạch"],
        first_id=155546, seed=20140708, id_step=37, newest=date(2016, 3, 1), view_counts=False, all_midnight=True)
    hanoi_spec = CorpusSpec(
        sections={"/tintuc_sukien": ("Tin tức - Sự kiện", "city", 10), "/chidao_dieuhanh": ("Chỉ đạo điều hành", "city", 6)},
        wards=["Kim Giang", "Phương Liệt", "Khương Mai", "Hàng Bạc", "Yên Phụ", "Nghĩa Đô"],
        first_id=2280011, seed=20190214, id_step=53, newest=date(2020, 9, 21), view_counts=False, bylines=True,
        photo_after=1)
    hanoicms_spec = CorpusSpec(
        sections={"/tin-tuc-su-kien-noi-bat": ("Tin tức - Sự kiện nổi bật", "city", 10),
                  "/chi-dao-cua-ubnd-thanh-pho-ha-noi": ("Chỉ đạo của UBND Thành phố", "district", 7)},
        wards=["Hoàn Kiếm", "Ba Đình", "Ô Chợ Dừa", "Hồng Hà", "Láng", "Ngọc Hà", "Cửa Nam"],
        first_id=4250410182811455, seed=2018, id_step=104729, newest=date(2025, 11, 1), bylines=True,
        view_counts=False)
    return (
        longbien,
        _ward_site("giangbien", "Giang Biên", 16030011, 501, listing_variant="viewmode"),
        _ward_site("thuongthanh", "Thượng Thanh", 16040021, 502),
        _ward_site("phucdong", "Phúc Đồng", 16050031, 503),
        LiferaySite(slug="haibatrung", name="Cổng thông tin điện tử quận Hai Bà Trưng",
                    owner="Ủy ban nhân dân quận Hai Bà Trưng", scheme="http", host="haibatrung.hanoi.gov.vn",
                    sections={p: n for p, (n, _, _) in haibatrung_spec.sections.items()},
                    articles=generate(haibatrung_spec), friendly=True, instance="kXq3Hb", view_label="View count"),
        LiferaySite(slug="badinh", name="Cổng thông tin điện tử quận Ba Đình", owner="Ủy ban nhân dân quận Ba Đình",
                    scheme="http", host="badinh.hanoi.gov.vn",
                    sections={p: n for p, (n, _, _) in badinh_spec.sections.items()},
                    articles=generate(badinh_spec), friendly=True, instance="Bd7Lm2", view_label=None),
        OldCityPortal(slug="hanoi-liferay", name="Cổng Giao tiếp điện tử Hà Nội",
                      owner="Ủy ban nhân dân thành phố Hà Nội", scheme="http", host="hanoi.gov.vn",
                      sections={p: n for p, (n, _, _) in hanoi_spec.sections.items()},
                      categories={"/tintuc_sukien": ("hn9dsr", 4), "/chidao_dieuhanh": ("cd2kq", 58)},
                      articles=generate(hanoi_spec, extra=[corpus.seed_004()])),
        HanoiCmsSite(slug="hanoi", name="Cổng thông tin điện tử thành phố Hà Nội", owner="UBND thành phố Hà Nội",
                     scheme="https", host="hanoi.gov.vn", sections={p: n for p, (n, _, _) in hanoicms_spec.sections.items()},
                     aliases={"www.hanoi.gov.vn": "", "cmshn.hanoi.gov.vn": "", "thudo.gov.vn": ""},
                     articles=_images_at(generate(hanoicms_spec), CDN), api_values=HANOI_API,
                     section_api=HANOI_SECTION_API, short_ids=True,
                     flaky_pages=frozenset({("/tin-tuc-su-kien-noi-bat", 1)})),
        _new_ward_site("viethung", "Việt Hưng", 2825071508300000011, 7101, short_ids=True),
        _new_ward_site("caugiay", "Cầu Giấy", 2825071609150000021, 7102),
        # The older article layout, and a ?page=N pager on its categories (walked when the API values are missing).
        _new_ward_site("duongnoi", "Dương Nội", 2825071710450000031, 7103, older_layout=True, html_pager=True),
        _thanhuy_site(),
    )


def site(slug: str) -> MirrorSite:
    return next(s for s in build_sites() if s.slug == slug)
