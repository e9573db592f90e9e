"""The new hanoi.gov.vn CMS for the mirror: category pages, the AJAX listing, article pages.

Category pages show the first page of items and a ``div#box-news-zone`` with the AJAX
listing's parameters; ``POST /api/NewsZone/NewsZone`` returns further pages as HTML
fragments. Past the last page a portal answers either an empty fragment (``api_end =
"empty"``) or its last page again (``"repeat"``). ``flaky_pages`` fail once with a 503
(transient trouble a retry rides through); ``broken_pages`` always fail with a 500.
A site built with ``api=False`` serves plain ``?page=N`` listings instead.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from mirror.base import MirrorSite, Page, esc
from mirror.corpus import MirrorArticle

PAGE_SIZE = 6
API_PATH = "/api/NewsZone/NewsZone"
CDN = "https://ubnd-hanoi.mediacdn.vn"


class HanoiCmsSite(MirrorSite):
    def __init__(self, *, site_id: str, zones: dict[str, str], api: bool = True, api_end: str = "empty",
                 flaky_pages: frozenset = frozenset(), broken_pages: frozenset = frozenset(), **common):
        super().__init__(**common)
        self.site_id = site_id
        self.zones = zones  # section path -> zone id
        self.api, self.api_end = api, api_end
        self.flaky_pages = set(flaky_pages)  # (section path, page): fail once
        self.broken_pages = broken_pages  # (section path, page): always fail

    # ---- URLs and ground truth ---------------------------------------------------------
    def article_url(self, a: MirrorArticle, variant: str = "standard") -> str:
        return f"{self.base}{a.section_path}/{a.url_title}-{a.entry_id}.htm"

    def expected_record(self, a: MirrorArticle) -> dict:
        expected = super().expected_record(a)
        return {**expected, "lead": expected["body_paragraphs"][0], "body_paragraphs": expected["body_paragraphs"][1:],
                "published_raw": f"{a.time} {a.day:%d/%m/%Y}", "keywords": a.keywords}

    def last_page(self, path: str) -> int:
        return max(1, -(-len(self.in_section(path)) // PAGE_SIZE))

    def page_items(self, path: str, page: int) -> list[MirrorArticle]:
        return self.in_section(path)[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]

    # ---- routing -----------------------------------------------------------------------
    def claims(self, path: str) -> bool:
        return True

    def handle(self, host: str, path: str, query: str, body: bytes | None = None) -> Page:
        common = self.common_page(path)
        if common:
            return common
        if path == API_PATH:
            return self._api(parse_qs((body or b"").decode("utf-8")))
        if path == "/":
            return Page(200, self._shell(self.name, self._list(self.articles[:8])))
        if path in self.sections:
            page = parse_qs(query).get("page", ["1"])[0]
            return Page(200, self.render_category(path, int(page) if page.isdigit() else 1))
        section, _, leaf = path.rpartition("/")
        entry = leaf.rsplit("-", 1)[-1].removesuffix(".htm")
        article = self.by_id.get(int(entry)) if entry.isdigit() and leaf.endswith(".htm") else None
        if article is None or article.section_path != section:
            return Page(404, self._shell("Không tìm thấy", "<p>Trang không tồn tại.</p>"))
        return Page(200, self.render_article(article))

    def _api(self, form: dict[str, list[str]]) -> Page:
        zone = form.get("ZoneId", [""])[0]
        path = next((p for p, z in self.zones.items() if z == zone), None)
        page = form.get("PageIndex", ["1"])[0]
        if path is None or not page.isdigit():
            return Page(400, b"bad request", "text/plain")
        page = int(page)
        if (path, page) in self.broken_pages:
            return Page(500, b"Internal Server Error", "text/plain")
        if (path, page) in self.flaky_pages:
            self.flaky_pages.discard((path, page))
            return Page(503, b"Service Unavailable", "text/plain")
        if page > self.last_page(path) and self.api_end == "repeat":
            page = self.last_page(path)
        return Page(200, self._list(self.page_items(path, page)).encode("utf-8"))

    # ---- pages -------------------------------------------------------------------------
    def _list(self, items: list[MirrorArticle]) -> str:
        return "".join(
            f'<div class="box-stream-item"><a class="box-stream-link-title" href="{esc(self.article_url(a))}" '
            f'title="{esc(a.title)}">{esc(a.title)}</a><span class="time">{a.time} {a.day:%d/%m/%Y}</span>'
            f'<p class="sapo">{esc(a.paragraphs[0][:180])}</p></div>' for a in items)

    def render_category(self, path: str, page: int) -> bytes:
        name = self.sections[path]
        items = self.page_items(path, page if not self.api else 1)
        if self.api:
            more = (f'<div id="box-news-zone" data-zone="{self.zones[path]}" data-size="{PAGE_SIZE}" '
                    f'data-site="{self.site_id}"></div><a class="btn-viewmore" href="javascript:;">Xem thêm</a>')
        else:
            active = ' class="active"'
            links = "".join(f'<a href="{path}?page={n}"{active if n == page else ""}>{n}</a>'
                            for n in range(1, self.last_page(path) + 1))
            more = f'<div class="paging">{links}</div>'
        return self._shell(name, f'<h1 class="cate-title">{esc(name)}</h1><div class="list-news">{self._list(items)}'
                                 f"</div>{more}").encode("utf-8")

    def render_article(self, a: MirrorArticle) -> bytes:
        blocks = [f"<p>{esc(p)}</p>" for p in a.paragraphs[1:]]
        figures = [f'<figure class="VCSortableInPreviewMode" type="Photo"><div><img src="{esc(src)}" alt="" /></div>'
                   + (f'<figcaption class="PhotoCMS_Caption"><p>{esc(cap)}</p></figcaption>' if cap else "")
                   + "</figure>" for src, cap in a.images]
        if a.gallery_intro:
            blocks += [f"<p><b>{esc(a.gallery_intro)}</b></p>", *figures]
        else:
            blocks[a.photo_after - 1:a.photo_after - 1] = figures
        related = [o for o in self.in_section(a.section_path) if o.entry_id != a.entry_id][:4]
        tags = ", ".join(f'<a href="/tag/{esc(k.replace(" ", "-"))}.htm">{esc(k)}</a>' for k in a.keywords)
        content = f"""<div class="detail-page" data-id="{a.entry_id}">
