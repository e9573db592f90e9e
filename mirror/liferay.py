"""Liferay 6.2 page shapes for the mirror: asset publisher listings, full content, chrome.

Markup follows Liferay's asset_publisher JSPs and the Vietnamese district themes as far as
they are known (../shared/reference/sites.md); the odd cases the real sites show (NFD text,
a date line inside the body, print links, URL variants, action links) are all here.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from mirror.corpus import MirrorArticle

PAGE_SIZE = 5
P_P_VIEW = [("p_p_id", "101"), ("p_p_lifecycle", "0"), ("p_p_state", "normal"), ("p_p_mode", "view"),
            ("p_p_col_id", "column-1"), ("p_p_col_count", "1")]
TINY_JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


@dataclass(frozen=True)
class Page:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


def esc(text: str) -> str:
    return html.escape(text, quote=True)


class LiferaySite:
    """One Liferay portal (host + aliases) serving a list of articles."""

    def __init__(self, *, name: str, scheme: str, host: str, aliases: dict[str, str],
                 sections: dict[str, str], articles: list[MirrorArticle], variant_entry_id: int | None = None):
        self.name, self.scheme, self.host = name, scheme, host
        self.aliases = aliases  # alias host -> path prefix
        self.sections = sections  # path -> name
        self.articles = articles
        self.by_id = {a.entry_id: a for a in articles}
        self.by_title = {a.url_title: a for a in articles}
        self.variant_entry_id = variant_entry_id

    @property
    def hosts(self) -> list[str]:
        return [self.host, *self.aliases]

    # ---- URLs -------------------------------------------------------------------------
    def article_url(self, a: MirrorArticle, variant: str = "standard") -> str:
        params = [*P_P_VIEW, ("_101_struts_action", "/asset_publisher/view_content"),
                  ("_101_assetEntryId", str(a.entry_id)), ("_101_type", "content"),
                  ("_101_urlTitle", a.url_title)]
        base = f"{self.scheme}://{self.host}"
        if variant == "maximized":  # another parameter order and p_p_state value
            params = list(reversed(params))
            params[params.index(("p_p_state", "normal"))] = ("p_p_state", "maximized")
        elif variant == "alias":
            alias_host, prefix = next(iter(self.aliases.items()))
            base = f"{self.scheme}://{alias_host}{prefix}"
        elif variant == "viewmode":  # no assetEntryId: the article is found by its urlTitle
            params = [*P_P_VIEW, ("_101_viewMode", "view"), ("_101_urlTitle", a.url_title)]
        elif variant == "action":  # an action URL (rating): must never be followed
            params = [("p_p_id", "101"), ("p_p_lifecycle", "1"), ("p_p_state", "normal"),
                      ("_101_struts_action", "/asset_publisher/rate_entry"),
                      ("_101_assetEntryId", str(a.entry_id))]
        return f"{base}{a.section_path}?{urlencode(params)}"

    def listing_url(self, path: str, cur: int) -> str:
        if cur == 1:
            return f"{self.scheme}://{self.host}{path}"
        params = [*P_P_VIEW, ("_101_delta", str(PAGE_SIZE)), ("_101_keywords", ""),
                  ("_101_advancedSearch", "false"), ("_101_andOperator", "true"), ("_101_cur", str(cur))]
        return f"{self.scheme}://{self.host}{path}?{urlencode(params)}"

    # ---- routing ----------------------------------------------------------------------
    def handle(self, host: str, path: str, query: str) -> Page:
        prefix = self.aliases.get(host, "")
        if prefix and path.startswith(prefix):
            path = path[len(prefix):] or "/"
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        if path == "/robots.txt":
            return Page(200, ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
        if path.startswith("/documents/"):
            return Page(200, TINY_JPEG, "image/jpeg")
        if params.get("p_p_lifecycle") == "1":  # an action: Liferay acts, then redirects
            return Page(302, b"", location=f"{self.scheme}://{self.host}/")
        if path == "/":
            return Page(200, self.render_home())
        if path not in self.sections:
            return Page(404, self.render_shell("Không tìm thấy trang", "<p>Trang không tồn tại.</p>"))
        article = self.by_id.get(int(params["_101_assetEntryId"])) if params.get("_101_assetEntryId", "").isdigit() \
            else self.by_title.get(params.get("_101_urlTitle", ""))
        if article is not None:
            return Page(200, self.render_article(article))
        if "_101_assetEntryId" in params or "_101_urlTitle" in params:
            return Page(404, self.render_shell("Không tìm thấy", "<p>Nội dung không tồn tại.</p>"))
        return Page(200, self.render_listing(path, int(params.get("_101_cur", "1") or 1)))

    # ---- pages ------------------------------------------------------------------------
    def in_section(self, path: str) -> list[MirrorArticle]:
        return [a for a in self.articles if a.section_path == path]

    def render_listing(self, path: str, cur: int) -> bytes:
        items = self.in_section(path)
        last = max(1, -(-len(items) // PAGE_SIZE))
        cur = min(max(cur, 1), last)  # Liferay clamps an out-of-range page
        shown = items[(cur - 1) * PAGE_SIZE: cur * PAGE_SIZE]
        rows = "\n".join(self._abstract(a) for a in shown)
        start, end = (cur - 1) * PAGE_SIZE + 1, (cur - 1) * PAGE_SIZE + len(shown)
        pager = self._pager(path, cur, last)
        content = f"""<div class="asset-publisher-list">{rows}</div>
