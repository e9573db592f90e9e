"""Record-level cleaning and normalising, built from the small functions in wardcrawl.text.

Pure functions on an Article: the pipelines call them and only add stats and logging.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime

from wardcrawl.items import Article
from wardcrawl.text.bylines import take_byline
from wardcrawl.text.boilerplate import strip_boilerplate, take_gallery_intro
from wardcrawl.text.dates import find_dates, is_future
from wardcrawl.text.unicode import (
    fold_key,
    has_lossy_mojibake,
    match_key,
    may_have_mojibake,
    normalize_inline,
    normalize_paragraphs,
    repair_mojibake,
)

PARAGRAPH_SEP = "\n\n"


def _inline_or_none(value: str | None, quality: set[str] | None = None) -> str | None:
    """Inline text normalised (and its mojibake repaired, when ``quality`` collects the flag), or None."""
    if not value:
        return None
    return normalize_inline(_repair(value, quality) if quality is not None else value) or None


def _repair(text: str, quality: set[str]) -> str:
    repaired, changed = repair_mojibake(text)
    if changed:
        quality.add("mojibake_repaired")
    return repaired


def clean_article(article: Article) -> tuple[Article, Counter]:
    """Unicode/whitespace normalised text, boilerplate removed; counts removals by rule."""
    quality = set(article.quality)
    # Repair before normalising: mojibake of "à" ends in a NBSP that normalising would turn into a space.
    # (Paragraph by paragraph only when the body shows a trace of it: one search instead of one per paragraph.)
    paragraphs = article.body.split(PARAGRAPH_SEP)
    if may_have_mojibake(article.body):
        paragraphs = [_repair(p, quality) for p in paragraphs]
    paragraphs = normalize_paragraphs(paragraphs)
    paragraphs, removed = strip_boilerplate([p for p in paragraphs if p])
    # Every text field gets the same repair as the body: captions, section, lead, authors, keywords.
    images = [{"url": img["url"], "caption": _inline_or_none(img.get("caption"), quality)} for img in article.images]
    paragraphs, byline = take_byline(paragraphs)
    if byline:
        removed["byline"] += 1
    paragraphs, gallery_title = take_gallery_intro(paragraphs, bool(images))
    if gallery_title:
        removed["gallery_intro"] += 1
    title = normalize_inline(_repair(article.title, quality))
    body = PARAGRAPH_SEP.join(paragraphs)
    if has_lossy_mojibake(title) or has_lossy_mojibake(body):
        quality.add("lossy_mojibake")
    cleaned = article.with_changes(
        title=title,
        body=body,
        section=_inline_or_none(article.section, quality),
        lead=_inline_or_none(article.lead, quality),
        authors=[a for a in (_inline_or_none(x, quality) for x in article.authors) if a] or byline,
        keywords=[k for k in (_inline_or_none(x, quality) for x in article.keywords) if k],
        unit={**article.unit, "name": normalize_inline(_repair(article.unit["name"], quality))} if article.unit
        else None,
        images=images,
        gallery_title=gallery_title,
        published_raw=_inline_or_none(article.published_raw),
        quality=sorted(quality),
    )
    return cleaned, removed


def content_sha256(article: Article) -> str:
    """Hash of the normalised text (title, lead, body): unchanged text, unchanged hash."""
    text = PARAGRAPH_SEP.join([article.title, article.lead or "", article.body])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_article(article: Article, now: datetime) -> Article:
    """Dates to ISO 8601 +07:00 (raw kept), matching keys, quality flags, content hash.

    "Cập nhật" (updated) dates go to ``modified_at``, never to ``published_at``.
    """
    quality = set(article.quality)
    dates = find_dates(article.published_raw or "", zero_time_unknown=True)
    published = next((d for d in dates if not d.modified), None)
    modified = next((d for d in dates if d.modified), None)
    if published is None:
        quality.add("no_published_date")
    else:
        if published.time_unknown:
            quality.add("time_unknown")
        if is_future(published, now):
            quality.add("future_date")
    return article.with_changes(
        published_at=published.iso if published else None,
        published_precision=published.precision if published else None,
        modified_at=modified.iso if modified else article.modified_at,
        title_match_key=match_key(article.title),
        title_fold_key=fold_key(article.title),
        content_sha256=content_sha256(article),
        quality=sorted(quality),
    )