<div class="breadcrumb"><a href="{self.base}/">Trang chủ</a> <a class="active" href="{self.base}{a.section_path}">{esc(a.section_name)}</a></div>
<h1 class="detail-title">{esc(a.title)}</h1>
<div class="news-info"><span class="author">{esc(a.byline or "")}</span> <span class="time">{a.time} {a.day:%d/%m/%Y}</span></div>
<h2 class="detail-sapo">{esc(a.paragraphs[0])}</h2>
<div class="detail-content afcbc-body">
{chr(10).join(blocks)}
</div>
<div class="detail-tags"><span>Từ khóa:</span> {tags}</div>
<div class="share">Chia sẻ: <a href="https://www.facebook.com/sharer/sharer.php">Facebook</a> <a href="https://zalo.me/share">Zalo</a></div>
<div class="related"><h3>Tin liên quan</h3>{self._list(related)}</div>
</div>"""
        return self._shell(a.title, content).encode("utf-8")

    def _shell(self, title: str, main: str) -> str:
        menu = "".join(f'<li><a href="{self.base}{p}">{esc(n)}</a></li>' for p, n in self.sections.items())
        return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8" /><title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1" />
<link rel="stylesheet" href="{CDN}/static/css/main.min.css" /></head>
<body><header class="header"><a class="logo" href="{self.base}/"><img src="{CDN}/static/images/logo.png" alt="{esc(self.name)}" /></a>
<nav class="menu"><ul><li><a href="{self.base}/">Trang chủ</a></li>{menu}</ul></nav>
<form class="search" action="{self.base}/tim-kiem.htm"><input name="keywords" /></form></header>
<main class="main">{main}</main>
<footer class="footer"><p>Cơ quan chủ quản: {esc(self.owner)}</p>
<p>Ghi rõ nguồn "{esc(self.name)}" khi phát hành lại thông tin từ Cổng này.</p>
<a href="javascript:;" class="back-to-top">Lên đầu trang</a></footer></body></html>"""
