"""Extraction cost per page: wardcrawl's parser and cleaning vs trafilatura, readability-lxml
and the parse floor, on the same pages, on one core.

    .venv/bin/python benchmarks/extraction.py        (part of `make bench`)

Pages: BENCH_EXTRACT_PAGES (default 60) article pages per platform family of the scaled
mirror (mirror/scaled.py: the throughput tree of BENCH_THROUGHPUT_N articles; ~41 KB each,
spread over each site), and the gold set (every fixture article page under tests/fixtures/,
as benchmarks/accuracy.py reads them).
Every tool gets the page's raw bytes and its URL. One warm-up pass, then BENCH_EXTRACT_PASSES
passes (default 3), the tools taking turns every 20 pages within each pass (order rotating),
trafilatura's caches cleared before each pass; ms/page is the median pass. wardcrawl's records on the generated
pages are checked against the generator's ground truth.

- lxml parse: ``lxml.html.document_fromstring(bytes)``, the floor of any lxml-based tool;
- lexbor parse (selectolax), for reference: another parser's floor;
- wardcrawl extract: ``wardcrawl.archive.extract.extract``, what the crawl does per article page:
  decoding from the bytes, the family parser, cleaning, normalising and schema validation;
- wardcrawl without validation: the same (places included), schema validation left out;
- wardcrawl parser only: decoding and the family parser (``FAMILY_PARSERS``), no cleaning;
- wardcrawl places tagging: ``wardcrawl.places.record.tag_article`` alone, on the page's cleaned and
  normalised article (made once before timing): the cost the places step adds to every article;
- trafilatura: ``trafilatura.extract`` (text); with metadata: ``bare_extraction(with_metadata=True)``;
- readability-lxml: ``Document(bytes, url=...)`` with ``.summary()`` and ``.title()``.

Targets (generated pages): wardcrawl extract <= 3x the lxml parse floor, and >= 10x faster
than trafilatura with metadata; places tagging <= 0.3 ms per article. Exits 1 when one is missed.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Target, build, env_int, fmt, print_targets, say, table  # noqa: E402
from wardcrawl.text.dates import HANOI_TZ  # noqa: E402

FLOOR_RATIO = 3.0
PLACES_MS = 0.3
TRAFILATURA_RATIO = 10.0
HEADERS = {"Content-Type": "text/html; charset=utf-8"}


def generated_pages(per_family: int) -> list[dict]:
    from mirror.scaled import expected_records
    from wardcrawl.sites import load_registry

    mirror = build(env_int("BENCH_THROUGHPUT_N", 1700))
    sites = load_registry(mirror.registry)
    truth = expected_records(mirror)
    return [{"site": sites[slug], "url": url, "body": path.read_bytes(), "headers": HEADERS, "expected": truth[url]}
            for slug, url, path in mirror.article_files(per_family)]


CHECKED = ("title", "published_at", "authors", "section", "lead", "images", "keywords", "unit", "body")


def correctness(pages: list[dict]) -> tuple[int, dict]:
    """(records equal to the ground truth on every checked field, misses by field) of wardcrawl extract."""
    from wardcrawl.archive.extract import extract, make_response

    misses: dict[str, int] = {}
    good = 0
    for page in pages:
        record = extract(page["site"], make_response(page["url"], page["body"], page["headers"])).record or {}
        want = {**page["expected"], "body": "\n\n".join(page["expected"]["body_paragraphs"])}
        wrong = [f for f in CHECKED if record.get(f) != want.get(f)]
        for f in wrong:
            misses[f] = misses.get(f, 0) + 1
        good += not wrong
    return good, misses


def gold_set() -> list[dict]:
    from benchmarks.accuracy import gold_pages
    from wardcrawl.sites import registry

    return [{"site": registry()[p["meta"]["site"]], "url": p["meta"]["url"], "body": p["body"],
             "headers": {k: v for k, v in p["meta"]["headers"].items() if k.lower() == "content-type"}}
            for p in gold_pages()]


def tools() -> dict:
    import lxml.html
    import trafilatura
    from readability import Document

    from wardcrawl.archive.extract import extract, make_response
    from wardcrawl.places.record import tag_article

    def no_validation(page):
        article = normalised(page)
        return asdict(tag_article(article)) if article is not None else None

    def places_tagging(page):
        return tag_article(page["normalised"]) if page["normalised"] is not None else None

    def readability(page):
        doc = Document(page["body"], url=page["url"])
        return doc.title(), doc.summary()

    found = {
        "lxml parse (floor)": lambda p: lxml.html.document_fromstring(p["body"]),
        "wardcrawl extract": lambda p: extract(p["site"], make_response(p["url"], p["body"], p["headers"]), NOW),
        "wardcrawl without validation": no_validation,
        "wardcrawl parser only": parsed,
        "wardcrawl places tagging": places_tagging,
        "trafilatura": lambda p: trafilatura.extract(p["body"], url=p["url"]),
        "trafilatura with metadata": lambda p: trafilatura.bare_extraction(p["body"], url=p["url"], with_metadata=True),
        "readability-lxml": readability,
    }
    try:
        from selectolax.lexbor import LexborHTMLParser

        found["lexbor parse (selectolax)"] = lambda p: LexborHTMLParser(p["body"])
    except ImportError:
        pass
    return found


NOW = datetime(2026, 1, 1, tzinfo=HANOI_TZ)


def parsed(page):
    """Decoding and the family parser: the article as parsed, before cleaning."""
    from wardcrawl.text.decoding import decoded_response
    from wardcrawl.archive.extract import make_response
    from wardcrawl.parsers import FAMILY_PARSERS

    response = decoded_response(make_response(page["url"], page["body"], page["headers"]))
    return FAMILY_PARSERS[page["site"].family](response, page["site"], fetched_at=NOW.isoformat())


def normalised(page):
    """The article cleaned and normalised (what the places step gets), or None on a layout miss."""
    from wardcrawl.text.cleaning import clean_article, normalise_article

    article = parsed(page)
    return None if article is None else normalise_article(clean_article(article)[0], NOW)


def reset_caches() -> None:
    """trafilatura's and htmldate's LRU caches hold results per date string and per page: cleared before every
    timed run, so repeated passes over the same pages do not flatter them (wardcrawl keeps no such cache)."""
    from trafilatura.meta import reset_caches as reset_trafilatura

    reset_trafilatura()


def timed(run, pages: list[dict]) -> float:
    started = time.perf_counter()
    for page in pages:
        run(page)
    return (time.perf_counter() - started) * 1000 / len(pages)


def interleaved(runners: dict, pages: list[dict], chunk: int = 20) -> dict[str, float]:
    """ms/page of each tool over ``pages``, the tools taking turns every ``chunk`` pages (their
    order rotating), so that a change of machine speed during the pass (frequent on a shared VM:
    the same parse took 0.43 or 0.75 ms a few seconds apart) weighs on every tool alike. Each
    tool runs a chunk in a row, with warm caches, as it would over a crawl's pages."""
    reset_caches()  # no tool sees a page it met in an earlier pass
    gc.collect()
    names = list(runners)
    total = dict.fromkeys(names, 0.0)
    for turn, start in enumerate(range(0, len(pages), chunk)):
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            total[name] += timed(runners[name], pages[start:start + chunk]) * len(pages[start:start + chunk])
    return {name: ms / len(pages) for name, ms in total.items()}


