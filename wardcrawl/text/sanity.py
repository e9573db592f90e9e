"""Content sanity: whether a parsed page may become an archived article or a new version of one.

A garbled page (cut short, stray bytes, misread charset) parses into a record that looks like
an edit of the real article, or like a new one. Before the archive takes it, a record is
checked here; a record with problems is rejected (the rejects file keeps it with the reasons,
counted under ``wardcrawl/rejected/sanity/<reason>``) and the archived version stands.

- ``truncated_page``: the page's HTML ended before ``</html>`` (the spider flags it);
- ``garbled_text``: replacement characters (bytes no charset decoded) or control characters:
  any in the title, or ``GARBLED_MIN`` in the text;
- ``mojibake``: text still showing UTF-8 read as a single-byte charset after repair, in any
  field (title, body, lead, section, captions, authors, keywords);
- against the archived version (an update): ``title_lost``, ``date_lost``, ``date_changed``
  (another publication day) and ``body_lost`` (under ``BODY_KEPT_MIN`` of the archived length).

Pure functions over the record (a dict) and the archived ``ArticleState``.
"""

from __future__ import annotations

import re

from wardcrawl.text.unicode import may_have_mojibake

TRUNCATED_PAGE = "truncated_page"  # the quality flag the spider sets on a page cut before </html>
GARBLED_MIN = 3
BODY_KEPT_MIN = 0.5
# U+FFFD, and C0/C1 controls but tab and newline (normalised text keeps no others).
GARBLED_RE = re.compile("[\ufffd\x00-\x08\x0b-\x1f\x7f-\x9f]")
HTML_END_RE = re.compile(rb"</html\s*>", re.IGNORECASE)
HTML_END_WINDOW = 4096


def page_is_cut(body: bytes) -> bool:
    """Whether an HTML page ends before its ``</html>`` (looked for in its last bytes only)."""
    return HTML_END_RE.search(body[-HTML_END_WINDOW:]) is None


def _texts(record: dict) -> list[str]:
    texts = [record.get("title") or "", record.get("body") or "", record.get("lead") or "",
             record.get("section") or "", record.get("gallery_title") or ""]
    texts += [image.get("caption") or "" for image in record.get("images") or ()]
    texts += [*(record.get("authors") or ()), *(record.get("keywords") or ())]
    unit = record.get("unit") or {}
    texts.append(unit.get("name") or "")
    return texts


def problems(record: dict, archived=None) -> list[str]:
    """Why ``record`` must not become an article or a version of ``archived`` (an ArticleState or
    None); empty when it may."""
    found = []
    if TRUNCATED_PAGE in (record.get("quality") or ()):
        found.append(TRUNCATED_PAGE)
    texts = _texts(record)
    if GARBLED_RE.search(texts[0]) or sum(len(GARBLED_RE.findall(t)) for t in texts) >= GARBLED_MIN:
        found.append("garbled_text")
    if any(may_have_mojibake(t) for t in texts):
        found.append("mojibake")
    if archived is not None:
        if not (record.get("title") or "").strip():
            found.append("title_lost")
        before, now = (archived.published_at or "")[:10], (record.get("published_at") or "")[:10]
        if before and not now:
            found.append("date_lost")
        elif before and now != before:
            found.append("date_changed")
        if archived.body_chars and len(record.get("body") or "") < BODY_KEPT_MIN * archived.body_chars:
            found.append("body_lost")
    return found
