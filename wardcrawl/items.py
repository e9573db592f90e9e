"""The Article record: the one definition of what wardcrawl exports.

Fields are documented in docs/record.md; the published JSON Schema is
wardcrawl/schema/article.schema.json and every exported line validates against it.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field, fields, is_dataclass


@dataclass
class Image:
    url: str
    caption: str | None = None


@dataclass
class Article:
    id: str  # "<site>:<the site's own article key>", stable across URL variants
    site: str
    url: str
    canonical_url: str
    title: str
    body: str
    section: str | None = None
    published_at: str | None = None  # ISO 8601 with +07:00, or a bare date (precision "day")
    published_precision: str | None = None  # "minute", "second" or "day"
    published_raw: str | None = None
    modified_at: str | None = None
    authors: list[str] = field(default_factory=list)
    lead: str | None = None
    images: list[dict] = field(default_factory=list)  # {"url": ..., "caption": ...}
    gallery_title: str | None = None
    view_count: int | None = None
    language: str = "vi"
    fetched_at: str | None = None
    encoding: str | None = None
    content_sha256: str | None = None
    quality: list[str] = field(default_factory=list)
    title_match_key: str | None = None  # tone-placement-insensitive key of the title ("Thuỵ" = "Thụy")
    title_fold_key: str | None = None  # the title without diacritics, lowercase, for loose search
    keywords: list[str] = field(default_factory=list)  # "Từ khóa:" tags, when the page has them
    unit: dict | None = None  # publishing unit (thanhuyhanoi.vn): {"slug", "name", "level"}
    encoding_declared: str | None = None  # charset the server or page declared, if any
    version: int = 1  # 1 for the first capture; +1 each time the normalised text changes
    previous_sha256: str | None = None  # content_sha256 of the version before, when version > 1
    warc_file: str | None = None  # the WARC file holding the response this record was parsed from
    warc_record_id: str | None = None  # its WARC-Record-ID
    warc_payload_digest: str | None = None  # its WARC-Payload-Digest
    places: list[dict] = field(default_factory=list)  # units the text is about (wardcrawl.places)
    site_place: dict | None = None  # the site's own unit, apart from those the text is about
    source: str = "live"  # where the bytes came from: "live", "wayback"/"commoncrawl" (a capture), "warc-file"
    captured_at: str | None = None  # a web archive's capture time (+07:00), distinct from our fetched_at
    archive_url: str | None = None  # the web archive's URL of the capture (its raw id_ form)

    def with_changes(self, **changes) -> Article:
        """A copy with ``changes`` applied, as ``dataclasses.replace`` makes it (no field is computed in
        ``__init__``), at a tenth of its cost: replace reads every field and re-runs ``__init__``."""
        unknown = changes.keys() - _FIELD_SET
        if unknown:
            raise TypeError(f"Article has no field {', '.join(sorted(unknown))}")
        copied = copy.copy(self)
        copied.__dict__.update(changes)
        return copied

    def to_record(self) -> dict:
        """The record as plain data, equal to ``dataclasses.asdict(self)``: lists and dicts copied,
        without asdict's deepcopy of every string (a fifth of the cost of cleaning a page)."""
        return {name: _plain(getattr(self, name)) for name in ARTICLE_FIELDS}


ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_FIELD_SET = frozenset(ARTICLE_FIELDS)


def _plain(value):
    if value is None or isinstance(value, (str, int, float)):  # most fields: nothing to copy
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if is_dataclass(value):
        return asdict(value)
    return value