<div class="taglib-page-iterator"><div class="clearfix lfr-pagination">
<div class="lfr-pagination-config"><div class="lfr-pagination-page-selector">Trang {cur} / {last}</div></div>
<small class="search-results">Hiển thị {start} - {end} trên {len(items)} kết quả.</small>
{pager}</div></div>"""
        return self.render_shell(self.sections[path], self._portlet(self.sections[path], content))

    def _abstract(self, a: MirrorArticle) -> str:
        summary = a.paragraphs[0][:220].rsplit(" ", 1)[0] + " ..."
        thumb = f'<div class="asset-small-image"><img alt="" src="{esc(a.images[0][0])}" /></div>' if a.images else ""
        return f"""<div class="asset-abstract">{thumb}
<h3 class="asset-title"><a href="{esc(self.article_url(a))}">{esc(a.title)}</a></h3>
<div class="asset-summary">{esc(summary)}</div>
<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">{a.day:%d/%m/%Y}</span></div>
<div class="asset-more"><a href="{esc(self.article_url(a))}">Xem thêm <span class="hide-accessible">về {esc(a.title)}</span> »</a></div>
</div>"""

    def _pager(self, path: str, cur: int, last: int) -> str:
        def item(label: str, target: int, cls: str) -> str:
            if target < 1 or target > last or target == cur:
                return f'<li class="{cls} disabled"><a href="javascript:;">{label}</a></li>'
            return f'<li class="{cls}"><a href="{esc(self.listing_url(path, target))}">{label}</a></li>'
        numbers = "".join(item(str(n), n, "page") for n in range(1, last + 1))
        return (f'<ul class="pager lfr-pagination-buttons">{item("Đầu", 1, "first")}{item("← Trước", cur - 1, "previous")}'
                f'{numbers}{item("Tiếp →", cur + 1, "next")}{item("Cuối", last, "last")}</ul>')

    def render_article(self, a: MirrorArticle) -> bytes:
        text = (lambda s: unicodedata.normalize("NFD", s)) if a.nfd else (lambda s: s)
        blocks = [f'<p style="text-align: justify;">{esc(text(p))}</p>' for p in a.paragraphs]
        if a.date_in_body:
            blocks.insert(0, f"<p><em>{esc(a.date_line)}</em></p>")
        gallery = []
        if a.gallery_intro:
            gallery.append(f"<p><strong>{esc(text(a.gallery_intro))}</strong></p>")
        for src, caption in a.images:
            img = f'<p style="text-align: center;"><img alt="" src="{esc(src)}" style="width: 600px; height: 400px;" /></p>'
            cap = f'<p style="text-align: center;"><em>{esc(text(caption))}</em></p>' if caption else ""
            if a.gallery_intro:
                gallery.append(img + cap)
            else:  # a single photo stands between the first paragraphs
                blocks.insert(min(2, len(blocks)), img + cap)
        blocks += gallery
        if a.print_links_in_body:
            blocks.append('<p><a href="javascript:window.print()">In bài viết</a> | '
                          '<a href="javascript:history.back()">Quay lại</a></p>')
        date_div = "" if a.date_in_body else f'<div class="asset-publish-date">{esc(a.date_line)}</div>'
        others = [o for o in self.in_section(a.section_path) if o.entry_id != a.entry_id][:5]
        if a.section_path == "/vanhoa" and self.variant_entry_id in self.by_id:
            others.append(self.by_id[self.variant_entry_id])  # reached via the alias host
        more = "".join(
            f'<li><a href="{esc(self.article_url(o, "alias" if o.entry_id == self.variant_entry_id else "standard"))}">'
            f'{esc(o.title)}</a> <span class="date">({o.day:%d/%m/%Y})</span></li>' for o in others)
        content = f"""<div class="taglib-header">
