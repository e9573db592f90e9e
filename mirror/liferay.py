"""Liferay 6.x page shapes for the mirror: asset publisher listings, full content, chrome.

Markup follows Liferay's asset_publisher JSPs and the Vietnamese district themes as far as
they are known (../shared/reference/sites.md); the odd cases the real sites show (NFD text,
a date line inside the body, print links, URL variants, action links) are all here.
``LiferaySite`` serves the district and ward portals (asset publisher or friendly URLs);
``OldCityPortal`` the old hanoi.gov.vn with its own article template and page tail.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlencode

from mirror.base import MirrorSite, Page, esc
from mirror.corpus import MirrorArticle

PAGE_SIZE = 5
P_P_VIEW = [("p_p_lifecycle", "0"), ("p_p_state", "normal"), ("p_p_mode", "view"),
            ("p_p_col_id", "column-1"), ("p_p_col_count", "1")]
FRIENDLY_ARTICLE = re.compile(r"^(/[^/]+)/-/view_content/(\d+)-[^/]*\.html$")
HN_ARTICLE = re.compile(r"^(/[^/]+)/-/hn/[^/]+/\d+/(\d+)/\d+/[^/]+\.html$")


class LiferaySite(MirrorSite):
    """One Liferay portal (host + aliases) serving a list of articles."""

    shape = "asset_publisher"

    def __init__(self, *, friendly: bool = False, instance: str = "", view_label: str | None = "Lượt xem",
                 listing_variant: str = "standard", variant_entry_id: int | None = None, **common):
        super().__init__(**common)
        self.by_title = {a.url_title: a for a in self.articles}
        self.shape = "friendly" if friendly else self.shape
        self.portlet = f"101_INSTANCE_{instance}" if instance else "101"
        self.view_label = view_label
        self.listing_variant = listing_variant
        self.variant_entry_id = variant_entry_id

    # ---- URLs -------------------------------------------------------------------------
    def article_url(self, a: MirrorArticle, variant: str = "standard") -> str:
        if self.shape == "friendly" and variant != "action":
            return f"{self.base}{a.section_path}/-/view_content/{a.entry_id}-{a.url_title}.html"
        params = [("p_p_id", "101"), *P_P_VIEW, ("_101_struts_action", "/asset_publisher/view_content"),
                  ("_101_assetEntryId", str(a.entry_id)), ("_101_type", "content"),
                  ("_101_urlTitle", a.url_title)]
        base = self.base
        if variant == "maximized":  # another parameter order and p_p_state value
            params = list(reversed(params))
            params[params.index(("p_p_state", "normal"))] = ("p_p_state", "maximized")
        elif variant == "alias":
            alias_host, prefix = next(iter(self.aliases.items()))
            base = f"{self.scheme}://{alias_host}{prefix}"
        elif variant == "viewmode":  # no assetEntryId: the article is found by its urlTitle
            params = [("p_p_id", "101"), *P_P_VIEW, ("_101_viewMode", "view"), ("_101_urlTitle", a.url_title)]
        elif variant == "action":  # an action URL (rating): must never be followed
            params = [("p_p_id", "101"), ("p_p_lifecycle", "1"), ("p_p_state", "normal"),
                      ("_101_struts_action", "/asset_publisher/rate_entry"), ("_101_assetEntryId", str(a.entry_id))]
        return f"{base}{a.section_path}?{urlencode(params)}"

    def listing_url(self, path: str, cur: int) -> str:
        if cur == 1:
            return f"{self.base}{path}"
        ns = f"_{self.portlet}_"
        params = [("p_p_id", self.portlet), *P_P_VIEW, (f"{ns}delta", str(PAGE_SIZE)), (f"{ns}keywords", ""),
                  (f"{ns}advancedSearch", "false"), (f"{ns}andOperator", "true"), (f"{ns}cur", str(cur))]
        return f"{self.base}{path}?{urlencode(params)}"

    def canonical_url(self, a: MirrorArticle) -> str:
        if self.shape != "asset_publisher":
            return self.article_url(a)
        return (f"{self.base}{a.section_path}?p_p_id=101&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view"
                f"&_101_struts_action=%2Fasset_publisher%2Fview_content&_101_assetEntryId={a.entry_id}&_101_type=content")

    # ---- routing ----------------------------------------------------------------------
    def find_article(self, path: str, params: dict[str, str]) -> tuple[str, MirrorArticle | None] | None:
        """(section path, article) when the URL asks for an article; None for other pages."""
        match = FRIENDLY_ARTICLE.match(path)
        if match:
            return match.group(1), self.by_id.get(int(match.group(2)))
        if "_101_assetEntryId" in params or "_101_urlTitle" in params:
            entry = params.get("_101_assetEntryId", "")
            found = self.by_id.get(int(entry)) if entry.isdigit() else self.by_title.get(params.get("_101_urlTitle", ""))
            return path, found
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
            section, article = found
            if article is None or section not in self.sections:
                return Page(404, self.render_shell("Không tìm thấy", "<p>Nội dung không tồn tại.</p>"))
            return Page(200, self.render_article(article))
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

    def render_listing(self, path: str, cur: int) -> bytes:
        items = self.in_section(path)
        last = self.last_page(path)
        cur = min(max(cur, 1), last)  # Liferay clamps an out-of-range page
        shown = items[(cur - 1) * PAGE_SIZE: cur * PAGE_SIZE]
        rows = "\n".join(self._abstract(a) for a in shown)
        start, end = (cur - 1) * PAGE_SIZE + 1, (cur - 1) * PAGE_SIZE + len(shown)
        content = f"""<div class="asset-publisher-list">{rows}</div>
