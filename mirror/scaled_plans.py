"""What the scaled mirror's sites hold (mirror/scaled.py): three platform families, their sections
(real ward, commune and party-unit names) and N generated articles split between them, from
mirror/corpus.py's templates, lengthened to real pages' 15–22 paragraphs."""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta

from mirror import corpus
from mirror.corpus import TOPICS, CorpusSpec, MirrorArticle, _fill, _generated, _unique_titles
from mirror.hanoicms import CDN
from mirror.sites import _images_at
from mirror.thanhuy import FILES

MENU_SECTIONS = 12  # sections a page's menus list (and its current one): page size independent of N

SECTION_DEPTH = 400  # articles per section
NEWEST = date(2025, 10, 31)  # the newest article of a build; older ones go back ~3 days each
NEW_FROM = date(2025, 11, 3)  # articles added by build(n, new=k) are dated from here on


# ---- the sites ----------------------------------------------------------------------------
DONGDA_WARDS = ["Cát Linh", "Hàng Bột", "Khâm Thiên", "Khương Thượng", "Kim Liên", "Láng Hạ", "Láng Thượng",
                "Nam Đồng", "Ngã Tư Sở", "Ô Chợ Dừa", "Phương Liên", "Phương Mai", "Quang Trung", "Quốc Tử Giám",
                "Thịnh Quang", "Thổ Quan", "Trung Liệt", "Trung Phụng", "Trung Tự", "Văn Chương", "Văn Miếu"]
LIFERAY_TOPICS = [("/tin-tuc-su-kien", "Tin tức - Sự kiện", "district"), ("/chi-dao-dieu-hanh", "Chỉ đạo điều hành", "district"),
                  ("/van-hoa-xa-hoi", "Văn hóa - Xã hội", "culture"), ("/thong-bao", "Thông báo", "ward"),
                  ("/phong-y-te", "Phòng Y tế", "district"), ("/giao-duc-dao-tao", "Giáo dục - Đào tạo", "culture"),
                  ("/kinh-te-do-thi", "Kinh tế - Đô thị", "district"), ("/the-thao", "Thể dục - Thể thao", "culture")]
HANOI_WARDS = ["Ba Đình", "Ngọc Hà", "Giảng Võ", "Hoàn Kiếm", "Cửa Nam", "Phú Thượng", "Hồng Hà", "Tây Hồ",
               "Bạch Mai", "Hai Bà Trưng", "Vĩnh Tuy", "Tương Mai", "Định Công", "Hoàng Mai", "Yên Sở", "Vĩnh Hưng",
               "Hoàng Liệt", "Lĩnh Nam", "Thanh Xuân", "Khương Đình", "Phương Liệt", "Cầu Giấy", "Nghĩa Đô",
               "Yên Hòa", "Láng", "Kim Liên", "Đống Đa", "Long Biên", "Bồ Đề", "Việt Hưng", "Phúc Lợi", "Tây Mỗ",
               "Đại Mỗ", "Xuân Phương", "Từ Liêm", "Thượng Cát", "Đông Ngạc", "Xuân Đỉnh", "Phú Diễn", "Hà Đông",
               "Dương Nội", "Yên Nghĩa", "Kiến Hưng"]
HANOI_COMMUNES = ["Hát Môn", "Phù Đổng", "Gia Lâm", "Thuận An", "Bát Tràng", "Sóc Sơn", "Đa Phúc", "Nội Bài",
                  "Đông Anh", "Mê Linh", "Quang Minh", "Thư Lâm", "Phúc Thịnh", "Thiên Lộc", "Vĩnh Thanh"]
THANHUY_DISTRICTS = [("thuong-truc-thanh-uy", "Thường trực Thành ủy", "city", "Thành ủy Hà Nội"),
                     ("huyen-gia-lam", "Huyện ủy Gia Lâm", "district", "huyện Gia Lâm"),
                     ("quan-long-bien", "Quận ủy Long Biên", "district", "quận Long Biên"),
                     ("quan-dong-da", "Quận ủy Đống Đa", "district", "quận Đống Đa")]
CMS_TOPICS = [("/tin-tuc-su-kien", "Tin tức - Sự kiện", "city"), ("/thong-bao", "Thông báo", "ward"),
              ("/chi-dao-dieu-hanh", "Chỉ đạo điều hành", "district"), ("/van-hoa-xa-hoi", "Văn hóa - Xã hội", "culture"),
              ("/kinh-te", "Kinh tế", "district"), ("/quy-hoach-xay-dung", "Quy hoạch - Xây dựng", "district"),
              ("/cai-cach-hanh-chinh", "Cải cách hành chính", "ward"), ("/giao-duc", "Giáo dục", "culture"),
              ("/y-te", "Y tế", "district"), ("/chuyen-doi-so", "Chuyển đổi số", "city"),
              ("/an-ninh-quoc-phong", "An ninh - Quốc phòng", "ward"), ("/doan-the", "Đoàn thể", "culture")]