<span class="header-back-to"><a class="icon-circle-arrow-left previous-level" href="{esc(self.listing_url(a.section_path, 1))}" title="Quay lại"><span class="helper-hidden-accessible">Quay lại</span></a></span>
<h1 class="header-title"><span>{esc(text(a.title))}</span></h1></div>
<div class="asset-full-content default-asset-publisher show-asset-title">
<div class="asset-user-actions"><div class="print-action"><span class="taglib-icon-help"><a href="javascript:window.print();" title="In"><img alt="In" src="/html/themes/classic/images/common/print.png" /> In</a></span></div>
<div class="font-size">Xem với cỡ chữ <a href="javascript:;" class="font-minus">A-</a> <a href="javascript:;" class="font-plus">A+</a></div></div>
{date_div}
<div class="asset-content" id="_101_{a.entry_id}">
<div class="journal-content-article">
{chr(10).join(blocks)}
</div>
<div class="asset-ratings"><div class="taglib-ratings stars"><a href="{esc(self.article_url(a, "action"))}">Đánh giá</a></div></div>
</div>
<div class="asset-metadata"><span class="metadata-entry metadata-author">Quản trị viên</span></div>
</div>
<div class="assetmore"><h2>Tin khác</h2><ul>{more}</ul></div>"""
        return self.render_shell(text(a.title), self._portlet(a.section_name, content))

    def render_home(self) -> bytes:
        parts = []
        for path, name in self.sections.items():
            links = "".join(f'<li><a href="{esc(self.article_url(a))}">{esc(a.title)}</a></li>'
                            for a in self.in_section(path)[:4])
            parts.append(self._portlet(name, f"<ul>{links}</ul>"))
        return self.render_shell(self.name, "\n".join(parts))

    @staticmethod
    def _portlet(title: str, content: str) -> str:
        return f"""<div class="portlet-boundary portlet-boundary_101_ portlet-asset-publisher" id="p_p_id_101_">
<section class="portlet" id="portlet_101"><header class="portlet-topper"><h1 class="portlet-title">
<span class="portlet-title-text">{esc(title)}</span></h1></header>
<div class="portlet-content"><div class="portlet-content-container">{content}</div></div></section></div>"""

    def _sidebar(self) -> str:
        picks = self.articles[:: max(1, len(self.articles) // 3)][:3]
        if self.variant_entry_id in self.by_id:
            picks = [self.by_id[self.variant_entry_id], *picks]
        items = "".join(f'<li><a href="{esc(self.article_url(a, "maximized"))}">{esc(a.title)}</a></li>' for a in picks)
        ticker = ""
        if self.variant_entry_id in self.by_id:  # the urlTitle-only variant, as some themes print it
            v = self.by_id[self.variant_entry_id]
            ticker = f'<div class="hot-news"><a href="{esc(self.article_url(v, "viewmode"))}">{esc(v.title)}</a></div>'
        return f"""<aside id="column-2" class="sidebar">{ticker}