<div class="taglib-page-iterator"><div class="clearfix lfr-pagination">
<div class="lfr-pagination-config"><div class="lfr-pagination-page-selector">Trang {cur} / {last}</div></div>
<small class="search-results">Hiển thị {start} - {end} trên {len(items)} kết quả.</small>
{self._pager(path, cur, last)}</div></div>"""
        return self.render_shell(self.sections[path], self._portlet(self.sections[path], content))

    def _abstract(self, a: MirrorArticle) -> str:
        summary = a.paragraphs[0][:220].rsplit(" ", 1)[0] + " ..."
        url = esc(self.article_url(a, self.listing_variant))
        thumb = f'<div class="asset-small-image"><img alt="" src="{esc(a.images[0][0])}" /></div>' if a.images else ""
        return f"""<div class="asset-abstract">{thumb}
<h3 class="asset-title"><a href="{url}">{esc(a.title)}</a></h3>
<div class="asset-summary">{esc(summary)}</div>
<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">{a.day:%d/%m/%Y}</span></div>
<div class="asset-more"><a href="{url}">Xem thêm <span class="hide-accessible">về {esc(a.title)}</span> »</a></div>
</div>"""

    def _pager(self, path: str, cur: int, last: int) -> str:
        def item(label: str, target: int, cls: str) -> str:
            if target < 1 or target > last or target == cur:
                return f'<li class="{cls} disabled"><a href="javascript:;">{label}</a></li>'
            return f'<li class="{cls}"><a href="{esc(self.listing_url(path, target))}">{label}</a></li>'
        numbers = "".join(item(str(n), n, "page") for n in range(1, last + 1))
        return (f'<ul class="pager lfr-pagination-buttons">{item("Đầu", 1, "first")}{item("← Trước", cur - 1, "previous")}'
                f'{numbers}{item("Tiếp →", cur + 1, "next")}{item("Cuối", last, "last")}</ul>')

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
            img = f'<p style="text-align: center;"><img alt="" src="{esc(src)}" style="width: 600px; height: 400px;" /></p>'
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

    def render_article(self, a: MirrorArticle) -> bytes:
        text = self._text_fn(a)
        date_div = "" if a.date_in_body else f'<div class="asset-publish-date">{esc(self.date_line(a))}</div>'
        others = [o for o in self.in_section(a.section_path) if o.entry_id != a.entry_id][:5]
        if a.section_path != "/tintuccacdonvi" and self.variant_entry_id in self.by_id and self.aliases:
            others.append(self.by_id[self.variant_entry_id])  # reached via the alias host
        more = "".join(
            f'<li><a href="{esc(self.article_url(o, "alias" if o.entry_id == self.variant_entry_id and self.aliases else self.listing_variant))}">'
            f'{esc(o.title)}</a> <span class="date">({o.day:%d/%m/%Y})</span></li>' for o in others)
        content = f"""<div class="taglib-header">
