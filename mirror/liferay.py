"""Liferay 6.2 portals for the mirror: asset publisher listings and full content, in the
markup of Liferay's own templates (mirror/liferay_markup.py) inside the district themes'
chrome (date line, view counter, galleries, "Tin khác": sites.md).

One ``LiferaySite`` per portal. Its options are the shapes the real portals differ in:
- ``url_form``: how article links are written: "params" (portlet parameters), "view_content"
  (``/-/view_content/<id>-<slug>.html``) or "asset_publisher" (6.2's friendly routes
  ``/-/asset_publisher/<instance>/content/<urlTitle>``);
- ``instance``: the section publisher's instance id (namespace ``_101_INSTANCE_<id>_``), or ""
  for the default ``_101_``;
- ``listing_style``: "abstracts", "title-list" or "table" (the 6.2 display styles);
- ``sidebar_publisher``: the instance id of a publisher of abstracts in a column *before* the
  section's own publisher, on every page (each abstract has its own ``div.asset-content``).
Related assets and the discussion follow each article, as full_content.jsp orders them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from mirror import liferay_markup as markup
from mirror.base import MirrorSite, Page, esc
from mirror.corpus import MirrorArticle

PAGE_SIZE = 5
SIDEBAR_SIZE = 3
P_P_VIEW = [("p_p_lifecycle", "0"), ("p_p_state", "normal"), ("p_p_mode", "view")]
VIEW_CONTENT = "/asset_publisher/view_content"
FRIENDLY_ARTICLE = re.compile(r"^(/[^/]+)/-/view_content/(\d+)-[^/]*\.html$")
ASSET_PUBLISHER_ARTICLE = re.compile(
    r"^(/[^/]+)/-/asset_publisher/([A-Za-z0-9]+)/content/(?:id/(\d+)|((?!id/)[^/]+)(?:/\d+)?)(/[a-z_]+)?$")
HN_ARTICLE = re.compile(r"^(/[^/]+)/-/hn/[^/]+/\d+/(\d+)/\d+/[^/]+\.html$")


@dataclass(frozen=True)
class View:
    """Which publisher shows the article, and in which window state."""
    portlet: str
    maximized: bool = False


class LiferaySite(MirrorSite):
    """One Liferay portal (host + aliases) serving a list of articles."""

    def __init__(self, *, url_form: str = "params", instance: str = "", view_label: str | None = "Lượt xem",
                 listing_style: str = "abstracts", listing_variant: str = "standard",
                 variant_entry_id: int | None = None, sidebar_publisher: str = "", media_base: str = "",
                 **common):
        super().__init__(**common)
        self.by_title = {a.url_title: a for a in self.articles}
        self.url_form = url_form
        self.shape = "friendly" if url_form == "view_content" else "asset_publisher"  # the registry's url_shape
        self.instance = instance
        self.portlet = f"101_INSTANCE_{instance}" if instance else "101"
        self.view_label = view_label
        self.listing_style = listing_style
        self.listing_variant = listing_variant
        self.variant_entry_id = variant_entry_id
        self.sidebar_publisher = sidebar_publisher
        self.media_base = media_base  # where the body's images are linked (badinh: https, page http)
        self.column = "column-2" if sidebar_publisher else "column-1"

    # ---- URLs -------------------------------------------------------------------------
    def _view_params(self, portlet: str, a: MirrorArticle, state: str = "normal") -> list[tuple[str, str]]:
        ns = f"_{portlet}_"
        return [("p_p_id", portlet), ("p_p_lifecycle", "0"), ("p_p_state", state), ("p_p_mode", "view"),
                ("p_p_col_id", self.column), ("p_p_col_count", "1"), (f"{ns}struts_action", VIEW_CONTENT),
                (f"{ns}assetEntryId", str(a.entry_id)), (f"{ns}type", "content"), (f"{ns}urlTitle", a.url_title)]

    def article_url(self, a: MirrorArticle, variant: str = "standard") -> str:
        page = f"{self.base}{a.section_path}"
        if variant == "action":  # an action URL (rating): must never be followed
            ns = f"_{self.portlet}_"
            params = [("p_p_id", self.portlet), ("p_p_lifecycle", "1"), ("p_p_state", "normal"),
                      (f"{ns}struts_action", "/asset_publisher/rate_entry"), (f"{ns}assetEntryId", str(a.entry_id))]
            return f"{page}?{urlencode(params)}"
        if self.url_form == "view_content":
            return f"{page}/-/view_content/{a.entry_id}-{a.url_title}.html"
        if variant == "related":  # asset_links/page.jsp: portlet 101, maximized, redirect, urlTitle
            params = self._view_params("101", a, "maximized")
            params.insert(7, ("_101_redirect", page))
            return f"{page}?{urlencode(params)}&inheritRedirect=true"
        if self.url_form == "asset_publisher":
            friendly = f"{page}/-/asset_publisher/{self.instance}/content/"
            if variant == "by-id":
                return f"{friendly}id/{a.entry_id}"
            if variant == "maximized":
                return f"{friendly}{a.url_title}/maximized"
            if variant == "redirect":  # as abstracts link with viewInContext (unverified on these hosts)
                return f"{friendly}{a.url_title}?{urlencode([('inheritRedirect', 'false'), ('redirect', page)])}"
            if variant == "http":  # an absolute link written with the other scheme
                return f"{friendly}{a.url_title}".replace(f"{self.scheme}://", "http://" if self.scheme == "https" else "https://", 1)
            return f"{friendly}{a.url_title}"
        params = self._view_params(self.portlet, a)
        if variant == "maximized":  # another parameter order and p_p_state value
            params = list(reversed(params))
            params[params.index(("p_p_state", "normal"))] = ("p_p_state", "maximized")
        elif variant == "alias":
            alias_host, prefix = next(iter(self.aliases.items()))
            page = f"{self.scheme}://{alias_host}{prefix}{a.section_path}"
        elif variant == "viewmode":  # no assetEntryId: the article is found by its urlTitle
            ns = f"_{self.portlet}_"
            params = [("p_p_id", self.portlet), *P_P_VIEW, (f"{ns}viewMode", "view"), (f"{ns}urlTitle", a.url_title)]
        return f"{page}?{urlencode(params)}"

    def listing_url(self, path: str, cur: int) -> str:
        """search_paginator/page.jsp: the iterator URL (resetCur=false, cur removed) + ``<ns>cur=N``."""
        if cur == 1:
            return f"{self.base}{path}"
        ns = f"_{self.portlet}_"
        params = [("p_p_id", self.portlet), *P_P_VIEW, ("p_p_col_id", self.column), ("p_p_col_count", "1"),
                  (f"{ns}delta", str(PAGE_SIZE)), (f"{ns}keywords", ""), (f"{ns}advancedSearch", "false"),
                  (f"{ns}andOperator", "true"), (f"{ns}resetCur", "false"), (f"{ns}cur", str(cur))]
        return f"{self.base}{path}?{urlencode(params)}"

    def canonical_url(self, a: MirrorArticle) -> str:
        if self.shape != "asset_publisher":
            return self.article_url(a)
        return (f"{self.base}{a.section_path}?p_p_id=101&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view"
                f"&_101_struts_action=%2Fasset_publisher%2Fview_content&_101_assetEntryId={a.entry_id}&_101_type=content")

    # ---- routing ----------------------------------------------------------------------
    def find_article(self, path: str, params: dict[str, str]) -> tuple[str, MirrorArticle | None, View] | None:
        """(section path, article, view) when the URL asks for an article; None for other pages."""
        match = FRIENDLY_ARTICLE.match(path)
        if match:
            return match.group(1), self.by_id.get(int(match.group(2))), View(self.portlet)
        match = ASSET_PUBLISHER_ARTICLE.match(path)
        if match:
            section, instance, entry, title, state = match.groups()
            found = self.by_id.get(int(entry)) if entry else self.by_title.get(title)
            return section, found, View(f"101_INSTANCE_{instance}", state == "/maximized")
        portlet = params.get("p_p_id", "")
        ns = f"_{portlet}_"
        if portlet.startswith("101") and (f"{ns}assetEntryId" in params or f"{ns}urlTitle" in params):
            entry = params.get(f"{ns}assetEntryId", "")
            found = self.by_id.get(int(entry)) if entry.isdigit() else self.by_title.get(params.get(f"{ns}urlTitle", ""))
            return path, found, View(portlet, params.get("p_p_state") == "maximized")
        return None

    def handle(self, host: str, path: str, query: str, body: bytes | None = None) -> Page:
        prefix = self.aliases.get(host, "")
        if prefix and path.startswith(prefix):
            path = path[len(prefix):] or "/"
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        common = self.common_page(path)
        if common:
            return common
        if params.get("p_p_lifecycle") == "1":  # an action: Liferay acts, then redirects
            return Page(302, b"", location=f"{self.base}/")
        if path == "/":
            return Page(200, self.render_home())
        found = self.find_article(path, params)
        if found is not None:
            section, article, view = found
            if article is None or section not in self.sections:
                return Page(404, self.render_shell("Không tìm thấy", "<p>Nội dung không tồn tại.</p>"))
            return Page(200, self.render_article(article, view))
        if path not in self.sections:
            return Page(404, self.render_shell("Không tìm thấy trang", "<p>Trang không tồn tại.</p>"))
        cur = next((v for k, v in params.items() if k.endswith("cur")), "1")
        return Page(200, self.render_listing(path, int(cur) if cur.isdigit() else 1))

    # ---- ground truth -----------------------------------------------------------------
    def date_line(self, a: MirrorArticle) -> str:
        line = f"Ngày đăng {a.day:%d/%m/%Y} | {a.time}"
        if a.view_count is not None and self.view_label:
            line += f"\u00a0 | {self.view_label}: {a.view_count}"
        return line

    def published_raw(self, a: MirrorArticle) -> str:
        return f"Ngày đăng {a.day:%d/%m/%Y} | {a.time}"

    def expected_record(self, a: MirrorArticle) -> dict:
        return {**super().expected_record(a), "canonical_url": self.canonical_url(a),
                "published_raw": self.published_raw(a), "view_count": a.view_count if self.view_label else None}

    # ---- pages ------------------------------------------------------------------------
    def last_page(self, path: str) -> int:
        return max(1, -(-len(self.in_section(path)) // PAGE_SIZE))

    def _entry(self, a: MirrorArticle, variant: str) -> markup.Entry:
        summary = a.paragraphs[0][:200].rsplit(" ", 1)[0] + "..."  # StringUtil.shorten(abstractLength=200)
        return markup.Entry(self.article_url(a, variant), a.title, a.day, summary,
                            a.images[0][0] if a.images else None)

    def render_listing(self, path: str, cur: int) -> bytes:
        """asset_publisher/view.jsp: subscribe/RSS, the display style, then the paginator when
        the section has more items than the page shows."""
        items = self.in_section(path)
        last = self.last_page(path)
        cur = min(max(cur, 1), last)  # Liferay clamps an out-of-range page
        shown = items[(cur - 1) * PAGE_SIZE: cur * PAGE_SIZE]
        content = self._rss(path) + self.render_items(shown)
        if len(items) > len(shown):
            content += markup.page_iterator(f"_{self.portlet}_", cur, last, len(items), PAGE_SIZE,
                                            lambda n: self.listing_url(path, n))
        return self.render_shell(self.sections[path], markup.portlet(self.portlet, self.sections[path], content))

    def render_items(self, articles: list[MirrorArticle]) -> str:
        """Listing items of ``articles`` in the site's display style (the fault mirror adds some)."""
        return markup.LISTING_STYLES[self.listing_style]([self._entry(a, self.listing_variant) for a in articles])

    def _rss(self, path: str) -> str:
        """view.jsp's subscribe-action with liferay-ui:rss: a resource URL (p_p_lifecycle=2), never an article."""
        if self.url_form == "asset_publisher":
            url = f"{self.base}{path}/-/asset_publisher/{self.instance}/rss"
        else:
            ns = f"_{self.portlet}_"
            url = (f"{self.base}{path}?" + urlencode([("p_p_id", self.portlet), ("p_p_lifecycle", "2"),
                   ("p_p_state", "normal"), ("p_p_mode", "view"), ("p_p_cacheability", "cacheLevelPage"),
                   (f"{ns}struts_action", "/asset_publisher/rss")]))
        return f'<div class="subscribe-action"><span class="taglib-rss"><a href="{esc(url)}" target="_blank">RSS</a></span></div>'

    @staticmethod
    def _text_fn(a: MirrorArticle):
        return (lambda s: unicodedata.normalize("NFD", s)) if a.nfd else (lambda s: s)

    def body_blocks(self, a: MirrorArticle) -> list[str]:
        text = self._text_fn(a)
        paragraphs = [esc(text(p)) for p in a.paragraphs]
        if a.br_paragraphs and len(paragraphs) >= 3:  # two paragraphs in one <p>, split by <br>
            paragraphs[1:3] = [f"{paragraphs[1]}<br />\n{paragraphs[2]}"]
        blocks = [f'<p style="text-align: justify;">{p}</p>' for p in paragraphs]
        if a.date_in_body:
            blocks.insert(0, f"<p><em>{esc(self.date_line(a))}</em></p>")
        gallery = [f"<p><strong>{esc(text(a.gallery_intro))}</strong></p>"] if a.gallery_intro else []
        for src, caption in a.images:
            link = f"{self.media_base}{src}" if src.startswith("/") else src
            img = f'<p style="text-align: center;"><img alt="" src="{esc(link)}" style="width: 600px; height: 400px;" /></p>'
            cap = f'<p style="text-align: center;"><em>{esc(text(caption))}</em></p>' if caption else ""
            if a.gallery_intro:
                gallery.append(img + cap)
            else:  # a single photo stands between the paragraphs
                blocks.insert(min(a.photo_after + a.date_in_body, len(blocks)), img + cap)
        blocks += gallery
        if a.byline:
            blocks.append(f'<p style="text-align: right;"><strong>{esc(a.byline)}</strong></p>')
        if a.print_links_in_body:
            blocks.append('<p><a href="javascript:window.print()">In bài viết</a> | '
                          '<a href="javascript:history.back()">Quay lại</a></p>')
        return blocks

    def _related(self, a: MirrorArticle) -> list[tuple[str, str]]:
        """Two related assets (liferay-ui:asset-links), from elsewhere on the site."""
        index = next((i for i, o in enumerate(self.articles) if o.entry_id == a.entry_id), 0)
        picks = {self.articles[(index + step) % len(self.articles)].entry_id: None for step in (7, 13)}
        return [(self.article_url(self.by_id[e], "related"), self.by_id[e].title) for e in picks if e != a.entry_id]

    def render_article(self, a: MirrorArticle, view: View | None = None) -> bytes:
        """view_content.jsp > full_content.jsp, with the theme's date line and "Tin khác" list."""
        view = view or View(self.portlet)
        ns = f"_{view.portlet}_"
        text = self._text_fn(a)
        date_div = "" if a.date_in_body else f'<div class="asset-publish-date">{esc(self.date_line(a))}</div>'
        others = [o for o in self.in_section(a.section_path) if o.entry_id != a.entry_id][:5]
        if a.section_path != "/tintuccacdonvi" and self.variant_entry_id in self.by_id and self.aliases:
            others.append(self.by_id[self.variant_entry_id])  # reached via the alias host
        more = "".join(
            f'<li><a href="{esc(self.article_url(o, "alias" if o.entry_id == self.variant_entry_id and self.aliases else self.listing_variant))}">'
            f'{esc(o.title)}</a> <span class="date">({o.day:%d/%m/%Y})</span></li>' for o in others)
        page = f"{self.base}{a.section_path}"
        discuss = f"{page}?" + urlencode([("p_p_id", view.portlet), ("p_p_lifecycle", "1"), ("p_p_state", "normal"),
                                          ("p_p_mode", "view"), (f"{ns}struts_action", "/asset_publisher/edit_entry_discussion")])
        content = f"""<div>{markup.header(text(a.title), self.listing_url(a.section_path, 1), ns)}
<div class="asset-full-content show-asset-title">
<div class="asset-user-actions"><div class="print-action"><span class=""><a class=" taglib-icon" href="javascript:{ns}printPage_0();"><img src="/html/themes/classic/images/common/print.png" alt="" /><span class="taglib-text ">In <span class="hide-accessible">{esc(text(a.title))}</span></span></a></span></div>
<div class="font-size">Xem với cỡ chữ <a href="javascript:;" class="font-minus">A-</a> <a href="javascript:;" class="font-plus">A+</a></div></div>
{date_div}
<div class="asset-content" id="{ns}{a.entry_id}">
<div class="journal-content-article">
{chr(10).join(self.body_blocks(a))}
</div>
{markup.ratings(self.article_url(a, "action"))}
<br />
{markup.asset_links(self._related(a))}
<br />
{markup.discussion(ns, a.entry_id + 1, discuss, f"{self.base}/c/portal/login?p_l_id=10180")}
</div>
<div class="asset-metadata"><span class="metadata-entry metadata-author">Quản trị viên</span></div>
</div></div>
<div class="assetmore"><h2>Tin khác</h2><ul>{more}</ul></div>"""
        return self.render_shell(text(a.title), markup.portlet(view.portlet, a.section_name, content), view)

    def render_home(self) -> bytes:
        parts = []
        for path, name in self.sections.items():
            links = "".join(f'<li><a href="{esc(self.article_url(a))}">{esc(a.title)}</a></li>'
                            for a in self.in_section(path)[:4])
            parts.append(markup.portlet(self.portlet, name, f"<ul>{links}</ul>"))
        return self.render_shell(self.name, "\n".join(parts))

    def _sidebar_publisher(self) -> str:
        """Another asset publisher showing the site's newest abstracts, ahead of the section's own."""
        newest = sorted(self.articles, key=lambda a: (a.day, a.time), reverse=True)[:SIDEBAR_SIZE]
        variant = "redirect" if self.url_form == "asset_publisher" else "standard"
        abstracts = "\n".join(markup.abstract(self._entry(a, variant)) for a in newest)
        return markup.portlet(f"101_INSTANCE_{self.sidebar_publisher}", "Tin mới", abstracts)

    def _sidebar(self) -> str:
        """The theme's own boxes (not portlets; unverified markup)."""
        picks = self.articles[:: max(1, len(self.articles) // 3)][:3]
        ticker = ""
        if self.variant_entry_id in self.by_id:
            v = self.by_id[self.variant_entry_id]
            picks = [v, *picks]
            if self.shape == "asset_publisher":  # the urlTitle-only variant, as some themes print it
                ticker = f'<div class="hot-news"><a href="{esc(self.article_url(v, "viewmode"))}">{esc(v.title)}</a></div>'
        items = "".join(f'<li><a href="{esc(self.article_url(a, "maximized"))}">{esc(a.title)}</a></li>' for a in picks)
        return f"""<aside class="sidebar">{ticker}
<div class="box tin-noi-bat"><h2>Tin nổi bật</h2><ul>{items}</ul></div>
<div class="box lien-ket"><h2>Liên kết website</h2><ul>
<li><a href="http://hanoi.gov.vn/">Cổng Giao tiếp điện tử Hà Nội</a></li>
<li><a href="https://chinhphu.vn/" target="_blank">Cổng thông tin điện tử Chính phủ</a></li>
<li><a href="http://192.168.1.10/intranet">Mạng nội bộ</a></li>
<li><a href="file:///C:/Tai%20lieu/huong-dan.doc">Hướng dẫn sử dụng</a></li>
</ul></div></aside>"""

    def _columns(self, main: str, view: View | None) -> str:
        if not self.sidebar_publisher:
            return (f'<div class="portlet-column portlet-column-first span9" id="column-1">{main}</div>\n'
                    f'<div class="portlet-column portlet-column-last span3">{self._sidebar()}</div>')
        # A maximized portlet is shown alone: no other publisher on the page.
        publisher = "" if view and view.maximized else self._sidebar_publisher()
        return (f'<div class="portlet-column portlet-column-first span3" id="column-1">{publisher}{self._sidebar()}</div>\n'
                f'<div class="portlet-column portlet-column-last span9" id="column-2">{main}</div>')

    def render_shell(self, title: str, main: str, view: View | None = None) -> bytes:
        menu = "".join(f'<li><a href="{esc(self.listing_url(p, 1))}"><span>{esc(n)}</span></a></li>'
                       for p, n in self.sections.items())
        page = f"""<!DOCTYPE html>
<html class="aui ltr" dir="ltr" lang="vi-VN">
<head><title>{esc(title)} - {esc(self.name)}</title>
<meta content="text/html; charset=UTF-8" http-equiv="content-type" />
<link href="/html/themes/{self.slug}-theme/css/main.css" rel="stylesheet" type="text/css" />
<script src="/html/js/barebone.jsp?browserId=other&amp;themeId={self.slug}" type="text/javascript"></script>
</head>
<body class="yui3-skin-sam controls-visible guest-site signed-out public-page site">
<div id="wrapper" class="container-fluid">
<header id="banner" role="banner"><div id="heading"><h1 class="site-title"><a class="logo" href="{self.base}/" title="{esc(self.name)}"><img alt="" src="/image/company_logo?img_id=10157" /></a>
<span class="site-name">{esc(self.name)}</span></h1></div>
<div class="top-links"><a href="javascript:void(0)">English</a> | <a href="mailto:vanphong@{self.host}">Liên hệ</a> |
<a href="{self.base}/c/portal/login?p_l_id=10180">Đăng nhập</a> |
<a href="{self.base}{next(iter(self.sections))}?p_p_id=58&amp;p_p_lifecycle=1&amp;p_p_state=normal&amp;_58_struts_action=%2Flogin%2Flogin">Đăng nhập nhanh</a></div>
<form action="{self.base}/tim-kiem" method="get"><input name="q" type="text" placeholder="Tìm kiếm..." /><input type="submit" value="Tìm" /></form>
<nav class="sort-pages modify-pages" id="navigation" role="navigation"><ul aria-label="Trang chủ" role="menubar">
<li><a href="{self.base}/"><span>Trang chủ</span></a></li>{menu}
<li><a href="{self.base}/gioi-thieu"><span>Giới thiệu</span></a></li></ul></nav></header>
<div id="content"><div class="columns-2" id="main-content" role="main"><div class="portlet-layout row-fluid">
{self._columns(main, view)}</div></div></div>
<footer id="footer" role="contentinfo"><p>Cơ quan chủ quản: {esc(self.owner)}</p>
<p>Điện thoại: 024.38271234 - Email: vanphong@{self.host}</p>
<p>Ghi rõ nguồn "{esc(self.name)}" khi phát hành lại thông tin từ website này.</p>
<p class="powered-by">Powered By <a href="http://www.liferay.com" rel="external">Liferay</a></p>
<a href="#wrapper" class="back-to-top">Về đầu trang</a></footer></div>
</body></html>"""
        return page.encode("utf-8")
