"""What every mirrored site shares: hosts, articles, robots.txt, images, ground truth."""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from mirror.corpus import MirrorArticle

TINY_JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
DEFAULT_ROBOTS = "User-agent: *\nDisallow: /c/\nDisallow: /tim-kiem\n"


@dataclass(frozen=True)
class Page:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


def esc(text: str) -> str:
    return html.escape(text, quote=True)


class MirrorSite:
    """A site of the mirror: answers requests for its hosts, knows the records it must yield."""

    def __init__(self, *, slug: str, name: str, owner: str, scheme: str, host: str, sections: dict[str, str],
                 articles: list[MirrorArticle], aliases: dict[str, str] | None = None, robots: str = ""):
        self.slug, self.name, self.owner, self.scheme, self.host = slug, name, owner, scheme, host
        self.aliases = aliases or {}  # alias host -> path prefix
        self.sections = sections  # path -> name
        self.articles = articles
        self.by_id = {a.entry_id: a for a in articles}
        self.robots = robots or DEFAULT_ROBOTS

    @property
    def hosts(self) -> list[str]:
        return [self.host, *self.aliases]

    @property
    def base(self) -> str:
        return f"{self.scheme}://{self.host}"

    def in_section(self, path: str) -> list[MirrorArticle]:
        return [a for a in self.articles if a.section_path == path]

    def claims(self, path: str) -> bool:
        """Whether a path on this host belongs to this site (hosts may be shared)."""
        return True

    def common_page(self, path: str) -> Page | None:
        """robots.txt and images, which every site serves alike."""
        if path == "/robots.txt":
            return Page(200, self.robots.encode(), "text/plain; charset=utf-8")
        if path.startswith("/documents/"):
            return Page(200, TINY_JPEG, "image/jpeg")
        return None

    def handle(self, host: str, path: str, query: str, body: bytes | None = None) -> Page:
        raise NotImplementedError

    def article_url(self, a: MirrorArticle, variant: str = "standard") -> str:
        raise NotImplementedError

    def expected_record(self, a: MirrorArticle) -> dict:
        """The record a correct crawl must produce for an article (fetch-time fields aside)."""
        return {
            "id": f"{self.slug}:{a.entry_id}",
            "site": self.slug,
            "canonical_url": self.article_url(a),
            "section": a.section_name,
            "title": a.title,
            "published_at": a.published_at,
            "published_precision": "day" if a.time == "00:00" else "minute",
            "view_count": None,
            "images": [{"url": path if "://" in path else f"{self.base}{path}", "caption": caption}
                       for path, caption in a.images],
            "gallery_title": a.gallery_intro,
            # Stored text is NFC with NBSP as a plain space (seed 000 has one NBSP).
            "body_paragraphs": [unicodedata.normalize("NFC", p).replace("\u00a0", " ") for p in a.paragraphs],
            "quality": ["time_unknown"] if a.time == "00:00" else [],
            "encoding": "utf-8",
            "encoding_declared": "utf-8",
            "language": "vi",
            "authors": [a.byline] if a.byline else [],
            "lead": None,
            "keywords": [],
            "unit": None,
        }