<span class="header-back-to"><a class="icon-circle-arrow-left previous-level" href="{esc(self.listing_url(a.section_path, 1))}" title="Quay lại"><span class="helper-hidden-accessible">Quay lại</span></a></span>
<h1 class="header-title"><span>{esc(text(a.title))}</span></h1></div>
<div class="asset-full-content default-asset-publisher show-asset-title">
<div class="asset-user-actions"><div class="print-action"><span class="taglib-icon-help"><a href="javascript:window.print();" title="In"><img alt="In" src="/html/themes/classic/images/common/print.png" /> In</a></span></div>
<div class="font-size">Xem với cỡ chữ <a href="javascript:;" class="font-minus">A-</a> <a href="javascript:;" class="font-plus">A+</a></div></div>
{date_div}
<div class="asset-content" id="_{self.portlet}_{a.entry_id}">
<div class="journal-content-article">
{chr(10).join(self.body_blocks(a))}
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

    def _portlet(self, title: str, content: str) -> str:
        return f"""<div class="portlet-boundary portlet-boundary_101_ portlet-asset-publisher" id="p_p_id_{self.portlet}_">
<section class="portlet" id="portlet_{self.portlet}"><header class="portlet-topper"><h1 class="portlet-title">
<span class="portlet-title-text">{esc(title)}</span></h1></header>
<div class="portlet-content"><div class="portlet-content-container">{content}</div></div></section></div>"""

    def _sidebar(self) -> str:
        picks = self.articles[:: max(1, len(self.articles) // 3)][:3]
        ticker = ""
        if self.variant_entry_id in self.by_id:
            v = self.by_id[self.variant_entry_id]
            picks = [v, *picks]
            if self.shape == "asset_publisher":  # the urlTitle-only variant, as some themes print it
                ticker = f'<div class="hot-news"><a href="{esc(self.article_url(v, "viewmode"))}">{esc(v.title)}</a></div>'
        items = "".join(f'<li><a href="{esc(self.article_url(a, "maximized"))}">{esc(a.title)}</a></li>' for a in picks)
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
<div class="portlet-column portlet-column-first span9" id="column-1">{main}</div>
<div class="portlet-column portlet-column-last span3">{self._sidebar()}</div></div></div></div>
<footer id="footer" role="contentinfo"><p>Cơ quan chủ quản: {esc(self.owner)}</p>
<p>Điện thoại: 024.38271234 - Email: vanphong@{self.host}</p>
<p>Ghi rõ nguồn "{esc(self.name)}" khi phát hành lại thông tin từ website này.</p>
<p class="powered-by">Powered By <a href="http://www.liferay.com" rel="external">Liferay</a></p>
<a href="#wrapper" class="back-to-top">Về đầu trang</a></footer></div>
</body></html>"""
        return page.encode("utf-8")


# The captcha reload link, as the old city portal's server emits it: in a single-byte
# legacy encoding inside a UTF-8 page ('?' for every letter the charset lacks).
GARBLED_CAPTCHA = "Lấy lại mã bảo mật".encode("cp1252", errors="replace")
CAPTCHA_MARK = "\x00CAPTCHA\x00"


class OldCityPortal(LiferaySite):
    """hanoi.gov.vn before the new CMS: friendly /-/hn/ URLs, time in the title line, byline,
    captions between paragraphs, post lists, a comment form and a garbled captcha link."""

    shape = "hn_portal"
    PORTLET = "hnportal_WAR_hnportalportlet"

    def __init__(self, *, categories: dict[str, tuple[str, int]], **kwargs):
        super().__init__(view_label=None, **kwargs)
        self.categories = categories  # section path -> (code, category id)

    def claims(self, path: str) -> bool:
        return path == "/robots.txt" or path.startswith(("/documents/", *self.sections))

    def article_url(self, a: MirrorArticle, variant: str = "standard") -> str:
        code, category = self.categories[a.section_path]
        return f"{self.base}{a.section_path}/-/hn/{code}/{category}/{a.entry_id}/1/{a.url_title}.html"

    def listing_url(self, path: str, cur: int) -> str:
        if cur == 1:
            return f"{self.base}{path}"
        ns = f"_{self.PORTLET}_"
        params = [("p_p_id", self.PORTLET), ("p_p_lifecycle", "0"), ("p_p_state", "normal"), ("p_p_mode", "view"),
                  (f"{ns}cur", str(cur))]
        return f"{self.base}{path}?{urlencode(params)}"

    def find_article(self, path: str, params: dict[str, str]):
        match = HN_ARTICLE.match(path)
        return (match.group(1), self.by_id.get(int(match.group(2)))) if match else None

    def published_raw(self, a: MirrorArticle) -> str:
        return f"{a.time} {a.day:%d/%m/%Y}"

    def _abstract(self, a: MirrorArticle) -> str:
        return (f'<div class="news-item"><a class="title" href="{esc(self.article_url(a))}">{esc(a.title)}</a> '
                f'<span class="time">({a.time} {a.day:%d/%m/%Y})</span>'
                f'<p class="sapo">{esc(a.paragraphs[0][:200])}</p></div>')

    def body_blocks(self, a: MirrorArticle) -> list[str]:
        blocks = [f"<p>{esc(p)}</p>" for p in a.paragraphs]
        blocks[0] = f"<p><strong>{esc(a.paragraphs[0])}</strong></p>"
        photos = [f'<table align="center" class="image-table"><tbody><tr><td><img alt="" src="{esc(src)}" /></td></tr>'
                  + (f'<tr><td class="image-desc">{esc(caption)}</td></tr>' if caption else "") + "</tbody></table>"
                  for src, caption in a.images]
        if a.gallery_intro:  # a closing gallery, headed by its intro line
            blocks += [f"<p><strong>{esc(a.gallery_intro)}</strong></p>", *photos]
        else:  # captions stand between paragraphs, in a table
            blocks[a.photo_after:a.photo_after] = photos
        spaced = []
        for block in blocks:  # the old editor put an empty paragraph between paragraphs
            spaced += [block, "<p>&nbsp;</p>"]
        if a.byline:
            spaced.append(f'<p style="text-align: right;"><strong>{esc(a.byline)}</strong></p>')
        return spaced

    def render_article(self, a: MirrorArticle) -> bytes:
        newer = [o for o in self.articles if (o.day, o.time) > (a.day, a.time)][-5:]
        older = [o for o in self.articles if (o.day, o.time) < (a.day, a.time)][:5]
        item = lambda o: f'<li><a href="{esc(self.article_url(o))}">{esc(o.title)}</a> <span>({o.day:%d/%m/%Y})</span></li>'
        content = f"""<div class="news-detail" id="news-{a.entry_id}">
<div class="breadcrumb"><a href="{self.base}/">Trang chủ</a> » <span class="active">{esc(a.section_name)}</span></div>
<h1 class="title-detail">{esc(a.title)} ({a.time} {a.day:%d/%m/%Y})</h1>
<div class="tool-detail"><a href="javascript:window.print()">In bài viết</a> <a href="mailto:?subject={esc(a.url_title)}">Gửi email</a>
<a href="javascript:;" class="font-minus">A-</a> <a href="javascript:;" class="font-plus">A+</a></div>
<div class="content-detail">
{chr(10).join(self.body_blocks(a))}
<div class="other-news"><h3>Các bài mới đăng</h3><ul>{"".join(map(item, newer))}</ul>
<h3>Các bài đã đăng :</h3><ul>{"".join(map(item, older))}</ul></div>
<div class="view-more"><span>Bài viết</span> <a href="{self.base}{a.section_path}">Xem</a></div>
<div class="comment-box"><h3>Viết bình luận</h3>
<form action="{self.base}{a.section_path}?p_p_id={self.PORTLET}&amp;p_p_lifecycle=1&amp;_{self.PORTLET}_javax.portlet.action=addComment" method="post">
<p><label>Họ tên:(*)</label> <input name="name" type="text" /></p>
<p><label>Số điện thoại:</label> <input name="phone" type="text" /></p>
<p><label>Tiêu đề:(*)</label> <input name="subject" type="text" /></p>
<p><label>Nội dung:(*)</label> <textarea name="content"></textarea></p>
<p><label>Mã xác nhận:</label> <img alt="" src="/captcha.jpg" /> <a href="javascript:reloadCaptcha()">{CAPTCHA_MARK}</a></p>
<p><input type="submit" value="Gửi" /></p></form></div>
</div></div>"""
        page = self.render_shell(a.title, content)
        return page.replace(CAPTCHA_MARK.encode(), GARBLED_CAPTCHA)

    def render_listing(self, path: str, cur: int) -> bytes:
        items = self.in_section(path)
        last = self.last_page(path)
        cur = min(max(cur, 1), last)
        rows = "\n".join(self._abstract(a) for a in items[(cur - 1) * PAGE_SIZE: cur * PAGE_SIZE])
        content = (f'<div class="news-list"><h2 class="cat-title">{esc(self.sections[path])}</h2>{rows}</div>'
                   f'<div class="taglib-page-iterator">{self._pager(path, cur, last)}</div>')
        return self.render_shell(self.sections[path], content)

    def render_shell(self, title: str, main: str) -> bytes:
        menu = "".join(f'<li><a href="{esc(self.listing_url(p, 1))}">{esc(n)}</a></li>' for p, n in self.sections.items())
        page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)} - {esc(self.name)}</title></head>
<body><div id="wrapper"><div id="header"><a href="{self.base}/"><img src="/html/themes/hnportal/images/banner.jpg" alt="{esc(self.name)}" /></a>
<ul class="top-menu"><li><a href="{self.base}/">Trang chủ</a></li>{menu}<li><a href="{self.base}/web/guest/lien-he">Liên hệ</a></li></ul>
<div class="date-now">Thứ năm, 14/02/2019</div></div>
<div id="content"><div class="column-left">{main}</div>
<div class="column-right"><div class="box"><h3>Liên kết</h3><ul><li><a href="http://chinhphu.vn">Chính phủ</a></li>
<li><a href="http://hanoimoi.com.vn">Báo Hà Nội Mới</a></li></ul></div></div></div>
<div id="footer"><p>Cổng Giao tiếp điện tử thành phố Hà Nội - Cơ quan chủ quản: {esc(self.owner)}</p>
<p>© Bản quyền thuộc về UBND thành phố Hà Nội</p></div></div></body></html>"""
        return page.encode("utf-8")