<div class="box tin-noi-bat"><h2>Tin nổi bật</h2><ul>{items}</ul></div>
<div class="box lien-ket"><h2>Liên kết website</h2><ul>
<li><a href="http://hanoi.gov.vn/">Cổng Giao tiếp điện tử Hà Nội</a></li>
<li><a href="https://chinhphu.vn/" target="_blank">Cổng thông tin điện tử Chính phủ</a></li>
<li><a href="http://192.168.1.10/intranet">Mạng nội bộ</a></li>
<li><a href="file:///C:/Tai%20lieu/huong-dan.doc">Hướng dẫn sử dụng</a></li>
</ul></div></aside>"""

    def render_shell(self, title: str, main: str) -> bytes:
        menu = "".join(f'<li><a href="{esc(self.listing_url(p, 1))}"><span>{esc(n)}</span></a></li>'
                       for p, n in self.sections.items())
        page = f"""<!DOCTYPE html>
<html class="aui ltr" dir="ltr" lang="vi-VN">
<head><title>{esc(title)} - {esc(self.name)}</title>
<meta content="text/html; charset=UTF-8" http-equiv="content-type" />
<link href="/html/themes/longbien-theme/css/main.css" rel="stylesheet" type="text/css" />
<script src="/html/js/barebone.jsp?browserId=other&amp;themeId=longbien" type="text/javascript"></script>
</head>
<body class="yui3-skin-sam controls-visible guest-site signed-out public-page site">
<div id="wrapper" class="container-fluid">
<header id="banner" role="banner"><div id="heading"><h1 class="site-title"><a class="logo" href="{self.scheme}://{self.host}/" title="{esc(self.name)}"><img alt="" src="/image/company_logo?img_id=10157" /></a>
<span class="site-name">{esc(self.name)}</span></h1></div>
<div class="top-links"><a href="javascript:void(0)">English</a> | <a href="mailto:vanphong@longbien.hanoi.gov.vn">Liên hệ</a> |
<a href="{self.scheme}://{self.host}/c/portal/login?p_l_id=10180">Đăng nhập</a> |
<a href="{self.scheme}://{self.host}/tintuccacdonvi?p_p_id=58&amp;p_p_lifecycle=1&amp;p_p_state=normal&amp;_58_struts_action=%2Flogin%2Flogin">Đăng nhập nhanh</a></div>
<form action="{self.scheme}://{self.host}/tim-kiem" method="get"><input name="q" type="text" placeholder="Tìm kiếm..." /><input type="submit" value="Tìm" /></form>
<nav class="sort-pages modify-pages" id="navigation" role="navigation"><ul aria-label="Trang chủ" role="menubar">
<li><a href="{self.scheme}://{self.host}/"><span>Trang chủ</span></a></li>{menu}
<li><a href="{self.scheme}://{self.host}/gioi-thieu"><span>Giới thiệu</span></a></li></ul></nav></header>
<div id="content"><div class="columns-2" id="main-content" role="main"><div class="portlet-layout row-fluid">
<div class="portlet-column portlet-column-first span9" id="column-1">{main}</div>
<div class="portlet-column portlet-column-last span3">{self._sidebar()}</div></div></div></div>
<footer id="footer" role="contentinfo"><p>Cơ quan chủ quản: Ủy ban nhân dân quận Long Biên</p>
<p>Địa chỉ: Số 1 phố Vạn Hạnh, phường Việt Hưng, quận Long Biên, Hà Nội. Điện thoại: 024.38271234</p>
<p>Ghi rõ nguồn "Cổng thông tin điện tử quận Long Biên" khi phát hành lại thông tin từ website này.</p>
<p class="powered-by">Powered By <a href="http://www.liferay.com" rel="external">Liferay</a></p>
<a href="#wrapper" class="back-to-top">Về đầu trang</a></footer></div>
</body></html>"""
        return page.encode("utf-8")


ROBOTS_TXT = """User-agent: *
Disallow: /c/
Disallow: /tim-kiem
"""
