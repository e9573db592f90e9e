"""The scaled mirror, for the benchmarks: N generated articles in real page shapes, on disk.

Three platform families, one site each, the N articles split evenly between them (``sites=K``
adds K - 3 more sites of the Liferay and new-CMS shapes, for the distributed benchmark: see
``site_plans``):

- **Liferay 6.2, friendly URLs** (``LiferaySite(url_form="view_content")``, the haibatrung/badinh shape):
  listings ``/<page>`` and ``/<page>?p_p_id=101_INSTANCE_<i>&…&_101_INSTANCE_<i>_cur=N``
  (a pager naming every page, as Liferay's page iterator does), articles
  ``/<page>/-/view_content/<id>-<urlTitle>.html``;
- **thanhuyhanoi.vn** (``ThanhUySite``): one section per party unit, ``?page=N`` listings,
  articles ``/tin-tuc/<unit>/<slug>-<8 digits>.html``;
- **the new hanoi.gov.vn CMS** (``HanoiCmsSite(api_values=None, html_pager=True)``: categories
  without listing-API values, walked through ``?page=N``; nginx serves no POST), articles
  ``/<category>/<slug>-<id>.htm``.

Articles come from mirror/corpus.py (its topic templates and generator, one corpus spec per
section) and pages from the mirror's own renderers (mirror/liferay.py, thanhuy.py,
hanoicms.py). Two things bring pages to the size and weight of the real ones (~41 KB, ~150
links an article page): bodies of 15–22 paragraphs (more of the corpus's own templated
sentences), and the furniture real portals carry on every page, put after ``<body>`` and
before ``</head>`` and ``</body>``: a mega menu, service boxes, the latest documents, a
linked-sites select, footer link columns, a visitor counter, theme scripts (Liferay's
``themeDisplay`` and AUI bootstrap, the new CMS's page settings and loaders), metadata and a
little inline CSS. The furniture links to no article and uses none of the parsers' classes:
the records extracted from these pages equal the renderers' ground truth (``expected_records``).
Page menus list the first ``MENU_SECTIONS`` sections, so page size does not grow with N.

Sections hold about ``SECTION_DEPTH`` articles each, so a bigger N means more sections and
deeper archives. ``build(n, new=k)`` gives the same N articles (same ids, same text) plus k
newer ones at the top of the listings: the site after a day of publishing.

The tree is written once per (N, k, generator source) under the cache directory
(``$WARDCRAWL_BENCH_CACHE``, default ``$TMPDIR/wardcrawl-bench``; ``prune_cache`` removes
trees of older sources) and served by nginx
(``StaticServer``: Debian's nginx, a generated config, one virtual host per site, URLs mapped
to files with ``try_files`` and the listing page taken from the query string), or by a small
Python server when nginx cannot be had (it says so: it may then be the bottleneck).

    python -m mirror.scaled --n 10000 [--new 100]      # build (or find) the tree, print its manifest
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import multiprocessing
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from mirror import corpus
from mirror.base import DEFAULT_ROBOTS, MirrorSite, esc
from mirror.corpus import TOPICS, CorpusSpec, MirrorArticle, _fill, _generated, _unique_titles
from mirror.hanoicms import CDN, HanoiCmsSite
from mirror.liferay import LiferaySite
from mirror.sites import _images_at
from mirror.thanhuy import FILES, ThanhUySite

VERSION = 1
SECTION_DEPTH = 400  # articles per section
NEWEST = date(2025, 10, 31)  # the newest article of a build; older ones go back ~3 days each
NEW_FROM = date(2025, 11, 3)  # articles added by build(n, new=k) are dated from here on
CACHE_ENV = "WARDCRAWL_BENCH_CACHE"
MENU_SECTIONS = 12  # sections a page's menus list (and its current one): page size independent of N
LISTING_FILE = "__p{page}.html"  # listing page N of a section: <host><section path>/__pN.html
SOURCES = ("scaled.py", "corpus.py", "base.py", "liferay.py", "thanhuy.py", "hanoicms.py", "sites.py")

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


def _family_articles(plan: FamilyPlan, count: int, new: int) -> tuple[list[SectionPlan], list[MirrorArticle], list[int]]:
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


# ---- page furniture ------------------------------------------------------------------------
def _css(prefix: str, names: list[str], seed: int) -> str:
    rng = random.Random(seed)
    colors = ["#0b4f8a", "#c8102e", "#333", "#666", "#f5f5f5", "#e0e0e0", "#1a6db3", "#fff", "#d9d9d9", "#8a1c1c"]
    rules = []
    for name in names:
        for suffix in ("", " a", " a:hover", " li", " .title", " img"):
            props = [f"color:{rng.choice(colors)}", f"font-size:{rng.randint(11, 22)}px",
                     f"margin:{rng.randint(0, 12)}px {rng.randint(0, 20)}px", f"padding:{rng.randint(0, 10)}px",
                     f"line-height:{rng.choice(['1.3', '1.5', '18px', '22px'])}",
                     f"background:{rng.choice(colors)}", "font-family:Arial,Helvetica,sans-serif"]
            rules.append(f"{prefix}{name}{suffix}{{{';'.join(rng.sample(props, rng.randint(3, 6)))}}}")
    return "\n".join(rules)


CSS_NAMES = ["header", "banner", "navigation", "menu", "sub-menu", "breadcrumb", "portlet", "portlet-title",
             "portlet-content", "asset-title", "asset-summary", "news-item", "sidebar", "box", "footer",
             "search", "hot-news", "marquee", "calendar", "weather", "poll", "links", "counter", "pagination"]


def _liferay_furniture(plan: FamilyPlan, sections: list[SectionPlan]) -> tuple[str, str]:
    base = f"{plan.scheme}://{plan.host}"
    theme = f"/html/themes/{plan.slug}-theme"
    getters = {"getCDNDynamicResourcesHost": "", "getCDNHost": "", "getCompanyId": "10154", "getCompanyGroupId": "10194",
               "getDefaultLanguageId": "vi_VN", "getDoAsUserIdEncoded": "", "getLanguageId": "vi_VN",
               "getParentGroupId": "10181", "getPathContext": "", "getPathImage": "/image", "getPathJavaScript": "/html/js",
               "getPathMain": "/c", "getPathThemeImages": f"{base}{theme}/images", "getPathThemeRoot": theme,
               "getPlid": "10184", "getPortalURL": base, "getScopeGroupId": "10181", "getScopeGroupIdOrLiveGroupId": "10181",
               "getSessionId": "", "getSiteGroupId": "10181", "getURLControlPanel": "/group/control_panel?refererPlid=10184",
               "getURLHome": base.replace(":", "\\x3a").replace("/", "\\x2f") + "\\x2fweb\\x2fguest", "getUserId": "10158",
               "getUserName": ""}
    flags = ["isAddSessionIdToURL", "isFreeformLayout", "isImpersonated", "isSignedIn", "isStateExclusive",
             "isStateMaximized", "isStatePopUp"]
    display = ",\n".join([f'{k}: function() {{ return "{v}"; }}' for k, v in getters.items()]
                         + [f"{k}: function() {{ return false; }}" for k in flags])
    portlets = ["101_INSTANCE_" + LIFERAY_INSTANCE, "73_INSTANCE_menu", "56_INSTANCE_links", "3", "115_INSTANCE_hot",
                "86", "145", "110_INSTANCE_poll"]
    css_links = "\n".join(f'<link href="{u}?browserId=other&amp;themeId={plan.slug}theme_WAR_{plan.slug}theme&amp;'
                          f'minifierType=css&amp;languageId=vi_VN&amp;b=6210&amp;t=1571234567000" rel="stylesheet" type="text/css" />'
                          for u in ("/html/css/main.css", "/html/portlet/asset_publisher/css/main.css",
                                    "/html/portlet/journal_content/css/main.css", "/html/portlet/navigation/css/main.css",
                                    "/html/portlet/search/css/main.css", f"{theme}/css/main.css", f"{theme}/css/custom.css"))
    head = f"""<meta content="initial-scale=1.0, width=device-width" name="viewport" />
