"""The new hanoi.gov.vn CMS for the mirror, built to the public evidence (docs/sites/hanoicms.md).

* Category pages show their first items as ``div.news-item[data-id]`` (a featured item, then
  the first page of the stream); a portal built with ``html_pager`` also prints ``?page=N``
  links (our guess, unverified: the pager of a category walked without the listing API).
* ``POST /api/NewsZone/NewsZone`` (form-encoded) answers an HTML fragment of ``news-item``s.
  ``Site``, ``LanguageId``, ``Catname`` and ``PageSize`` must be the portal's opaque values, or
  the answer is an empty (0-byte) body, as it is past the last page. ``PageIndex`` is 0-based;
  the ids in ``DataIds[]`` are left out of the answer (before paging: unverified).
* Fragment times: ``span.news-time[title="HH:MM, dd/mm/yyyy"]``, the text sometimes relative
  ("8 giờ trước"). Hrefs are root-relative.
* Article pages: ``div.news-detail`` (or, with ``older_layout``, the ``div.detail-page`` the
  mirror used before), ``h1`` inside it, body ``div.detail-content.afcbc-body``, time in
  ``.news-info .time.detail-time``, "Từ khóa:" tags, ``link[rel=canonical]``, ``og:*`` and JSON-LD
  (``headline``, ``datePublished``). Some pages leave the visible time or the ``h1`` out (the
  JSON-LD then holds them), some wrap paragraphs across source lines (Word-pasted HTML), some
  print the "Từ khóa:" label decomposed with a no-break space.
* Some articles also answer under a short (12-digit) id; their canonical link names the long one.

``flaky_pages`` (section path, PageIndex) fail once with a 503; ``broken_pages`` always with a 500.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timedelta
from urllib.parse import parse_qs

from mirror.base import MirrorSite, Page, esc
from mirror.corpus import MirrorArticle

PAGE_SIZE = 4  # items per stream page (category page and API answer)
FEATURED = 1  # items in the category page's featured box
API_PATH = "/api/NewsZone/NewsZone"
CDN = "https://ubnd-hanoi.mediacdn.vn"  # the city portal's media host
WARD_CDN = "https://sqhx-hanoi.mediacdn.vn"  # the ward portals' media host
MIRROR_NOW = datetime(2025, 11, 12, 9, 0)  # the mirror's "now" for relative listing times
EMPTY = Page(200, b"", "text/html; charset=utf-8")


class HanoiCmsSite(MirrorSite):
    def __init__(self, *, api_values: dict[str, str] | None, section_api: dict[str, dict[str, str]] | None = None,
                 html_pager: bool = False, older_layout: bool = False, short_ids: bool = False,
                 flaky_pages: frozenset = frozenset(), broken_pages: frozenset = frozenset(), **common):
        super().__init__(**common)
        self.api_values = api_values or {}  # Site, LanguageId
        self.section_api = section_api or {}  # section path -> Catname, PageSize
        self.html_pager, self.older_layout = html_pager, older_layout
        self.flaky_pages = set(flaky_pages)  # (section path, PageIndex): fail once
        self.broken_pages = broken_pages  # (section path, PageIndex): always fail
        self.index = {a.entry_id: n for n, a in enumerate(self.articles)}
        # Every fourth article also answers under a 12-digit id (ward ids start "28", like the real ones).
        self.short_ids = {a.entry_id: int(f"28{a.entry_id % 10**10:010d}") for a in self.articles
                          if short_ids and self.index[a.entry_id] % 4 == 1}
        self.by_short = {short: long for long, short in self.short_ids.items()}

    @property
    def api(self) -> bool:
        return bool(self.api_values)

    # ---- URLs and ground truth ---------------------------------------------------------
    def article_url(self, a: MirrorArticle, variant: str = "standard") -> str:
        entry = self.short_ids[a.entry_id] if variant == "short" else a.entry_id
        base = f"{self.scheme}://{variant[5:]}" if variant.startswith("host:") else self.base  # an alias host
        return f"{base}{a.section_path}/{a.url_title}-{entry}.htm"

    def variant(self, a: MirrorArticle, name: str) -> bool:
        """Which page shapes an article shows (fixed by its position, so every run serves the same bytes)."""
        n = self.index.get(a.entry_id, 0)
        return {"jsonld_time": n % 5 == 3, "jsonld_title": n % 7 == 4 and not self.older_layout,
                "wrapped": n % 4 == 2, "odd_label": n % 4 == 3, "relative_time": n % 3 == 0}[name]

    def expected_record(self, a: MirrorArticle) -> dict:
        expected = super().expected_record(a)
        quality, published_raw, precision = [], f"{a.time} {a.day:%d/%m/%Y}", "minute"
        if self.variant(a, "jsonld_time"):
            quality, published_raw, precision = ["published_from_jsonld"], a.published_at, "second"
        if self.variant(a, "jsonld_title"):
            quality = sorted({*quality, "title_from_jsonld"})
        return {**expected, "lead": expected["body_paragraphs"][0], "body_paragraphs": expected["body_paragraphs"][1:],
                "published_raw": published_raw, "published_precision": precision, "quality": quality,
                "keywords": a.keywords}

    def stream(self, path: str) -> list[MirrorArticle]:
        return self.in_section(path)[FEATURED:]

    def last_page(self, path: str) -> int:
        """The last ``?page=N`` of a category (its featured item and stream, PAGE_SIZE at a time)."""
        return max(1, -(-len(self.stream(path)) // PAGE_SIZE))

    def page_items(self, path: str, page: int) -> list[MirrorArticle]:
        """What category page ``?page=N`` shows: page 1 its featured item, then the stream page."""
        featured = self.in_section(path)[:FEATURED] if page == 1 else []
        return featured + self.stream(path)[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]

    def api_items(self, path: str, page_index: int, data_ids: set[str]) -> list[MirrorArticle]:
        remaining = [a for a in self.in_section(path) if str(a.entry_id) not in data_ids]
        return remaining[page_index * PAGE_SIZE: (page_index + 1) * PAGE_SIZE]

    def section_of_form(self, form: dict[str, list[str]]) -> str | None:
        """The section an API request's opaque values name; None when any of them is wrong or missing."""
        value = {k: v[0] for k, v in form.items() if v}
        if not self.api or any(value.get(k) != v for k, v in self.api_values.items()):
            return None
        return next((p for p, fields in self.section_api.items()
                     if all(value.get(k) == v for k, v in fields.items())), None)

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
            return Page(200, self._shell(self.name, self._list(self.articles[:8])).encode("utf-8"))
        if path in self.sections:
            page = parse_qs(query).get("page", ["1"])[0] if self.html_pager else "1"
            return Page(200, self.render_category(path, int(page) if page.isdigit() else 1))
        section, _, leaf = path.rpartition("/")
        entry = leaf.rsplit("-", 1)[-1].removesuffix(".htm")
        key = int(entry) if entry.isdigit() and leaf.endswith(".htm") else None
        article = self.by_id.get(self.by_short.get(key, key))
        if article is None or article.section_path != section:
            return Page(404, self._shell("Không tìm thấy", "<p>Trang không tồn tại.</p>").encode("utf-8"))
        return Page(200, self.render_article(article))

    def _api(self, form: dict[str, list[str]]) -> Page:
        path = self.section_of_form(form)
        page = form.get("PageIndex", [""])[0]
        if path is None or not page.isdigit():
            return EMPTY  # wrong or missing values: what the portal answers past the end too
        page = int(page)
        if (path, page) in self.broken_pages:
            return Page(500, b"Internal Server Error", "text/plain")
        if (path, page) in self.flaky_pages:
            self.flaky_pages.discard((path, page))
            return Page(503, b"Service Unavailable", "text/plain")
        items = self.api_items(path, page, set(form.get("DataIds[]", [])))
        return Page(200, self._list(items).encode("utf-8")) if items else EMPTY

    # ---- pages -------------------------------------------------------------------------
    def _time_text(self, a: MirrorArticle) -> str:
        if self.variant(a, "relative_time"):
            hours = max(1, int((MIRROR_NOW - datetime.combine(a.day, datetime.min.time())) / timedelta(hours=1)))
            return f"{hours} giờ trước" if hours < 24 else f"{hours // 24} ngày trước"
        return f"{a.time} {a.day:%d/%m/%Y}"

    def _list(self, items: list[MirrorArticle], linked=None) -> str:
        """``news-item``s as the API answers them (root-relative hrefs); ``linked`` maps an article to another URL."""
        out = []
        for a in items:
            href = (linked or {}).get(a.entry_id) or self.article_url(a).removeprefix(self.base)
            image = a.images[0][0] if a.images else f"{self.cdn}/thumb/{a.entry_id}.jpg"
            out.append(
                f'<div class="news-item" data-id="{a.entry_id}"><div class="news-image"><a href="{esc(href)}" '
                f'title="{esc(a.title)}"><img src="{esc(image)}" alt="{esc(a.title)}" /></a></div>'
                f'<div class="news-info"><a href="{esc(href)}" title="{esc(a.title)}"><h3 class="news-title">'
                f'{esc(a.title)}</h3></a><span class="news-time" title="{a.time}, {a.day:%d/%m/%Y}">'
                f'{self._time_text(a)}</span><p class="news-sapo">{esc(a.paragraphs[0][:180])}</p></div></div>')
        return "".join(out)

    @property
    def cdn(self) -> str:
        return CDN if self.host.count(".") == 2 else WARD_CDN

    def render_category(self, path: str, page: int) -> bytes:
        name = self.sections[path]
        items = self.page_items(path, page)
        featured, stream = items[:FEATURED] if page == 1 else [], items[FEATURED:] if page == 1 else items
        pager = ""
        if self.html_pager:
            active = ' class="active"'
            links = "".join(f'<a href="{path}?page={n}"{active if n == page else ""}>{n}</a>'
                            for n in range(1, self.last_page(path) + 1))
            pager = f'<div class="paging">{links}</div>'
        more = '<a class="btn-viewmore" href="javascript:;">Xem thêm</a>' if self.api else ""
        return self._shell(name, f'<h1 class="cate-title">{esc(name)}</h1><div class="box-featured">'
                                 f'{self._list(featured)}</div><div class="list-news">{self._list(stream)}</div>'
                                 f"{pager}{more}").encode("utf-8")

    def _body(self, a: MirrorArticle) -> list[str]:
        def paragraph(text: str) -> str:
            if not self.variant(a, "wrapped"):
                return f"<p>{esc(text)}</p>"
            words, lines, line = text.split(" "), [], []
            for word in words:  # Word-pasted HTML: the source wraps inside a paragraph
                line.append(word)
                if sum(len(w) + 1 for w in line) > 60:
                    lines.append(" ".join(line))
                    line = []
            return '<p class="MsoNormal">' + "\r\n".join(esc(ln) for ln in [*lines, " ".join(line)] if ln) + "</p>"

        blocks = [paragraph(p) for p in a.paragraphs[1:]]
        figures = [f'<figure class="VCSortableInPreviewMode" type="Photo"><div><img src="{esc(src)}" alt="" /></div>'
                   + (f'<figcaption class="PhotoCMS_Caption"><p>{esc(cap)}</p></figcaption>' if cap else "")
                   + "</figure>" for src, cap in a.images]
        if a.gallery_intro:
            blocks += [f"<p><b>{esc(a.gallery_intro)}</b></p>", *figures]
        else:
            blocks[a.photo_after - 1:a.photo_after - 1] = figures
        return blocks

    def _related(self, a: MirrorArticle) -> str:
        """"Tin liên quan": other articles, some under their short id or another host of the portal."""
        related = [o for o in self.in_section(a.section_path) if o.entry_id != a.entry_id][:4]
        linked = {o.entry_id: self.article_url(o, "short") for o in related if o.entry_id in self.short_ids}
        for alias, o in zip(self.aliases, [o for o in related if o.entry_id not in linked]):
            linked[o.entry_id] = self.article_url(o).replace(f"://{self.host}/", f"://{alias}/", 1)
        return self._list(related, linked)

    def render_article(self, a: MirrorArticle) -> bytes:
        stamp = f"{a.time} {a.day:%d/%m/%Y}"
        time = "" if self.variant(a, "jsonld_time") else f'<span class="time detail-time">{stamp}</span>'
        label = "Từ khóa:"
        if self.variant(a, "odd_label"):  # decomposed letters, a no-break space, a space before the colon
            label = unicodedata.normalize("NFD", "Từ\u00a0khóa :")
        tags = ", ".join(f'<a href="/tag/{esc(k.replace(" ", "-"))}.htm">{esc(k)}</a>' for k in a.keywords)
        title = "" if self.variant(a, "jsonld_title") else f'<h1 class="detail-title">{esc(a.title)}</h1>'
        container = "detail-page" if self.older_layout else "news-detail"
        body_class = "detail-content afcbc-body" + ("" if self.older_layout else " clearfix")
        content = f"""<div class="{container}" data-id="{a.entry_id}">
<div class="breadcrumb"><a href="{self.base}/">Trang chủ</a> <a class="active" href="{self.base}{a.section_path}">{esc(a.section_name)}</a></div>
{title}
<div class="news-info"><span class="author">{esc(a.byline or "")}</span> {time}</div>
<h2 class="detail-sapo">{esc(a.paragraphs[0])}</h2>
<div class="{body_class}">
{chr(10).join(self._body(a))}
</div>
<div class="detail-tags"><span>{label}</span> {tags}</div>
<div class="share">Chia sẻ: <a href="https://www.facebook.com/sharer/sharer.php">Facebook</a> <a href="https://zalo.me/share">Zalo</a></div>
<div class="related"><h3>Tin liên quan</h3>{self._related(a)}</div>
</div>"""
        return self._shell(a.title, content, self._head(a)).encode("utf-8")

    def _head(self, a: MirrorArticle) -> str:
        url = self.article_url(a)
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
              "datePublished": a.published_at if a.time != "00:00" else a.day.isoformat(),
              "mainEntityOfPage": url, "publisher": {"@type": "Organization", "name": self.name}}
        image = a.images[0][0] if a.images else f"{self.cdn}/thumb/{a.entry_id}.jpg"
        return (f'<link rel="canonical" href="{esc(url)}" />\n<meta property="og:type" content="article" />\n'
                f'<meta property="og:title" content="{esc(a.title)}" />\n<meta property="og:url" content="{esc(url)}" />\n'
                f'<meta property="og:image" content="{esc(image)}" />\n'
                f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>\n')

    def _shell(self, title: str, main: str, head: str = "") -> str:
        menu = "".join(f'<li><a href="{self.base}{p}">{esc(n)}</a></li>' for p, n in self.sections.items())
        return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8" /><title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1" />
{head}<link rel="stylesheet" href="{self.cdn}/static/css/main.min.css" /></head>
<body><header class="header"><a class="logo" href="{self.base}/"><img src="{self.cdn}/static/images/logo.png" alt="{esc(self.name)}" /></a>
<nav class="menu"><ul><li><a href="{self.base}/">Trang chủ</a></li>{menu}</ul></nav>
<form class="search" action="{self.base}/tim-kiem.htm"><input name="keywords" /></form></header>
<main class="main">{main}</main>
<footer class="footer"><p>Cơ quan chủ quản: {esc(self.owner)}</p>
<p>Ghi rõ nguồn "{esc(self.name)}" khi phát hành lại thông tin từ Cổng này.</p>
<a href="javascript:;" class="back-to-top">Lên đầu trang</a></footer></body></html>"""