def unit_slug(name: str) -> str:
    """'phường Bồ Đề' -> 'phuong-bo-de' (đ as d, as the sites write their own paths)."""
    text = unicodedata.normalize("NFD", name.lower().replace("đ", "d"))
    return "-".join("".join(ch if ch.isalnum() and ch.isascii() else " " for ch in text
                            if not unicodedata.combining(ch)).split())


@dataclass(frozen=True)
class SectionPlan:
    path: str
    name: str
    kind: str  # corpus topic kind
    place: str  # what the articles write about ("Cát Linh", "xã Hát Môn")
    level: str | None = None  # thanhuy: the unit's level


@dataclass(frozen=True)
class FamilyPlan:
    family: str
    slug: str
    name: str
    owner: str
    scheme: str
    host: str
    level: str
    parent: str | None
    first_id: int
    id_step: int
    seed: int
    url_shape: str = "default"

    def sections(self, count: int) -> list[SectionPlan]:
        pool = SECTION_POOLS[self.family]()
        out = []
        for i in range(count):
            base = pool[i % len(pool)]
            round_ = i // len(pool)
            if round_:  # more sections than names: an archive series of the same section
                base = SectionPlan(f"{base.path}-{round_ + 1}", f"{base.name} ({round_ + 1})", base.kind, base.place,
                                   base.level)
            out.append(base)
        return out


def _liferay_pool() -> list[SectionPlan]:
    topics = [SectionPlan(p, n, k, DONGDA_WARDS[i % len(DONGDA_WARDS)]) for i, (p, n, k) in enumerate(LIFERAY_TOPICS)]
    return topics + [SectionPlan(f"/{unit_slug('phuong ' + w)}", f"Phường {w}", "ward", w) for w in DONGDA_WARDS]


def _thanhuy_pool() -> list[SectionPlan]:
    units = [SectionPlan(f"/tin-tuc/{slug}", name, "party", place, level) for slug, name, level, place in THANHUY_DISTRICTS]
    units += [SectionPlan(f"/tin-tuc/{unit_slug('phuong ' + w)}", f"Đảng ủy phường {w}", "party", f"phường {w}",
                          "ward-commune") for w in HANOI_WARDS]
    units += [SectionPlan(f"/tin-tuc/{unit_slug('xa ' + c)}", f"Đảng ủy xã {c}", "party", f"xã {c}", "ward-commune")
              for c in HANOI_COMMUNES]
    return units


def _cms_pool() -> list[SectionPlan]:
    return [SectionPlan(p, n, k, "Tây Hồ") for p, n, k in CMS_TOPICS]


SECTION_POOLS = {"liferay": _liferay_pool, "thanhuy": _thanhuy_pool, "hanoicms": _cms_pool}
LIFERAY_INSTANCE = "Dd4Sc1"
FAMILIES = (
    FamilyPlan("liferay", "bench-dongda", "Cổng thông tin điện tử quận Đống Đa", "Ủy ban nhân dân quận Đống Đa",
               "http", "dongda.hanoi.gov.vn", "district", "hanoi", 3_100_001, 17, 310, url_shape="friendly"),
    FamilyPlan("thanhuy", "bench-thanhuy", "Cổng thông tin điện tử Thành ủy Hà Nội", "Thành ủy Hà Nội",
               "https", "thanhuyhanoi.vn", "city", None, 20_100_001, 7, 320),
    FamilyPlan("hanoicms", "bench-tayho", "Cổng thông tin điện tử phường Tây Hồ", "Ủy ban nhân dân phường Tây Hồ",
               "https", "tayho.hanoi.gov.vn", "ward", "hanoi", 2025071810450000041, 7919, 330),
)

# More sites for benchmarks/distributed.py, whose premise is many hosts each held to its own politeness
# delay: other old district portals on Liferay and new ward portals on the new CMS, under hosts the
# registry knows (sites.generated.toml); thanhuyhanoi.vn is one site, not copied.
COPY_HOSTS = {"liferay": ["hoangmai", "thanhxuan", "bactuliem", "namtuliem", "gialam", "donganh", "soson",
                          "thanhtri"],
              "hanoicms": ["bode", "phucloi", "nghiado", "yenhoa", "ochodua", "lang", "kimlien", "vinhtuy"]}