<meta content="Cổng thông tin điện tử, {plan.name}, tin tức, sự kiện, thông báo" name="keywords" />
<link href="{theme}/images/favicon.ico" rel="Shortcut Icon" />
{css_links}
<script type="text/javascript">
// <![CDATA[
var Liferay = {{ Browser: {{ acceptsGzip: function() {{ return true; }}, getMajorVersion: function() {{ return 0; }},
getRevision: function() {{ return ""; }}, getVersion: function() {{ return ""; }}, isAir: function() {{ return false; }},
isChrome: function() {{ return false; }}, isFirefox: function() {{ return false; }}, isGecko: function() {{ return false; }},
isIe: function() {{ return false; }}, isIphone: function() {{ return false; }}, isLinux: function() {{ return false; }},
isMac: function() {{ return false; }}, isMobile: function() {{ return false; }}, isMozilla: function() {{ return false; }},
isOpera: function() {{ return false; }}, isRtf: function() {{ return false; }}, isSafari: function() {{ return false; }},
isSun: function() {{ return false; }}, isWap: function() {{ return false; }}, isWapXhtml: function() {{ return false; }},
isWebKit: function() {{ return false; }}, isWindows: function() {{ return false; }}, isWml: function() {{ return false; }} }},
Data: {{ NAV_SELECTOR: "#navigation", isCustomizationView: function() {{ return false; }}, notices: [null] }},
ThemeDisplay: {{
{display}
}},
PropsValues: {{ NTLM_AUTH_ENABLED: false }} }};
var themeDisplay = Liferay.ThemeDisplay;
Liferay.AUI = {{ getAvailableLangPath: function() {{ return "available_languages.jsp?browserId=other&themeId={plan.slug}theme&colorSchemeId=01&minifierType=js&languageId=vi_VN&b=6210&t=1571234567000"; }},
getCombine: function() {{ return true; }}, getComboPath: function() {{ return "/combo/?browserId=other&minifierType=&languageId=vi_VN&b=6210&t=1571234567000&"; }},
getFilter: function() {{ return "min"; }}, getJavaScriptRootPath: function() {{ return "/html/js"; }},
getLangPath: function() {{ return "aui_lang.jsp?browserId=other&themeId={plan.slug}theme&colorSchemeId=01&minifierType=js&languageId=vi_VN&b=6210&t=1571234567000"; }},
getStaticResourceURLParams: function() {{ return "?browserId=other&minifierType=&languageId=vi_VN&b=6210&t=1571234567000"; }} }};
Liferay.authToken = "Fq2ZpN7x";
Liferay.currentURL = "\\x2f__PAGE__";
Liferay.currentURLEncoded = "%2F__PAGE__";
// ]]>
</script>
<script src="/html/js/barebone.jsp?browserId=other&amp;themeId={plan.slug}theme&amp;colorSchemeId=01&amp;minifierType=js&amp;minifierBundleId=javascript.barebone.files&amp;languageId=vi_VN&amp;b=6210&amp;t=1571234567000" type="text/javascript"></script>
<script type="text/javascript">
// <![CDATA[
Liferay.Portlet.list = [{", ".join(f'"{p}"' for p in portlets)}];
// ]]>
</script>"""
    onload = "\n".join(
        f"Liferay.Portlet.onLoad({{ canEditTitle: false, columnPos: {i}, isStatic: 'end', "
        f"namespacedId: 'p_p_id_{p}_', portletId: '{p}', refreshURL: '\\x2fc\\x2fportal\\x2frender_portlet"
        f"\\x3fp_l_id\\x3d10184\\x26p_p_id\\x3d{p}\\x26p_p_lifecycle\\x3d0\\x26p_t_lifecycle\\x3d0"
        f"\\x26p_p_state\\x3dnormal\\x26p_p_mode\\x3dview\\x26p_p_col_id\\x3dcolumn-1\\x26p_p_col_pos\\x3d{i}"
        f"\\x26p_p_col_count\\x3d{len(portlets)}\\x26p_p_isolated\\x3d1\\x26currentURL\\x3d\\x252F__PAGE__' }});"
        for i, p in enumerate(portlets))
    tail = f"""<script type="text/javascript">
