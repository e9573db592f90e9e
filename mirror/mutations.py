"""Changes to a mirrored site between runs, for the tests of incremental crawling and health:
a new article, an edited article, a new article template (a layout change), a month gone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from mirror.base import MirrorSite
from mirror.corpus import MirrorArticle, liferay_slug

# Article-container markers per family, and what a redesigned template calls them.
LAYOUT_CHANGES = [(b'class="asset-content"', b'class="asset-body-v7"'),
                  (b'class="news-detail"', b'class="news-detail-v2"'),
                  (b'class="detail-page"', b'class="detail-page-v2"'),
                  (b'class="detail-news"', b'class="detail-news-v2"')]


def add_article(site: MirrorSite, today: date) -> MirrorArticle:
    """A new article at the top of the site's first section."""
    section = next(iter(site.sections))
    template = site.in_section(section)[0]
    title = f"Tin mới: {template.title}"
    article = replace(template, entry_id=max(site.by_id) + 1, title=title, url_title=liferay_slug(title), day=today,
                      time="08:00", view_count=1 if template.view_count is not None else None, nfd=False,
                      paragraphs=[*template.paragraphs[:-1], "Đây là bài viết mới đăng trong ngày."])
    site.articles.insert(site.articles.index(template), article)
    site.by_id[article.entry_id] = article
    if hasattr(site, "by_title"):
        site.by_title[article.url_title] = article
    return article


def edit_article(site: MirrorSite, entry_id: int) -> MirrorArticle:
    """The publisher corrects an article: its last paragraph gains a sentence."""
    article = site.by_id[entry_id]
    article.paragraphs = [*article.paragraphs[:-1], article.paragraphs[-1] + " (Bài viết đã được cập nhật.)"]
    return article


def change_layout(site: MirrorSite) -> None:
    """From now on the site's pages use a new article template the parsers do not know."""
    site.rewrites = LAYOUT_CHANGES


def drop_month(site: MirrorSite, month: str) -> list[MirrorArticle]:
    """The site lost every article published in ``month`` (YYYY-MM): a gap the report must show."""
    dropped = [a for a in site.articles if a.day.isoformat().startswith(month + "-")]
    site.articles[:] = [a for a in site.articles if a not in dropped]
    for article in dropped:
        del site.by_id[article.entry_id]
        if hasattr(site, "by_title"):
            del site.by_title[article.url_title]
    return dropped
