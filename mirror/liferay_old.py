"""The old city portal hanoi.gov.vn (Liferay, before the new CMS) for the mirror: its own
portlet (hnportal), not Liferay's asset publisher; shapes from the seed text (sites.md)."""

from __future__ import annotations

from urllib.parse import urlencode

from mirror.base import esc
from mirror.corpus import MirrorArticle
from mirror.liferay import HN_ARTICLE, PAGE_SIZE, LiferaySite, View

# The captcha reload link, as the old city portal's server emits it: in a single-byte
# legacy encoding inside a UTF-8 page ('?' for every letter the charset lacks).
GARBLED_CAPTCHA = "Lấy lại mã bảo mật".encode("cp1252", errors="replace")
CAPTCHA_MARK = "\x00CAPTCHA\x00"


class OldCityPortal(LiferaySite):
    """hanoi.gov.vn before the new CMS: friendly /-/hn/ URLs, time in the title line, byline,
    captions between paragraphs, post lists, a comment form and a garbled captcha link."""

    PORTLET = "hnportal_WAR_hnportalportlet"

    def __init__(self, *, categories: dict[str, tuple[str, int]], **kwargs):
        super().__init__(view_label=None, **kwargs)
        self.shape = "hn_portal"
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
        return (match.group(1), self.by_id.get(int(match.group(2))), View(self.PORTLET)) if match else None

    def published_raw(self, a: MirrorArticle) -> str:
        return f"{a.time} {a.day:%d/%m/%Y}"

    def _abstract(self, a: MirrorArticle) -> str:
        return (f'<div class="news-item"><a class="title" href="{esc(self.article_url(a))}">{esc(a.title)}</a> '
                f'<span class="time">({a.time} {a.day:%d/%m/%Y})</span>'
                f'<p class="sapo">{esc(a.paragraphs[0][:200])}</p></div>')

    def render_items(self, articles: list[MirrorArticle]) -> str:
        return "\n".join(self._abstract(a) for a in articles)

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

    def render_article(self, a: MirrorArticle, view=None) -> bytes:
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

    def _pager(self, path: str, cur: int, last: int) -> str:
        """The portal's own pager (its portlet is not Liferay's asset publisher; markup unverified)."""
        def item(label: str, target: int, cls: str) -> str:
            if target < 1 or target > last or target == cur:
                return f'<li class="{cls} disabled"><a href="javascript:;">{label}</a></li>'
            return f'<li class="{cls}"><a href="{esc(self.listing_url(path, target))}">{label}</a></li>'
        numbers = "".join(item(str(n), n, "page") for n in range(1, last + 1))
        return (f'<ul class="pager">{item("Đầu", 1, "first")}{item("← Trước", cur - 1, "previous")}'
                f'{numbers}{item("Tiếp →", cur + 1, "next")}{item("Cuối", last, "last")}</ul>')

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
