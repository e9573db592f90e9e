"""Every mirrored site: its articles (mirror/corpus.py) in its platform's page shapes."""

from __future__ import annotations

from datetime import date
from functools import cache

from mirror import corpus
from mirror.corpus import CorpusSpec, generate
from mirror.liferay import LiferaySite, OldCityPortal

# Sites whose mirrors exist: `scrapy demo` crawls exactly these.
MIRRORED_SITES = ("longbien", "giangbien", "thuongthanh", "phucdong", "haibatrung", "badinh", "hanoi-liferay")

LONGBIEN_WARDS = corpus.WARDS
WARD_SECTIONS = {"/hoat-dong-khoi-chinh-quyen": ("Hoạt động khối chính quyền", "ward", 10),
                 "/thong-bao1": ("Thông báo", "ward", 6)}


def _ward_site(slug: str, ward: str, first_id: int, seed: int, **options) -> LiferaySite:
    spec = CorpusSpec(sections=WARD_SECTIONS, wards=[ward], first_id=first_id, seed=seed)
    return LiferaySite(
        slug=slug, name=f"Cổng thông tin điện tử phường {ward}", owner=f"Ủy ban nhân dân phường {ward}",
        scheme="http", host=f"{slug}.longbien.hanoi.gov.vn",
        sections={p: name for p, (name, _, _) in WARD_SECTIONS.items()}, articles=generate(spec), **options)


@cache
def build_sites() -> tuple[LiferaySite, ...]:
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
    )


def site(slug: str) -> LiferaySite:
    return next(s for s in build_sites() if s.slug == slug)
