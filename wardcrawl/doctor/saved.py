"""Pages doctor fetched, saved as fixture candidates in the fixtures' own format
(docs/adding-a-site.md, tests/fixtures/<family>/):

- ``<slug>-<kind>-<n>.html`` (``.txt`` for robots.txt): the bytes as served (after
  Content-Encoding is undone, before any re-decoding);
- ``<slug>-<kind>-<n>.meta.json``: ``site``, ``url``, ``status``, ``headers``, ``captured_at``
  (and ``method``/``request_body`` for a POST, e.g. the new CMS's AJAX listing).

The ``.expected.json`` beside a fixture is written by a person reading the page, never by
a program: doctor does not write one.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from wardcrawl.archive.extract import make_response
from wardcrawl.text.dates import HANOI_TZ

RAW_META = "doctor_raw"  # (status, headers, body) as served, kept by KeepRawBody
# Undone before the body is saved (decompression) or meaningless for a file.
DROPPED_HEADERS = ("content-encoding", "transfer-encoding")


def save_page(folder: Path, slug: str, name: str, response) -> str:
    """Write the page and its meta under ``folder``; returns the page's file name."""
    status, headers, body = response.meta.get(RAW_META) or (
        response.status, response.headers.to_unicode_dict(), response.body)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".txt" if name.startswith("robots") else ".html"
    page = folder / f"{slug}-{name}{suffix}"
    page.write_bytes(body)
    meta = {"site": slug, "url": response.url, "status": status,
            "headers": {k: v for k, v in headers.items() if k.lower() not in DROPPED_HEADERS},
            "captured_at": datetime.now(HANOI_TZ).isoformat(timespec="seconds")}
    request = response.request
    if request is not None and request.method != "GET":
        meta["method"] = request.method
        meta["request_body"] = request.body.decode("utf-8", "replace")
    page.with_name(f"{slug}-{name}.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                                          encoding="utf-8")
    return page.name


def load_saved_page(page: Path):
    """A saved page as the response a fixture test builds from it (URL and Content-Type from its meta)."""
    meta = json.loads(page.with_name(page.name.rsplit(".", 1)[0] + ".meta.json").read_text(encoding="utf-8"))
    headers = {k: v for k, v in meta["headers"].items() if k.lower() == "content-type"}
    return make_response(meta["url"], page.read_bytes(), headers), meta
