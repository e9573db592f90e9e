"""thanhuyhanoi.vn for the mirror: one category per party unit, ``?page=N`` listings.

``stray_units`` are units whose articles are linked from other articles but which the
registry does not list: the crawler must still attribute them (from the page) and flag it.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from mirror.base import MirrorSite, Page, esc
from mirror.corpus import MirrorArticle

PAGE_SIZE = 5
FILES = "https://file.thanhuyhanoi.vn/thanhuy/public/Uploads/TinTuc"
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


class ThanhUySite(MirrorSite):
    def __init__(self, *, units: dict[str, tuple[str, str]], stray_units: frozenset = frozenset(), **common):
        super().__init__(**common)
        self.units = units  # unit slug -> (name, level)
        self.stray_units = stray_units

    @staticmethod
    def unit_of(a: MirrorArticle) -> str:
        return a.section_path.rsplit("/", 1)[-1]

    def article_url(self, a: MirrorArticle, variant: str = "standard") -> str:
        return f"{self.base}{a.section_path}/{a.url_title}-{a.entry_id}.html"

    def date_line(self, a: MirrorArticle) -> str:
        return f"{WEEKDAYS[a.day.weekday()]}, ngày {a.day:%d/%m/%Y} {a.time}"

    def expected_record(self, a: MirrorArticle) -> dict:
        expected = super().expected_record(a)
        slug = self.unit_of(a)
        name, level = self.units[slug]
        return {**expected, "lead": expected["body_paragraphs"][0], "body_paragraphs": expected["body_paragraphs"][1:],
                "published_raw": self.date_line(a), "keywords": a.keywords, "section": name,
                "unit": {"slug": slug, "name": name, "level": level},
                "quality": ["unit_not_in_registry"] if slug in self.stray_units else []}

    def last_page(self, path: str) -> int:
        return max(1, -(-len(self.in_section(path)) // PAGE_SIZE))

    def listing_url(self, path: str, page: int) -> str:
        return f"{self.base}{path}" + (f"?page={page}" if page > 1 else "")

    def handle(self, host: str, path: str, query: str, body: bytes | None = None) -> Page:
        common = self.common_page(path)
        if common:
            return common
        if path == "/":
            return Page(200, self._shell(self.name, f"<ul>{self._list(self.articles[:8])}</ul>").encode("utf-8"))
        if path in self.sections:
            page = parse_qs(query).get("page", ["1"])[0]
            return Page(200, self.render_listing(path, int(page) if page.isdigit() else 1))
        section, _, leaf = path.rpartition("/")
        entry = leaf.rsplit("-", 1)[-1].removesuffix(".html")
        article = self.by_id.get(int(entry)) if entry.isdigit() else None
        if article is None or article.section_path != section:
            return Page(404, self._shell("Không tìm thấy", "<p>Trang không tồn tại.</p>").encode("utf-8"))
        return Page(200, self.render_article(article))

    def _list(self, items: list[MirrorArticle]) -> str:
        return "".join(f'<li class="news-item"><a href="{esc(self.article_url(a))}">{esc(a.title)}</a>'
                       f' <span class="date">{a.day:%d/%m/%Y}</span></li>' for a in items)

    def render_listing(self, path: str, page: int) -> bytes:
        last = self.last_page(path)
        page = min(max(page, 1), last)
        items = self.in_section(path)[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        pager = "".join(f'<li{" class=active" if n == page else ""}><a href="{esc(self.listing_url(path, n))}">{n}</a></li>'
                        for n in range(1, last + 1))
        name = self.sections[path]
        return self._shell(name, f'<h1 class="cat-title">{esc(name)}</h1><ul class="list-news">{self._list(items)}</ul>'
                                 f'<ul class="pagination">{pager}</ul>').encode("utf-8")

    def render_article(self, a: MirrorArticle) -> bytes:
        unit = self.unit_of(a)
        blocks = [f"<p>{esc(p)}</p>" for p in a.paragraphs[1:]]
        photos = [f'<p style="text-align:center"><img src="{esc(src)}" alt="" /></p>'
                  + (f'<p style="text-align:center"><em>{esc(cap)}</em></p>' if cap else "") for src, cap in a.images]
        if a.gallery_intro:
            blocks += [f"<p><strong>{esc(a.gallery_intro)}</strong></p>", *photos]
        else:
            blocks[a.photo_after - 1:a.photo_after - 1] = photos
        if a.byline:
            blocks.append(f'<p style="text-align:right"><strong>{esc(a.byline)}</strong></p>')
        related = [o for o in self.in_section(a.section_path) if o.entry_id != a.entry_id][:4]
        related += [o for o in self.articles if self.unit_of(o) in self.stray_units and o.entry_id != a.entry_id][:1]
        tags = " ".join(f'<a href="/tag/{esc(k.replace(" ", "-"))}">{esc(k)}</a>' for k in a.keywords)
        content = f"""<div class="detail-news">
<ol class="breadcrumb"><li><a href="{self.base}/">Trang chủ</a></li><li><a href="{self.base}/tin-tuc">Tin tức</a></li>
<li class="active"><a href="{self.base}{a.section_path}">{esc(self.units[unit][0])}</a></li></ol>
<h1 class="title-detail">{esc(a.title)}</h1>
<div class="date-detail">{self.date_line(a)}</div>
<div class="sapo-detail"><p>{esc(a.paragraphs[0])}</p></div>
<div class="content-detail">
{chr(10).join(blocks)}
</div>
<div class="tags"><span>Từ khóa:</span> {tags}</div>
<div class="share-box">Chia sẻ: <a href="https://www.facebook.com/sharer.php">Facebook</a></div>
<div class="related"><h3>Tin cùng chuyên mục</h3><ul>{self._list(related)}</ul></div>
</div>"""
        return self._shell(a.title, content).encode("utf-8")

    def _shell(self, title: str, main: str) -> str:
        menu = "".join(f'<li><a href="{self.base}{p}">{esc(n)}</a></li>' for p, n in self.sections.items()
                       if p.rsplit("/", 1)[-1] not in self.stray_units)
        return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8" /><title>{esc(title)} - {esc(self.name)}</title></head>
<body><div class="header"><a href="{self.base}/"><img src="{FILES}/logo.png" alt="{esc(self.name)}" /></a>
<ul class="main-menu"><li><a href="{self.base}/">Trang chủ</a></li>{menu}</ul></div>
<div class="container">{main}</div>
<div class="footer"><p>Cơ quan chủ quản: {esc(self.owner)}</p><p>© Bản quyền thuộc về Thành ủy Hà Nội</p></div>
</body></html>"""