// <![CDATA[
Liferay.Util.addInputFocus();
Liferay.Portlet.runtimePortletIds = [{", ".join(f'"{p}"' for p in portlets[1:])}];
// ]]>
</script>
<script type="text/javascript">
// <![CDATA[
AUI().use('aui-base', 'liferay-form', 'liferay-menu', 'liferay-navigation-interaction', 'liferay-notice', 'liferay-poller', 'liferay-session', function(A) {{ (function() {{
{onload}
Liferay.Util.toggleControls(); new Liferay.Menu();
var liferayNotices = Liferay.Data.notices; for (var i = 1; i < liferayNotices.length; i++) {{ new Liferay.Notice(liferayNotices[i]); }}
A.one('#navigation').plug(Liferay.NavigationInteraction);
Liferay.Session = new Liferay.SessionBase({{ autoExtend: true, sessionLength: 30, redirectOnExpire: false, redirectUrl: '{base}\\x2fweb\\x2fguest', warningLength: 1 }});
}})(); }});
// ]]>
</script>
<script src="{theme}/js/main.js?browserId=other&amp;minifierType=js&amp;languageId=vi_VN&amp;b=6210&amp;t=1571234567000" type="text/javascript"></script>
<script type="text/javascript">
var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-3{plan.seed}1-1']); _gaq.push(['_trackPageview']);
(function() {{ var ga = document.createElement('script'); ga.type = 'text/javascript'; ga.async = true;
ga.src = ('https:' == document.location.protocol ? 'https://ssl' : 'http://www') + '.google-analytics.com/ga.js';
var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(ga, s); }})();
</script>"""
    return head, tail


def _news_furniture(plan: FamilyPlan, sections: list[SectionPlan], static: str) -> tuple[str, str]:
    """The new CMS and thanhuyhanoi.vn: metadata, preloads, page settings, inline critical CSS, loaders."""
    zones = ", ".join(f'{{"id": {1800 + i}, "url": "{s.path}", "name": "{s.name}"}}' for i, s in enumerate(sections[:MENU_SECTIONS]))
    preloads = "\n".join(f'<link rel="preload" href="{static}/static/{kind}/{name}" as="{"script" if kind == "js" else "style"}" />'
                         for kind, name in (("css", "main.min.css"), ("css", "detail.min.css"), ("js", "jquery-3.6.0.min.js"),
                                            ("js", "lazysizes.min.js"), ("js", "main.min.js"), ("js", "detail.min.js"),
                                            ("css", "fonts.css"), ("js", "ads.min.js")))
    head = f"""<meta name="keywords" content="{plan.name}, tin tức, sự kiện, thông báo, chỉ đạo điều hành" />
<meta name="robots" content="index, follow" /><meta name="author" content="{plan.owner}" />
<meta property="og:site_name" content="{plan.name}" /><meta property="og:type" content="article" />
<meta property="og:url" content="{plan.scheme}://{plan.host}/__PAGE__" /><meta name="twitter:card" content="summary_large_image" />
<link rel="canonical" href="{plan.scheme}://{plan.host}/__PAGE__" />
<link rel="dns-prefetch" href="{static}" /><link rel="dns-prefetch" href="https://www.googletagmanager.com" />
{preloads}
<script type="text/javascript">
var pageSettings = {{ DomainId: {plan.seed}, Domain: "{plan.host}", sharefbApiDomain: "https://sharefb.cnnd.vn",
  videoplayer: "https://vcplayer.mediacdn.vn", VideoToken: "L3NlY3VyZS92ZXJpZnkvdm9kLw==", ajaxDomain: "{plan.scheme}://{plan.host}",
  commentSiteName: "{plan.slug}", allowComment: false, thumbDomain: "{static}", DOMAIN_API_ANSWER_QUESTION: "",
  zones: [{zones}] }};
function loadJsAsync(jsLink, callback, callbackEr) {{ var scriptEl = document.createElement("script"); scriptEl.type = "text/javascript";
  scriptEl.async = true; if (typeof callback == "function") {{ scriptEl.onreadystatechange = scriptEl.onload = function() {{ callback(); }}; }}
  scriptEl.src = jsLink; if (typeof callbackEr != "undefined") {{ scriptEl.onerror = function() {{ callbackEr(); }}; }}
  document.getElementsByTagName("head")[0].appendChild(scriptEl); }}
</script>
<style type="text/css">
{_css(".", CSS_NAMES[:10], plan.seed)}
</style>"""
    tail = f"""<script type="text/javascript">
(function() {{ var runinit = window.runinit || []; window.runinit = runinit;
  runinit.push(function() {{ loadJsAsync("{static}/static/js/main.min.js", function() {{ if (typeof Main != "undefined") Main.init(); }});
  loadJsAsync("{static}/static/js/detail.min.js"); }}); }})();
