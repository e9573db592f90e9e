"""The gold set for ``places``: every article of the mirror corpus, with the units it is about
written out by hand, and how the tagger does on it.

    python -m mirror.places_gold      # precision / recall, and every miss

Expected places are written here, never computed by the code under test: the unit ids below
were looked up by hand in wardcrawl/places/data/units.csv. A generated article names the
place its template was filled with (``SLOT_PLACES``: the old or the new unit by the article's
date, the reform being 1 July 2025); the two real seed articles and the hard cases
(mirror/corpus.py PLACE_CASES) have theirs listed one by one. An ambiguous name is expected
as ``?`` and its candidates ("?old:09019|old:10222"); a name that must not match (a street,
a name without its type word) is expected as nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mirror import corpus

REFORM = date(2025, 7, 1)

# Template slot (the "{ward}" an article was generated with) -> (unit before the reform, unit after).
SLOT_PLACES: dict[str, tuple[str | None, str | None]] = {
    # Long Biên (quận 004) and its ward sub-sites; Sài Đồng was merged into Phúc Lợi in January 2025.
    "Bồ Đề": ("old:00139", "new:00118"), "Cự Khối": ("old:00154", None), "Đức Giang": ("old:00124", None),
    "Gia Thụy": ("old:00130", None), "Giang Biên": ("old:00121", None), "Long Biên": ("old:00145", "new:00145"),
    "Ngọc Lâm": ("old:00133", None), "Ngọc Thụy": ("old:00118", None), "Phúc Đồng": ("old:00151", None),
    "Phúc Lợi": ("old:00136", "new:00136"), "Sài Đồng": ("old:00136", None), "Thạch Bàn": ("old:00148", None),
    "Thượng Thanh": ("old:00115", None), "Việt Hưng": ("old:00127", "new:00127"),
    # Hai Bà Trưng (quận 007): Minh Khai also in Bắc Từ Liêm (the site's own district decides); Đống Mác
    # merged into Đồng Nhân in January 2025.
    "Bạch Đằng": ("old:00244", None), "Bách Khoa": ("old:00277", None), "Đống Mác": ("old:00259", None),
    "Lê Đại Hành": ("old:00256", None), "Minh Khai": ("old:00295", None), "Thanh Nhàn": ("old:00271", None),
    "Vĩnh Tuy": ("old:00283", "new:00283"),
    # Ba Đình (quận 001).
    "Cống Vị": ("old:00007", None), "Điện Biên": ("old:00019", None), "Đội Cấn": ("old:00022", None),
    "Kim Mã": ("old:00028", None), "Liễu Giai": ("old:00008", None), "Ngọc Hà": ("old:00016", "new:00008"),
    "Quán Thánh": ("old:00013", None), "Trúc Bạch": ("old:00004", None),
    # Sở Y tế (soyte, a city agency: no district of its own); its articles all predate the reform.
    "Phúc Xá": ("old:00001", None), "Hàng Bông": ("old:00076", None), "Láng Thượng": ("old:00187", None),
    "Kim Liên": ("old:00229", "new:00229"), "Định Công": ("old:00307", "new:00316"),
    "Long Biên": ("old:00145", "new:00145"), "Tây Mỗ": ("old:00628", "new:00634"),
    # The old city portal: Kim Giang merged into Hạ Đình in January 2025.
    "Kim Giang": ("old:00373", None), "Phương Liệt": ("old:00358", "new:00352"), "Khương Mai": ("old:00352", None),
    "Hàng Bạc": ("old:00061", None), "Yên Phụ": ("old:00106", None), "Nghĩa Đô": ("old:00157", "new:00160"),
    # The new city portal and the new ward portals: names only the new units have stand for them in any year.
    "Hoàn Kiếm": ("new:00070", "new:00070"), "Ba Đình": ("new:00004", "new:00004"),
    "Ô Chợ Dừa": ("old:00190", "new:00190"), "Hồng Hà": ("new:00097", "new:00097"), "Láng": ("new:00199", "new:00199"),
    "Đống Đa": ("new:00235", "new:00235"),
    "Cửa Nam": ("old:00073", "new:00082"), "Cầu Giấy": ("new:00166", "new:00166"),
    "Dương Nội": ("old:09886", "new:09886"),
    # thanhuyhanoi.vn units: the slot is the place with its type word.
    "Thành ủy Hà Nội": (None, None), "huyện Gia Lâm": ("old:018", "old:018"), "quận Long Biên": ("old:004", "old:004"),
    "xã Hát Môn": ("old:09751", "new:09772"), "phường Việt Hưng": ("old:00127", "new:00127"),
    "xã Phù Đổng": ("old:00544", "new:00541"),
}

SEED_PLACES = {
    corpus.SEED_000_ID: {"old:00115", "old:004"},  # Đảng ủy phường Thượng Thanh; Quận ủy / quận Long Biên
    corpus.SEED_004_ID: {"old:00373", "old:009"},  # phường Kim Giang (not "tuyến đường Kim Giang"), quận Thanh Xuân
}

CASE_PLACES: dict[tuple[int, int], set[str]] = {
    (20211029, 1): {"old:00613", "old:021", "old:09538", "old:268", "old:00130", "old:00151"},
    (20211029, 5): set(),  # streets and bare names only
    (20211029, 12): {"?old:09019|old:10222", "?old:00493|old:09853"},  # Tiền Phong, Kim Chung: no district near
    (20211029, 25): {"old:00154", "old:00148", "old:00145", "old:004", "old:00124"},
    (2019071, 3): {"old:00295", "old:00283", "old:00268"},
    (20190214, 2): {"old:00358", "old:00352", "old:009"},
    (20190214, 7): {"old:00544", "old:018", "old:00442", "old:016"},
    (20190214, 11): {"?old:00484|old:09802"},  # Liên Hà: Đông Anh or Đan Phượng
    (7101, 0): {"new:00127", "old:00115", "old:00124", "old:00127", "old:00121", "old:004"},
    (7101, 9): {"new:00127", "new:00118", "new:00136", "new:00145"},
    (7102, 0): {"new:00166", "old:00169", "old:00172", "old:00167", "new:00160"},
    (7103, 0): {"new:09886", "new:09552", "new:09556"},
    (2018, 0): {"new:00190", "new:00070", "new:00376", "old:00376"},
    (3000, 0): {"new:00097", "new:00004", "new:09772"},
    (3001, 7): {"old:00544", "old:00532", "old:00526"},
    (3002, 0): {"old:004", "new:00118", "new:00127", "new:00136", "new:00145"},
}


@dataclass
class GoldArticle:
    slug: str
    article: corpus.MirrorArticle
    expected: set[str]


def _slot_of(article: corpus.MirrorArticle) -> str:
    """The slot value the generator filled this article with: its first tag is "phường {ward}"."""
    return article.keywords[0].removeprefix("phường ")


def _case_of(article: corpus.MirrorArticle) -> tuple[int, int] | None:
    return next((key for key, text in corpus.PLACE_CASES.items() if article.paragraphs[-1] == text), None)


def gold_articles() -> list[GoldArticle]:
    from mirror.sites import build_sites

    gold = []
    for mirror_site in build_sites():
        for article in mirror_site.articles:
            if article.entry_id in SEED_PLACES:
                expected = set(SEED_PLACES[article.entry_id])
            else:
                slot = _slot_of(article)
                before, after = SLOT_PLACES[slot]
                unit = before if article.day < REFORM else after
                expected = {unit} if unit else set()
                case = _case_of(article)
                if case is not None:
                    expected |= CASE_PLACES[case]
            gold.append(GoldArticle(mirror_site.slug, article, expected))
    return gold


def found_places(record: dict) -> set[str]:
    return {p["id"] or "?" + "|".join(sorted(c["id"] for c in p["candidates"])) for p in record["places"]}


def extracted(gold: GoldArticle) -> dict:
    """The record the crawl makes of the article's page (the mirror's bytes, the real parser)."""
    from mirror.sites import site
    from wardcrawl.archive.extract import extract, make_response
    from wardcrawl.sites import registry

    mirror_site = site(gold.slug)
    response = make_response(mirror_site.article_url(gold.article), mirror_site.render_article(gold.article),
                             {"Content-Type": "text/html; charset=utf-8"})
    return extract(registry()[gold.slug], response).record or {"places": []}


def score(gold: list[GoldArticle], records: list[dict]) -> dict:
    """Micro-averaged precision and recall over all articles' places, and the misses."""
    hits = found = wanted = 0
    misses = []
    for item, record in zip(gold, records):
        got = found_places(record)
        hits += len(got & item.expected)
        found += len(got)
        wanted += len(item.expected)
        if got != item.expected:
            misses.append((f"{item.slug}:{item.article.entry_id}", sorted(got - item.expected),
                           sorted(item.expected - got)))
    return {"articles": len(gold), "places": wanted, "precision": hits / found if found else 1.0,
            "recall": hits / wanted if wanted else 1.0, "misses": misses}


def main() -> None:
    gold = gold_articles()
    result = score(gold, [extracted(g) for g in gold])
    print(f"{result['articles']} articles, {result['places']} expected places: "
          f"precision {result['precision']:.4f}, recall {result['recall']:.4f}")
    for name, extra, missing in result["misses"]:
        print(f"  {name}: unexpected {extra}, missing {missing}")


if __name__ == "__main__":
    main()
