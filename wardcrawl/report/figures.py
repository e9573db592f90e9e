"""The report's numbers: pure functions over records and run reports (no I/O, no plotting).

Every figure here is explained to the reader in wardcrawl/report/html.py (``GLOSSARY``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from wardcrawl.text.unicode import fold_key

# A month with nothing is a gap when the site published in at least this share of the
# months around it (GAP_WINDOW either side, inside the site's own span, at least GAP_MIN_WINDOW).
GAP_WINDOW = 6
GAP_SHARE = 2 / 3
GAP_MIN_WINDOW = 4

# Fields whose coverage the report follows: name -> what counts as present.
COVERAGE_FIELDS = {
    "title": lambda r: bool((r.get("title") or "").strip()),
    "body": lambda r: bool((r.get("body") or "").strip()),
    "date": lambda r: bool(r.get("published_at")),
    "time": lambda r: bool(r.get("published_at")) and r.get("published_precision") in ("minute", "second"),
    "places": lambda r: bool(places_of(r)),
}
RUN_COVERAGE_FIELDS = {"title": "title", "body": "body", "date": "published_at"}  # report key per field


def month_of(record: dict) -> str | None:
    published = record.get("published_at") or ""
    return published[:7] if len(published) >= 7 and published[4] == "-" else None


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def months_apart(earlier: str, later: str) -> int:
    return (int(later[:4]) - int(earlier[:4])) * 12 + int(later[5:7]) - int(earlier[5:7])


def monthly_counts(records) -> dict[str, Counter]:
    """Site -> month (YYYY-MM of publication) -> articles (one per article id: pass latest versions)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        month = month_of(record)
        if month:
            counts[record["site"]][month] += 1
    return dict(counts)


def find_gaps(counts: Counter) -> list[str]:
    """Months inside a site's span with no article, where the site usually publishes: it published
    in at least GAP_SHARE of the months around (GAP_WINDOW either side, within the span)."""
    active = sorted(m for m, n in counts.items() if n)
    if not active:
        return []
    span = months_between(active[0], active[-1])
    gaps = []
    for index, month in enumerate(span):
        if counts.get(month):
            continue
        window = span[max(0, index - GAP_WINDOW):index] + span[index + 1:index + 1 + GAP_WINDOW]
        window = [m for m in window if m != month]
        published = sum(1 for m in window if counts.get(m))
        if len(window) >= GAP_MIN_WINDOW and published >= GAP_SHARE * len(window):
            gaps.append(month)
    return gaps


def coverage(records: list[dict]) -> dict[str, float]:
    """Share of ``records`` with each COVERAGE_FIELDS field present."""
    if not records:
        return {}
    return {name: sum(1 for r in records if present(r)) / len(records) for name, present in COVERAGE_FIELDS.items()}


def coverage_by_month(records) -> dict[str, tuple[int, dict[str, float]]]:
    """Month of publication -> (records, coverage of each field), months in order."""
    by_month: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        month = month_of(record)
        if month:
            by_month[month].append(record)
    return {m: (len(by_month[m]), coverage(by_month[m])) for m in sorted(by_month)}


def run_coverage(report: dict, exported: list[dict]) -> dict[str, float | None]:
    """A site's run: share of the fetched article pages with title, body and date (the crawl's own
    count, rejected pages included), and share of the records it exported that carry places."""
    pages = report.get("coverage") or {}
    values: dict[str, float | None] = {name: pages.get(key) for name, key in RUN_COVERAGE_FIELDS.items()}
    values["places"] = coverage(exported)["places"] if exported else None
    return values


def places_of(record: dict) -> list[dict]:
    """The record's places (a list of {code, name, level, ...}); [] when the field is absent or malformed."""
    places = record.get("places")
    if not isinstance(places, list):
        return []
    return [p for p in places if isinstance(p, dict) and p.get("name") and (p.get("code") or p.get("name"))]


def level_rank(level: str | None) -> int:
    """Wards and communes first, then districts, then the city and anything else."""
    text = (level or "").lower()
    if "ward" in text or "commune" in text:
        return 0
    if "district" in text:
        return 1
    return 2


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str | None


def newest_by_place(latest: list[dict], per_place: int = 5) -> list[tuple[Place, int, list[dict]]]:
    """(place, its article count, its newest ``per_place`` articles), wards first, then by name."""
    found: dict[str, Place] = {}
    articles: dict[str, list[dict]] = defaultdict(list)
    for record in latest:
        for p in places_of(record):
            code = str(p.get("code") or p["name"])
            found.setdefault(code, Place(code, p["name"], p.get("level")))
            if record not in articles[code]:
                articles[code].append(record)
    ordered = sorted(found.values(), key=lambda p: (level_rank(p.level), fold_key(p.name), p.code))
    return [(p, len(articles[p.code]),
             sorted(articles[p.code], key=lambda r: (r.get("published_at") or "", r["id"]), reverse=True)[:per_place])
            for p in ordered]