window.dataLayer = window.dataLayer || []; function gtag() {{ dataLayer.push(arguments); }} gtag('js', new Date()); gtag('config', 'G-{plan.seed}QX7K2');
</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-{plan.seed}QX7K2"></script>
<script type="text/javascript">
var admzone = {{ "list": [{", ".join(f'"zone-{i}"' for i in range(24))}] }};
(function() {{ for (var i = 0; i < admzone.list.length; i++) {{ var el = document.getElementById(admzone.list[i]); if (el) el.setAttribute("data-loaded", "1"); }} }})();
</script>"""
    return head, tail


MENU = [
    ("Giới thiệu", ["Tổng quan", "Lịch sử hình thành", "Điều kiện tự nhiên", "Cơ cấu tổ chức", "Lãnh đạo",
                    "Các phòng, ban chuyên môn", "Đơn vị hành chính", "Bản đồ hành chính"]),
    ("Tin tức - Sự kiện", ["Tin hoạt động", "Tin từ cơ sở", "Tin ảnh", "Video", "Thông cáo báo chí", "Tin trong nước"]),
    ("Chỉ đạo điều hành", ["Lịch công tác", "Văn bản chỉ đạo", "Thông báo kết luận", "Kế hoạch", "Báo cáo"]),
    ("Thủ tục hành chính", ["Bộ thủ tục hành chính", "Dịch vụ công trực tuyến", "Tra cứu hồ sơ", "Một cửa điện tử",
                            "Biểu mẫu", "Kết quả giải quyết hồ sơ", "Đánh giá sự hài lòng"]),
    ("Văn bản pháp luật", ["Văn bản quy phạm pháp luật", "Văn bản chỉ đạo điều hành", "Văn bản của thành phố",
                           "Văn bản trung ương", "Dự thảo lấy ý kiến"]),
    ("Kinh tế - Xã hội", ["Kinh tế", "Văn hóa - Thể thao", "Giáo dục - Đào tạo", "Y tế", "Lao động - Việc làm",
                          "An sinh xã hội", "Khoa học - Công nghệ"]),
    ("Quy hoạch - Đầu tư", ["Quy hoạch", "Dự án đầu tư", "Đấu thầu - Mua sắm công", "Giải phóng mặt bằng",
                            "Quản lý đất đai", "Xây dựng cơ bản"]),
    ("Công dân", ["Hỏi đáp trực tuyến", "Góp ý, kiến nghị", "Lịch tiếp công dân", "Phản ánh hiện trường",
                  "Đường dây nóng"]),
    ("Tuyên truyền", ["Phổ biến giáo dục pháp luật", "Chuyển đổi số", "Cải cách hành chính", "Bầu cử",
                      "Phòng, chống tham nhũng", "Học tập và làm theo Bác"]),
    ("Công khai", ["Công khai ngân sách", "Dự toán", "Quyết toán", "Thống kê", "Niên giám thống kê"]),
]
LINKED_SITES = ["Cổng thông tin điện tử Chính phủ", "Cổng Dịch vụ công quốc gia", "Cổng thông tin điện tử Hà Nội",
                "Thành ủy Hà Nội", "HĐND thành phố Hà Nội", "Báo Hà Nội Mới", "Báo Kinh tế & Đô thị",
                "Đài Phát thanh và Truyền hình Hà Nội", "Sở Tư pháp Hà Nội", "Sở Tài chính Hà Nội",
                "Sở Xây dựng Hà Nội", "Sở Giáo dục và Đào tạo Hà Nội", "Sở Y tế Hà Nội", "Sở Văn hóa và Thể thao Hà Nội",
                "Sở Khoa học và Công nghệ Hà Nội", "Sở Nông nghiệp và Môi trường Hà Nội", "Sở Nội vụ Hà Nội",
                "Công an thành phố Hà Nội", "Bộ Tư lệnh Thủ đô", "Thanh tra thành phố", "Cục Thuế Hà Nội",
                "Bảo hiểm xã hội Hà Nội", "Liên đoàn Lao động thành phố", "Thành đoàn Hà Nội", "Hội Liên hiệp Phụ nữ Hà Nội",
                "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"]
DOC_KINDS = [("Quyết định", "QĐ-UBND"), ("Kế hoạch", "KH-UBND"), ("Thông báo", "TB-UBND"), ("Công văn", "UBND-VP"),
             ("Chỉ thị", "CT-UBND"), ("Báo cáo", "BC-UBND")]
DOC_SUBJECTS = ["triển khai công tác chuyển đổi số năm", "kiện toàn Ban Chỉ đạo phòng, chống thiên tai",
                "tổ chức các hoạt động kỷ niệm ngày thành lập", "ban hành quy chế làm việc",
                "tăng cường công tác bảo đảm trật tự an toàn giao thông", "thực hiện công tác cải cách hành chính",
                "phê duyệt danh sách hộ nghèo, hộ cận nghèo", "công khai dự toán ngân sách"]


def _markup(plan: FamilyPlan) -> tuple[str, str]:
    """The markup furniture every page carries: top bar and mega menu, then service boxes, the latest
    documents, a linked-sites select, the footer's link columns and the visitor counter."""
    rng = random.Random(plan.seed + 7)
    prefix = "/web/guest" if plan.family == "liferay" else ""
    ext = ".htm" if plan.family == "hanoicms" else ""

    def href(*names: str) -> str:
        return prefix + "".join("/" + unit_slug(n) for n in names) + ext

    menu = []
    for heading, items in MENU:
        subs = "".join(f'<li class="mega-item"><a href="{href(heading, item)}" title="{esc(item)}">'
                       f'<span class="mega-text">{esc(item)}</span></a></li>' for item in items)
        menu.append(f'<li class="mega-col"><a class="mega-head" href="{href(heading)}"><span>{esc(heading)}</span></a>'
                    f'<div class="mega-drop"><ul class="mega-list">{subs}</ul></div></li>')
    top = f"""<div id="top-bar" class="top-bar"><div class="wrap"><ul class="top-links">
<li><a href="{href('so-do-cong')}">Sơ đồ cổng</a></li><li><a href="{href('rss')}">RSS</a></li>
<li><a href="{href('huong-dan-su-dung')}">Hướng dẫn sử dụng</a></li><li><a href="{href('english')}" lang="en">English</a></li></ul>
<div class="today-line">Hà Nội, hôm nay</div></div></div>
<div id="mega-menu" class="mega-menu" role="navigation"><div class="wrap"><ul class="mega-root">{"".join(menu)}</ul></div></div>"""
    services = "".join(f'<li class="svc-item"><a href="{href("dich-vu", name)}"><img alt="" src="/static/icons/svc-{i}.png" />'
                       f'<span>{esc(name)}</span></a></li>'
                       for i, name in enumerate(["Dịch vụ công trực tuyến", "Tra cứu hồ sơ", "Lịch tiếp công dân",
                                                 "Hỏi đáp trực tuyến", "Phản ánh kiến nghị", "Đường dây nóng",
                                                 "Đánh giá sự hài lòng", "Thư điện tử công vụ"]))
    docs = []
    for i in range(10):
        kind, code = rng.choice(DOC_KINDS)
        number = rng.randint(100, 9999)
        docs.append(f'<li class="doc-row"><a class="doc-no" href="{href("van-ban", f"{number} {code}")}">{kind} số '
                    f'{number}/{code}</a><span class="doc-issued">Ban hành {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/'
                    f'{rng.randint(2019, 2025)}</span><p class="doc-subject">Về việc {rng.choice(DOC_SUBJECTS)} '
                    f'{rng.randint(2019, 2025)}</p></li>')
    options = "".join(f'<option value="https://{unit_slug(name).replace("-", "")[:24]}.hanoi.gov.vn">{esc(name)}</option>'
                      for name in LINKED_SITES)
    columns = "".join(f'<div class="foot-col"><h4>{esc(heading)}</h4><ul>'
                      + "".join(f'<li><a href="{href(heading, item)}">{esc(item)}</a></li>' for item in items[:5])
                      + "</ul></div>" for heading, items in MENU[:6])
    bottom = f"""<div id="service-boxes" class="service-boxes"><div class="wrap">
<div class="svc-box"><h3 class="svc-title">Dịch vụ công</h3><ul class="svc-list">{services}</ul></div>
<div class="svc-box doc-box"><h3 class="svc-title">Văn bản mới</h3><ul class="doc-list">{"".join(docs)}</ul>
<a class="doc-more" href="{href('van-ban')}">Xem tất cả văn bản</a></div>
<div class="svc-box"><h3 class="svc-title">Liên kết website</h3><select class="linked-sites" onchange="window.open(this.value)">
<option value="">-- Chọn website --</option>{options}</select></div>
<div class="svc-box banners"><a href="https://dichvucong.gov.vn/"><img alt="Cổng Dịch vụ công quốc gia" src="/static/banners/dvc.jpg" /></a>
<a href="https://hanoi.gov.vn/"><img alt="Cổng thông tin điện tử Hà Nội" src="/static/banners/hanoi.jpg" /></a>
<a href="{href('chuyen-doi-so')}"><img alt="Chuyển đổi số" src="/static/banners/cds.jpg" /></a></div>
</div></div>
<div id="site-footer" class="site-footer"><div class="wrap foot-cols">{columns}</div>
<div class="wrap foot-info"><p>{esc(plan.name)}</p><p>Cơ quan chủ quản: {esc(plan.owner)}</p>
<p>Địa chỉ: {rng.randint(1, 200)} phố {rng.choice(DONGDA_WARDS)}, Hà Nội. Điện thoại: 024.3{rng.randint(1000000, 9999999)}</p>
<p class="visits">Đang truy cập: {rng.randint(20, 900)} | Tổng lượt truy cập: {rng.randint(1_000_000, 90_000_000):,}</p></div></div>"""
    return top, bottom