def site_plans(sites: int = len(FAMILIES)) -> tuple[FamilyPlan, ...]:
    """The three sites, then ``sites - 3`` more, alternately of the new-CMS and Liferay shapes, each with
    its own host, seed and ids (the same pages, other articles)."""
    copies = max(0, sites - len(FAMILIES))
    limit = 2 * min(len(hosts) for hosts in COPY_HOSTS.values())
    if copies > limit:
        raise ValueError(f"at most {len(FAMILIES) + limit} sites")
    plans = list(FAMILIES)
    for i in range(copies):
        base = FAMILIES[2] if i % 2 == 0 else FAMILIES[0]
        name = COPY_HOSTS[base.family][i // 2]
        plans.append(replace(base, slug=f"bench-{name}", host=f"{name}.hanoi.gov.vn", name=f"{base.name} ({name})",
                             seed=base.seed + 1000 * (i + 1), first_id=base.first_id + base.id_step * 1_000_000 * (i + 1)))
    return tuple(plans)


# ---- articles -----------------------------------------------------------------------------
def _slots(rng: random.Random, a: MirrorArticle, kind: str, place: str) -> dict:
    bare = place.split(" ", 1)[1] if place.startswith(("phường ", "xã ")) else place
    return {"ward": place if kind == "party" else bare, "official": rng.choice(corpus.OFFICIALS),
            "role": rng.choice(corpus.ROLES), "n": rng.randint(2, 9), "m": rng.randint(12, 480),
            "pct": rng.randint(60, 140), "year": a.day.year, "d": f"{a.day.day}/{a.day.month}"}


def _lengthen(rng: random.Random, a: MirrorArticle, place: str) -> None:
    """Real articles run to 15-22 paragraphs: more of the corpus's templated sentences, same place."""
    own = set(a.paragraphs)
    pool = [(kind, p) for kind, topics in TOPICS.items() for _, paras in topics for p in paras]
    extra = []
    for kind, template in rng.sample(pool, rng.randint(12, 18)):
        text = _fill(template, _slots(rng, a, kind, place)).removeprefix("HNP - ")
        if text not in own:
            own.add(text)
            extra.append(text[0].upper() + text[1:])
    a.paragraphs = [*a.paragraphs, *extra]


def family_articles(plan: FamilyPlan, count: int, new: int) -> tuple[list[SectionPlan], list[MirrorArticle], list[int]]:
    """(sections, articles newest first within each section, ids of the ``new`` added ones)."""
    n_sections = max(1, math.ceil(count / SECTION_DEPTH))
    sections = plan.sections(n_sections)
    sizes = [count // n_sections + (1 if i < count % n_sections else 0) for i in range(n_sections)]
    # The new articles: a burst in the first section (more than two listing pages), the rest spread.
    extra = [0] * n_sections
    burst = min(new, 16)
    extra[0] += burst
    for i in range(new - burst):
        extra[(i + 1) % n_sections] += 1
    articles: list[MirrorArticle] = []
    new_ids: list[int] = []
    position = 0
    for s_index, (section, size) in enumerate(zip(sections, sizes)):
        spec = CorpusSpec(sections={section.path: (section.name, section.kind, size)}, wards=[section.place],
                          first_id=plan.first_id, seed=plan.seed, id_step=plan.id_step, newest=NEWEST,
                          view_counts=plan.family == "liferay", bylines=plan.family != "liferay")
        rng = random.Random(f"{plan.seed}:{section.path}")
        for index in range(size):
            day = NEWEST - timedelta(days=index * 3 + rng.randint(0, 2))
            article = _generated(rng, spec, section.path, index, plan.first_id + position * plan.id_step, day)
            _lengthen(rng, article, section.place)
            articles.append(article)
            position += 1
    old_total = position
    for s_index, section in enumerate(sections):  # after every old article: old ones stay as they were
        spec = CorpusSpec(sections={section.path: (section.name, section.kind, extra[s_index])}, wards=[section.place],
                          first_id=plan.first_id, seed=plan.seed + 1, id_step=plan.id_step,
                          view_counts=plan.family == "liferay", bylines=plan.family != "liferay")
        rng = random.Random(f"{plan.seed}:{section.path}:new")
        for index in range(extra[s_index]):
            day = NEW_FROM + timedelta(days=index // 4)
            article = _generated(rng, spec, section.path, index, plan.first_id + position * plan.id_step, day)
            _lengthen(rng, article, section.place)
            articles.append(article)
            new_ids.append(article.entry_id)
            position += 1
    assert position == old_total + new
    _unique_titles(articles)
    if plan.family in ("thanhuy", "hanoicms"):
        _images_at(articles, FILES if plan.family == "thanhuy" else CDN)
    articles.sort(key=lambda a: (a.section_path, a.day, a.time, a.entry_id), reverse=True)
    return sections, articles, new_ids