def run() -> dict:
    per_family = env_int("BENCH_EXTRACT_PAGES", 60)
    passes = env_int("BENCH_EXTRACT_PASSES", 3)
    sets = {"generated": generated_pages(per_family), "gold set": gold_set()}
    runners = tools()
    for pages in sets.values():  # what the places step gets: the cleaned, normalised article
        for page in pages:
            page["normalised"] = normalised(page)
    say(f"extraction: {len(sets['generated'])} generated pages, {len(sets['gold set'])} gold pages, "
        f"{len(runners)} tools, {passes} passes")
    for name, pages in sets.items():  # warm-up: imports, compiled patterns, caches every real run has too
        for run_ in runners.values():
            timed(run_, pages[:20])
    times: dict[str, dict[str, list[float]]] = {t: {s: [] for s in sets} for t in runners}
    for p in range(passes):
        for set_name, pages in sets.items():
            for tool, ms in interleaved(runners, pages).items():
                times[tool][set_name].append(ms)
        say(f"  pass {p + 1}: wardcrawl {times['wardcrawl extract']['generated'][-1]:.2f} ms/page, "
            f"trafilatura with metadata {times['trafilatura with metadata']['generated'][-1]:.2f} ms/page")
    ms = {t: {s: statistics.median(v) for s, v in by_set.items()} for t, by_set in times.items()}
    floor = ms["lxml parse (floor)"]
    meta = ms["trafilatura with metadata"]
    order = ["lxml parse (floor)", "lexbor parse (selectolax)", "wardcrawl places tagging", "wardcrawl parser only",
             "wardcrawl without validation",
             "wardcrawl extract", "trafilatura", "trafilatura with metadata", "readability-lxml"]
    rows = []
    for tool in [t for t in order if t in ms]:
        g, s = ms[tool]["generated"], ms[tool]["gold set"]
        rows.append([tool, fmt(g, 2), f"{g / floor['generated']:.1f}", f"{meta['generated'] / g:.1f}",
                     fmt(s, 2), f"{s / floor['gold set']:.1f}"])
    size = statistics.mean(len(p["body"]) for p in sets["generated"]) / 1024
    gold_size = statistics.mean(len(p["body"]) for p in sets["gold set"]) / 1024
    print(table(["tool", "ms/page", "x lxml parse", "trafilatura+meta / tool", "gold ms/page", "gold x lxml parse"],
                rows, f"Extraction cost, one core: {len(sets['generated'])} generated article pages (~{size:.0f} KB), "
                      f"{len(sets['gold set'])} gold-set pages (~{gold_size:.0f} KB); median of {passes} passes"))
    good, misses = correctness(sets["generated"])
    print(f"\nwardcrawl records equal to the generator's ground truth ({', '.join(CHECKED)}): "
          f"{good}/{len(sets['generated'])}" + (f"; misses by field: {misses}" if misses else ""))
    ward = ms["wardcrawl extract"]["generated"]
    targets = [Target("extraction: wardcrawl extract vs lxml parse floor", ward / floor["generated"], FLOOR_RATIO, "<=", "x"),
               Target("extraction: trafilatura with metadata vs wardcrawl extract", meta["generated"] / ward,
                      TRAFILATURA_RATIO, ">=", "x"),
               Target("extraction: places tagging per article", ms["wardcrawl places tagging"]["generated"], PLACES_MS,
                      "<=", " ms")]
    print_targets(targets)
    return {"ms_per_page": ms, "pages": {k: len(v) for k, v in sets.items()}, "correct": good, "targets": targets}


def main() -> int:
    result = run()
    return 0 if all(t.met for t in result["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