def furniture(plan: FamilyPlan, sections: list[SectionPlan]) -> tuple[bytes, bytes, bytes]:
    """(head, top of body, end of body) furniture of every page of the site."""
    if plan.family == "liferay":
        head, tail = _liferay_furniture(plan, sections)
    else:
        head, tail = _news_furniture(plan, sections, CDN if plan.family == "hanoicms" else FILES.split("/thanhuy")[0])
    top, bottom = _markup(plan)
    return head.encode("utf-8"), top.encode("utf-8"), (bottom + "\n" + tail).encode("utf-8")


def _dress(page: bytes, chrome: tuple[bytes, bytes, bytes], path: str) -> bytes:
    head, top, tail = chrome
    mark = path.strip("/").encode("utf-8")
    page = page.replace(b"</head>", head.replace(b"__PAGE__", mark) + b"\n</head>", 1)
    body = page.index(b">", page.index(b"<body")) + 1
    page = page[:body] + b"\n" + top + page[body:]
    return page.replace(b"</body>", tail + b"\n</body>", 1)


# ---- rendering ------------------------------------------------------------------------------
def _renderer(plan: FamilyPlan, sections: list[SectionPlan], current: SectionPlan,
              articles: list[MirrorArticle]) -> MirrorSite:
    """The mirror's own site class for the family, over one section's articles."""
    menu = [*sections[:MENU_SECTIONS], *([current] if current not in sections[:MENU_SECTIONS] else [])]
    common = dict(slug=plan.slug, name=plan.name, owner=plan.owner, scheme=plan.scheme, host=plan.host,
                  sections={s.path: s.name for s in menu}, articles=articles)
    if plan.family == "liferay":
        return LiferaySite(url_form="view_content", instance=LIFERAY_INSTANCE, **common)
    if plan.family == "thanhuy":
        return ThanhUySite(units={s.path.rsplit("/", 1)[-1]: (s.name, s.level) for s in sections}, **common)
    return HanoiCmsSite(api_values=None, html_pager=True, **common)


