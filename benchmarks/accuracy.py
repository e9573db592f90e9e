"""Accuracy of wardcrawl on the gold set, side by side with trafilatura on the same pages.

    .venv/bin/python benchmarks/accuracy.py          (or: make accuracy)

The gold set is every fixture article page under tests/fixtures/<family>/ with its
expected record beside it. Prints, per field, the share of pages where each tool's value
equals the expected one exactly; body token precision / recall / F1 (multiset of
whitespace tokens); and milliseconds per page (median of 3 passes). trafilatura's
figures are for comparison (body, title, author and date via htmldate); fields it does not
extract are shown as "-". Then ``places`` on the places gold set (mirror/places_gold.py: every
mirror article, the units each is about written out by hand): precision and recall of the
units found (wardcrawl only; trafilatura does not tag places). Exits 1 when wardcrawl misses a
target: dates 100 % exact to the minute, body F1 >= 0.995, places precision and recall >= 0.98,
every other field >= 0.99.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from wardcrawl.archive.extract import extract, make_response  # noqa: E402
from wardcrawl.sites import FAMILIES, registry  # noqa: E402

FIELDS = ["title", "published_at", "modified_at", "authors", "section", "lead", "images", "keywords", "unit",
          "encoding"]
TARGETS = {"published_at": 1.0, "body_f1": 0.995, "places": 0.98}
DEFAULT_TARGET = 0.99


def gold_pages() -> list[dict]:
    pages = []
    for family in FAMILIES:
        for html in sorted((REPO / "tests" / "fixtures" / family).glob("*.html")):
            stem = html.with_suffix("")
            expected = json.loads(stem.with_suffix(".expected.json").read_text(encoding="utf-8"))
            if "title" not in expected:
                continue  # a listing page
            meta = json.loads(stem.with_suffix(".meta.json").read_text(encoding="utf-8"))
            pages.append({"name": html.stem, "body": html.read_bytes(), "meta": meta, "expected": expected})
    return pages


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def tokens(text: str | None) -> Counter:
    return Counter(_norm(text).split())


def prf(got: Counter, want: Counter) -> tuple[float, float, float]:
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_wardcrawl(page: dict) -> dict:
    headers = {k: v for k, v in page["meta"]["headers"].items() if k.lower() == "content-type"}
    response = make_response(page["meta"]["url"], page["body"], headers)
    record = extract(registry()[page["meta"]["site"]], response,
                     datetime.fromisoformat(page["meta"]["captured_at"])).record or {}
    return record


def run_trafilatura(page: dict) -> dict:
    import trafilatura
    from htmldate import find_date

    html = page["body"]
    document = trafilatura.bare_extraction(html, url=page["meta"]["url"], with_metadata=True,
                                           include_comments=False, include_tables=True)
    found = document.as_dict() if document is not None and hasattr(document, "as_dict") else (document or {})
    day = find_date(html, url=page["meta"]["url"], original_date=True, outputformat="%Y-%m-%d %H:%M")
    return {"title": found.get("title"), "authors": [found["author"]] if found.get("author") else [],
            "text": found.get("text"), "date": day}


def _minute(value: str | None) -> str | None:
    """'2021-09-29T22:22:00+07:00' or '2021-09-29 22:22' -> '2021-09-29 22:22'; a bare day stays a day."""
    if not value:
        return None
    return value.replace("T", " ")[:16] if len(value) > 10 else value


def score(pages: list[dict]) -> dict:
    rows: dict[str, dict[str, list]] = {"wardcrawl": {}, "trafilatura": {}}
    for page in pages:
        want = page["expected"]
        want_body = "\n\n".join(want["body_paragraphs"])
        got = page["wardcrawl"]
        for field in FIELDS:
            rows["wardcrawl"].setdefault(field, []).append(got.get(field) == want.get(field))
        rows["wardcrawl"].setdefault("body (exact)", []).append(got.get("body") == want_body)
        rows["wardcrawl"].setdefault("body tokens", []).append(prf(tokens(got.get("body")), tokens(want_body)))

        tr = page["trafilatura"]
        full_text = "\n".join(filter(None, [want.get("lead"), want_body]))
        rows["trafilatura"].setdefault("title", []).append(_norm(tr["title"]) == _norm(want["title"]))
        want_time = _minute(want["published_at"])
        got_time = tr["date"] if want_time and len(want_time) > 10 else (tr["date"] or "")[:10]
        rows["trafilatura"].setdefault("published_at", []).append(got_time == want_time)
        rows["trafilatura"].setdefault("authors", []).append(tr["authors"] == want["authors"])
        rows["trafilatura"].setdefault("body (exact)", []).append(_norm(tr["text"]) == _norm(full_text))
        rows["trafilatura"].setdefault("body tokens", []).append(prf(tokens(tr["text"]), tokens(full_text)))
        rows["trafilatura"].setdefault("published day", []).append((tr["date"] or "")[:10] == want["published_at"][:10])
        rows["wardcrawl"].setdefault("published day", []).append(
            (got.get("published_at") or "")[:10] == want["published_at"][:10])
    return rows


def timed(pages: list[dict], run, key: str) -> float:
    passes = []
    for _ in range(3):
        start = time.perf_counter()
        for page in pages:
            page[key] = run(page)
        passes.append((time.perf_counter() - start) * 1000 / len(pages))
    return statistics.median(passes)


def places_scores() -> list[str]:
    """Print places precision / recall on the places gold set; the targets it misses."""
    from mirror.places_gold import extracted, gold_articles, score

    gold = gold_articles()
    result = score(gold, [extracted(g) for g in gold])
    print(f"\nplaces gold set: {result['articles']} mirror articles, {result['places']} places written by hand")
    print(f"{'places precision':24} {result['precision']:>10.4f} {'-':>12}")
    print(f"{'places recall':24} {result['recall']:>10.4f} {'-':>12}")
    for name, extra, missing in result["misses"]:
        print(f"  places miss {name}: unexpected {extra}, missing {missing}")
    return [f"places {name} {result[name]:.4f} < {TARGETS['places']}" for name in ("precision", "recall")
            if result[name] < TARGETS["places"]]


def main() -> int:
    pages = gold_pages()
    ms = {"wardcrawl": timed(pages, run_wardcrawl, "wardcrawl"), "trafilatura": timed(pages, run_trafilatura, "trafilatura")}
    rows = score(pages)
    families = Counter(registry()[p["meta"]["site"]].family for p in pages)
    print(f"gold set: {len(pages)} article pages ({', '.join(f'{f} {n}' for f, n in sorted(families.items()))})\n")
    print(f"{'field':24} {'wardcrawl':>10} {'trafilatura':>12}")
    failed = []
    order = ["title", "published_at", "published day", "modified_at", "authors", "section", "lead", "images",
             "keywords", "unit", "encoding", "body (exact)"]
    for field in order:
        cells = []
        for tool in ("wardcrawl", "trafilatura"):
            values = rows[tool].get(field)
            cells.append(f"{sum(values) / len(values):.3f}" if values else "-")
        print(f"{field:24} {cells[0]:>10} {cells[1]:>12}")
        target = TARGETS.get(field, DEFAULT_TARGET)
        if field in rows["wardcrawl"] and float(cells[0]) < target:
            failed.append(f"{field} {cells[0]} < {target}")
    for i, name in enumerate(("precision", "recall", "F1")):
        cells = [f"{statistics.mean(v[i] for v in rows[tool]['body tokens']):.4f}" for tool in ("wardcrawl", "trafilatura")]
        print(f"{'body token ' + name:24} {cells[0]:>10} {cells[1]:>12}")
    body_f1 = statistics.mean(v[2] for v in rows["wardcrawl"]["body tokens"])
    if body_f1 < TARGETS["body_f1"]:
        failed.append(f"body F1 {body_f1:.4f} < {TARGETS['body_f1']}")
    print(f"{'ms/page (median of 3)':24} {ms['wardcrawl']:>10.2f} {ms['trafilatura']:>12.2f}")
    misses = [p["name"] for p in pages if p["wardcrawl"].get("body") != "\n\n".join(p["expected"]["body_paragraphs"])]
    if misses:
        print("\nwardcrawl body misses:", ", ".join(misses))
    failed += places_scores()
    print("\ntargets:", "all met" if not failed else "MISSED: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