def _listing_pages(site: MirrorSite, plan: FamilyPlan, path: str):
    """(page number, bytes) of every listing page of a section."""
    render = site.render_category if plan.family == "hanoicms" else site.render_listing
    for page in range(1, site.last_page(path) + 1):
        yield page, render(path, page)


def _listing_url(site: MirrorSite, plan: FamilyPlan, path: str, page: int) -> str:
    if plan.family == "liferay":
        return site.listing_url(path, page)
    return f"{site.base}{path}" + (f"?page={page}" if page > 1 else "")


@dataclass
class ScaledMirror:
    """A built tree: ``root/sites/<host>/…`` (what nginx serves), ``registry.toml``, ``urls-<slug>.txt``,
    ``manifest.json``."""

    root: Path
    manifest: dict = field(default_factory=dict)

    @property
    def sites_dir(self) -> Path:
        return self.root / "sites"

    @property
    def registry(self) -> Path:
        return self.root / "registry.toml"

    @property
    def slugs(self) -> list[str]:
        return list(self.manifest["sites"])

    def listing_urls(self, slug: str) -> list[str]:
        return (self.root / f"listings-{slug}.txt").read_text(encoding="utf-8").split()

    def article_urls(self, slug: str) -> list[str]:
        return (self.root / f"articles-{slug}.txt").read_text(encoding="utf-8").split()

    def urls(self, slug: str) -> list[str]:
        """Every page of a site a full crawl fetches: listing pages, then article pages."""
        return self.listing_urls(slug) + self.article_urls(slug)

    def new_ids(self) -> list[str]:
        return [f"{slug}:{i}" for slug, site in self.manifest["sites"].items() for i in site["new_ids"]]

    @property
    def pages(self) -> int:
        return sum(s["article_pages"] + s["listing_pages"] for s in self.manifest["sites"].values())

    @property
    def articles(self) -> int:
        return sum(s["article_pages"] for s in self.manifest["sites"].values())

    def article_files(self, per_family: int) -> list[tuple[str, str, Path]]:
        """(slug, url, file) of ``per_family`` article pages per site, spread evenly over the site."""
        out = []
        for slug in self.manifest["sites"]:
            articles = self.article_urls(slug)
            step = max(1, len(articles) // per_family)
            for url in articles[::step][:per_family]:
                out.append((slug, url, url_file(self.sites_dir, url)))
        return out


def expected_records(mirror: ScaledMirror) -> dict[str, dict]:
    """article URL -> the record a correct extraction gives (the renderers' ground truth), for the whole tree."""
    out = {}
    plans = site_plans(len(mirror.manifest["sites"]))
    n, new, count = mirror.manifest["n"], mirror.manifest["new"], len(plans)
    for i, plan in enumerate(plans):
        sections, articles, _ = _family_articles(plan, n // count + (i < n % count), new // count + (i < new % count))
        site = _renderer(plan, sections, sections[0], articles)
        out.update((site.article_url(a), site.expected_record(a)) for a in articles)
    return out


def url_file(sites_dir: Path, url: str) -> Path:
    parts = urlsplit(url)
    return sites_dir / parts.hostname / parts.path.lstrip("/")


def source_hash() -> str:
    digest = hashlib.sha256(str(VERSION).encode())
    here = Path(__file__).parent
    for name in SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path(tempfile.gettempdir()) / "wardcrawl-bench")


def _build_site(plan: FamilyPlan, count: int, new: int, work: Path) -> tuple[dict, dict, list[SectionPlan]]:
    """One site's pages under ``work/sites/<host>/`` and its URL lists; (manifest entry, page sizes, sections)."""
    sections, articles, new_ids = _family_articles(plan, count, new)
    chrome = furniture(plan, sections)
    host_dir = work / "sites" / plan.host
    host_dir.mkdir(parents=True, exist_ok=True)
    (host_dir / "robots.txt").write_text(DEFAULT_ROBOTS, encoding="utf-8")
    by_section: dict[str, list[MirrorArticle]] = {}
    for a in articles:
        by_section.setdefault(a.section_path, []).append(a)
    listing_urls, article_urls = [], []
    sizes: dict[str, list[int]] = {"article": [], "listing": []}
    made_dirs: set[Path] = set()
    for section in sections:
        site = _renderer(plan, sections, section, by_section.get(section.path, []))
        section_dir = host_dir / section.path.lstrip("/")
        section_dir.mkdir(parents=True, exist_ok=True)
        for page, body in _listing_pages(site, plan, section.path):
            body = _dress(body, chrome, section.path)
            (section_dir / LISTING_FILE.format(page=page)).write_bytes(body)
            listing_urls.append(_listing_url(site, plan, section.path, page))
            sizes["listing"].append(len(body))
        for a in site.articles:
            url = site.article_url(a)
            path = urlsplit(url).path
            target = host_dir / path.lstrip("/")
            if target.parent not in made_dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(target.parent)
            page = _dress(site.render_article(a), chrome, path)
            target.write_bytes(page)
            article_urls.append(url)
            sizes["article"].append(len(page))
    (work / f"listings-{plan.slug}.txt").write_text("\n".join(listing_urls) + "\n", encoding="utf-8")
    (work / f"articles-{plan.slug}.txt").write_text("\n".join(article_urls) + "\n", encoding="utf-8")
    entry = {"family": plan.family, "host": plan.host, "scheme": plan.scheme, "url_shape": plan.url_shape,
             "sections": len(sections), "article_pages": len(article_urls), "listing_pages": len(listing_urls),
             "new_ids": new_ids}
    return entry, sizes, sections


def build(n: int, new: int = 0, cache: Path | None = None, log=None, sites: int = len(FAMILIES)) -> ScaledMirror:
    """The tree for ``n`` articles (+ ``new`` newer ones) over ``sites`` sites (``site_plans``), built once
    and then found in the cache."""
    cache = Path(cache or cache_dir())
    stamp = source_hash()
    plans = site_plans(sites)
    root = cache / (f"scaled-{stamp}-n{n}-k{new}" + (f"-s{len(plans)}" if len(plans) != len(FAMILIES) else ""))
    manifest_path = root / "manifest.json"
    if manifest_path.exists():
        return ScaledMirror(root, json.loads(manifest_path.read_text(encoding="utf-8")))
    cache.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix=root.name + ".", dir=cache))
    manifest = {"version": VERSION, "source": stamp, "n": n, "new": new, "sites": {}}
    sizes = {"article": [], "listing": []}
    all_sections: dict[str, list[SectionPlan]] = {}
    count = len(plans)
    jobs = [(plan, n // count + (i < n % count), new // count + (i < new % count), work)
            for i, plan in enumerate(plans)]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = pool.starmap(_build_site, jobs)
    else:
        done = [_build_site(*job) for job in jobs]
    for plan, (entry, site_sizes, sections) in zip(plans, done):
        manifest["sites"][plan.slug] = entry
        all_sections[plan.slug] = sections
        for kind, values in site_sizes.items():
            sizes[kind] += values
    manifest["bytes"] = {kind: {"mean": round(sum(v) / len(v)), "min": min(v), "max": max(v)}
                         for kind, v in sizes.items() if v}
    manifest["build_seconds"] = round(time.monotonic() - started, 1)
    (work / "registry.toml").write_text(registry_toml(all_sections, plans), encoding="utf-8")
    (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    _open_up(work)
    if root.exists():
        shutil.rmtree(root)
    os.replace(work, root)
    if log:
        log(f"built scaled mirror n={n} new={new}: {manifest['bytes']} in {manifest['build_seconds']} s -> {root}")
    return ScaledMirror(root, manifest)


def prune_cache(cache: Path | None = None) -> list[Path]:
    """Remove trees built by other versions of the generator or renderers (never served again)."""
    cache = Path(cache or cache_dir())
    stamp = source_hash()
    stale = [p for p in cache.glob("scaled-*") if not p.name.startswith(f"scaled-{stamp}-")]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def _open_up(path: Path) -> None:
    """World-readable, so nginx workers running as another user can serve it."""
    path.chmod(0o755)
    parent = path.parent
    while parent != parent.parent:
        try:
            parent.chmod(parent.stat().st_mode | 0o055)
        except PermissionError:
            break
        if parent == Path(tempfile.gettempdir()):
            break
        parent = parent.parent


def registry_toml(sections_by_slug: dict[str, list[SectionPlan]], plans=FAMILIES) -> str:
    """Registry entries for the scaled sites (point WARDCRAWL_REGISTRY at it): no code change."""
    out = ["# The scaled mirror's sites (mirror/scaled.py), for the benchmarks only.\n"]
    for plan in plans:
        sections = sections_by_slug[plan.slug]
        out.append(f"[{plan.slug}]")
        out.append(f'name = "{plan.name}"\nlevel = "{plan.level}"')
        if plan.parent:
            out.append(f'parent = "{plan.parent}"')
        out.append(f'family = "{plan.family}"\nscheme = "{plan.scheme}"\nhost = "{plan.host}"')
        if plan.family == "liferay":
            out.append('url_shape = "friendly"')
        out.append("sections = [")
        for s in sections:
            level = f', level = "{s.level}"' if s.level else ""
            out.append(f'  {{ path = "{s.path}", name = "{s.name}"{level} }},')
        out.append("]\n")
    return "\n".join(out)


# ---- serving ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_nginx(install: bool = True, log=None) -> str | None:
    """nginx from PATH or /usr/sbin; installed from Debian's packages when missing and we are root."""
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    if install and os.geteuid() == 0 and shutil.which("apt-get"):
        if log:
            log("nginx not found: apt-get install nginx-light")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "install", "-y", "-qq", "nginx-light"], ["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "nginx-light"]):
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if os.access("/usr/sbin/nginx", os.X_OK):
                return "/usr/sbin/nginx"
    return None


def server_description(log=None) -> str:
    """Which server StaticServer will use: 'nginx/1.22.1 (/usr/sbin/nginx)', or the Python fallback."""
    nginx = find_nginx(log=log)
    if not nginx:
        return "Python http.server (nginx unavailable: it may be the bottleneck)"
    version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
    return f"{version.split(':', 1)[-1].strip() or 'nginx'} ({nginx})"


NGINX_CONF = """daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile {nofile};
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections {connections}; }}
http {{
  types {{ text/html html htm; text/plain txt; image/jpeg jpg; }}
  default_type application/octet-stream;
  charset utf-8;
  charset_types text/html text/plain;
  log_format bench '$host\\t$request_method\\t$request_uri\\t$status\\t$body_bytes_sent';
  access_log {work}/access.log bench;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  open_file_cache max={file_cache} inactive=120s;
  server_tokens off;
  {temp_paths}
  map $arg_page $page_q {{ default 1; "~^[0-9]+$" $arg_page; }}
  map $arg__101_INSTANCE_{instance}_cur $page_lr {{ default 1; "~^[0-9]+$" $arg__101_INSTANCE_{instance}_cur; }}
{servers}
  server {{ listen 127.0.0.1:{port} default_server; return 502; }}
}}
"""
SERVER_BLOCK = """  server {{
    listen 127.0.0.1:{port};
    server_name {host};
    root {root};
    location / {{ try_files $uri/__p{page_var}.html $uri =404; }}
  }}"""


def nginx_limits(nofile: int | None = None) -> dict[str, int]:
    """nginx's descriptor budget fitted to the machine's ``ulimit -n`` (soft): cached open files plus two
    descriptors per connection stay under it, with room for logs and listeners. Above the limit nginx
    answers 404 when a file cannot be opened (the 50,000-article bench lost two thirds of its pages so)."""
    if nofile is None:
        nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        nofile = 1 << 20 if nofile == resource.RLIM_INFINITY else nofile
    budget = max(64, nofile - 64)
    connections = max(16, min(4096, budget // 4))
    return {"nofile": nofile, "connections": connections,
            "file_cache": max(16, min(100_000, budget - 2 * connections))}


class StaticServer:
    """The scaled tree over HTTP on 127.0.0.1: nginx (one process, no daemon) or, failing that, Python."""

    def __init__(self, mirror: ScaledMirror, work: Path, log=None):
        self.mirror, self.work, self.log = mirror, Path(work), log
        self.work.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.kind = ""
        self.is_nginx = False
        self.access_log = self.work / "access.log"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> StaticServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        nginx = None if os.environ.get("BENCH_SERVER") == "python" else find_nginx(log=self.log)
        if nginx:
            self._start_nginx(nginx)
        else:
            self._start_python()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                errors = self.work / "error.log"
                detail = errors.read_text(errors="replace")[-2000:] if errors.exists() else ""
                raise RuntimeError(f"{self.kind} exited at start: {detail}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.kind} did not start listening on {self.address}")

    def _start_nginx(self, nginx: str) -> None:
        version = subprocess.run([nginx, "-V"], capture_output=True, text=True).stderr
        temp = [f"client_body_temp_path {self.work}/body;"]
        for module in ("proxy", "fastcgi", "uwsgi", "scgi"):
            if f"--without-http_{module}_module" not in version:
                temp.append(f"{module}_temp_path {self.work}/{module};")
        servers = "\n".join(SERVER_BLOCK.format(
            port=self.port, host=site["host"], root=self.mirror.sites_dir / site["host"],
            page_var="$page_lr" if site["family"] == "liferay" else "$page_q")
            for site in self.mirror.manifest["sites"].values())
        conf = self.work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(work=self.work, port=self.port, servers=servers, temp_paths=" ".join(temp),
                                          instance=LIFERAY_INSTANCE, **nginx_limits()), encoding="utf-8")
        self.access_log.write_text("")
        self.process = subprocess.Popen([nginx, "-p", str(self.work), "-e", str(self.work / "error.log"), "-c", str(conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.kind = version.splitlines()[0].split(":", 1)[-1].strip() if version else "nginx"
        self.is_nginx = True

    def _start_python(self) -> None:
        self.access_log.write_text("")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mirror.scaled", "--serve", str(self.mirror.root), "--port", str(self.port),
             "--access-log", str(self.access_log)],
            cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.DEVNULL)
        self.kind = "python http.server (nginx unavailable: may be the bottleneck)"

    def cpu_seconds(self) -> float:
        """User + system CPU the server process has used so far."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return float("nan")

    def requests(self) -> int:
        """Requests served so far (lines of the access log)."""
        with self.access_log.open("rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT if self.is_nginx else signal.SIGTERM)  # nginx: graceful
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _serve_python(root: Path, port: int, access_log: Path) -> None:
    """Fallback server with nginx's mapping (try_files $uri/__pN.html $uri)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qsl

    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    families = {s["host"]: s["family"] for s in manifest["sites"].values()}
    log = access_log.open("a", encoding="utf-8", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            host = self.headers.get("Host", "").split(":")[0].lower()
            target = urlsplit(self.path)
            params = dict(parse_qsl(target.query))
            key = f"_101_INSTANCE_{LIFERAY_INSTANCE}_cur" if families.get(host) == "liferay" else "page"
            page = params.get(key, "1")
            page = page if page.isdigit() else "1"
            base = (root / "sites" / host / target.path.lstrip("/")).resolve()
            status, body = 404, b"not found"
            if host in families and str(base).startswith(str(root.resolve())):
                for candidate in (base / LISTING_FILE.format(page=page), base):
                    if candidate.is_file():
                        status, body = 200, candidate.read_bytes()
                        break
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8" if target.path.endswith(".txt")
                             else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            log.write(f"{host}\tGET\t{self.path}\t{status}\t{len(body)}\n")

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build (or find) the scaled mirror, or serve it without nginx.")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=0)
    parser.add_argument("--sites", type=int, default=len(FAMILIES), help="sites (3 families; more: site_plans)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--access-log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        _serve_python(args.serve, args.port, args.access_log)
        return
    mirror = build(args.n, args.new, log=lambda m: print(m, file=sys.stderr), sites=args.sites)
    print(json.dumps({k: v for k, v in mirror.manifest.items()}, ensure_ascii=False, indent=1))
    print(mirror.root)


if __name__ == "__main__":
    main()
