"""Run reports and the health verdict a cron job needs (`scrapy crawl` exits 0 regardless).

Pure functions over a finished crawl's stats and the previous run's report.
"""

from __future__ import annotations

from dataclasses import dataclass

from wardcrawl import stats as keys
from wardcrawl.safety.retry import RESPONSE_FAILURES
from wardcrawl.state.guard import write_failures

COVERED_FIELDS = ("title", "body", "published_at")


@dataclass(frozen=True)
class Thresholds:
    max_error_ratio: float = 0.2  # failed requests, layout misses and rejects per request
    max_coverage_drop: float = 0.3  # a field's coverage this far below the previous run's is a layout change
    min_article_pages: int = 10  # fewer parsed pages than this say nothing about coverage
    max_deferred_runs: int = 3  # a request deferred this many runs in a row is not transient any more
    max_gone_ratio: float = 0.2  # 404/410 answers per request: a few are deleted articles, many a broken site
    min_gone: int = 10  # ... counted from this many on

    @classmethod
    def from_settings(cls, settings) -> Thresholds:
        return cls(settings.getfloat("HEALTH_MAX_ERROR_RATIO", cls.max_error_ratio),
                   settings.getfloat("HEALTH_MAX_COVERAGE_DROP", cls.max_coverage_drop),
                   settings.getint("HEALTH_MIN_ARTICLE_PAGES", cls.min_article_pages),
                   settings.getint("HEALTH_MAX_DEFERRED_RUNS", cls.max_deferred_runs),
                   settings.getfloat("HEALTH_MAX_GONE_RATIO", cls.max_gone_ratio),
                   settings.getint("HEALTH_MIN_GONE", cls.min_gone))


def _under(stats: dict, prefix: str) -> dict[str, int]:
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}




def errors_by_type(stats: dict) -> dict[str, int]:
    """Failures that cost data: given-up downloads, HTTP errors, layout misses, rejects, spider errors.

    Every request that failed for good is counted once: download failures (timeouts, resets,
    truncated bodies, pages too large, redirect loops, an unreadable robots.txt...) by reason
    under download/, error statuses under http/ (or listing/HttpError when a listing walk
    handled them). A deferred request is an error of the run that deferred it."""
    errors = {f"download/{k}": v for k, v in _under(stats, f"{keys.PREFIX}/failed/").items()
              if not k.startswith(RESPONSE_FAILURES)}
    errors.update({f"http/{k}": v for k, v in _under(stats, "httperror/response_ignored_status_count/").items()})
    # A listing page's download failure is already under download/; its HTTP errors are not.
    errors.update({f"listing/{k}": v for k, v in _under(stats, f"{keys.PREFIX}/listing_error/").items()
                   if k == "HttpError"})
    errors.update({f"spider/{k}": v for k, v in _under(stats, "spider_exceptions/").items()})
    layout = sum(_under(stats, f"{keys.PREFIX}/layout_miss/").values())
    if layout:
        errors["layout_miss"] = layout
    # A record counts once, not once per reason (an older run's stats only have the reasons).
    rejected = stats.get(keys.REJECTED_RECORDS) or sum(_under(stats, f"{keys.PREFIX}/rejected/").values())
    if rejected:
        errors["rejected"] = rejected
    return errors


def site_report(stats: dict, previous: dict | None, thresholds: Thresholds = Thresholds()) -> dict:
    article_pages = stats.get(keys.ARTICLE_PAGES, 0)
    requests = stats.get("downloader/request_count", 0)
    errors = errors_by_type(stats)
    coverage = ({f: round(stats.get(keys.coverage(f), 0) / article_pages, 4) for f in COVERED_FIELDS}
                if article_pages else None)
    report = {
        "pages": stats.get("response_received_count", 0),
        "requests": requests,
        "articles": {
            "listed": stats.get(keys.ARTICLES_LISTED, 0),
            "fetched": article_pages,
            "new": stats.get(keys.articles("new"), 0),
            "updated": stats.get(keys.articles("updated"), 0),
            "unchanged": stats.get(keys.articles("unchanged"), 0),
            "skipped_known": stats.get(keys.SKIPPED_KNOWN, 0),
            "recovered": stats.get(f"{keys.PREFIX}/recovered_records", 0),
            "torn": stats.get(f"{keys.PREFIX}/recovered_torn", 0),  # torn journal lines: fetched again
            # exported (new or updated) by where the bytes came from: live, wayback, commoncrawl, warc-file
            "sources": _under(stats, f"{keys.PREFIX}/articles_from/"),
        },
        "drops": {**_under(stats, f"{keys.PREFIX}/dropped/"),
                  **{f"rejected/{k}": v for k, v in _under(stats, f"{keys.PREFIX}/rejected/").items()},
                  **{f"page/{k}": v for k, v in _under(stats, f"{keys.PREFIX}/page_dropped/").items()}},
        "errors": errors,
        # Errors per request; a page can cost two (a layout miss, then a reject), so at most 1.
        "error_ratio": min(1.0, round(sum(errors.values()) / requests, 4)) if requests else 0.0,
        # Faults (docs/faults.md): every request that failed for good, by reason; transient failures
        # that a retry overcame; requests refused on purpose; pages gone; what waits for the next run.
        "failed": _under(stats, f"{keys.PREFIX}/failed/"),
        "retried": _under(stats, f"{keys.PREFIX}/retried/"),
        "blocked": _under(stats, f"{keys.PREFIX}/blocked/"),
        "gone": _under(stats, f"{keys.PREFIX}/gone/"),
        "listing_errors": _under(stats, f"{keys.PREFIX}/listing_error/"),
        "deferred": deferred_report(stats),
        "coverage": coverage,
        "listing_ends": _under(stats, f"{keys.PREFIX}/listing_end/"),
        "listing_over_limit": stats.get(keys.LISTING_OVER_LIMIT, 0),
        # New-CMS categories walked without their listing-API values, or whose values got an empty answer.
        "listing_api": {"missing": sorted(_under(stats, f"{keys.PREFIX}/listing_api_missing/")),
                        "empty": sorted(_under(stats, f"{keys.PREFIX}/listing_api_empty/"))},
        # Per host: the delay and concurrency it got and why (robots.txt, registry, settings).
        "politeness": stats.get(keys.POLITENESS) or {},
        "duration_s": round(stats.get("elapsed_time_seconds", 0.0), 2),
        "finish_reason": stats.get("finish_reason"),
        # Writes that failed (disk full, read-only, I/O error): the run failed (exit status 3).
        "write_failed": write_failures(stats),
    }
    report["reasons"] = unhealthy_reasons(report, previous, thresholds)
    report["healthy"] = not report["reasons"]
    return report


def deferred_report(stats: dict) -> dict:
    """Requests deferred to the next run: by this run (count, reasons), recovered from earlier runs,
    still pending after this run, and stuck (pending for HEALTH_MAX_DEFERRED_RUNS runs or more)."""
    reasons = _under(stats, f"{keys.PREFIX}/deferred/")
    return {"count": sum(reasons.values()), "reasons": reasons,
            "recovered": stats.get(f"{keys.PREFIX}/deferred_recovered", 0),
            "pending": stats.get(f"{keys.PREFIX}/deferred_pending", 0),
            "stuck": stats.get(f"{keys.PREFIX}/deferred_stuck", 0)}


def unhealthy_reasons(report: dict, previous: dict | None, thresholds: Thresholds) -> list[str]:
    reasons = [f"write_failed: {message}" for message in report.get("write_failed", {}).values()]
    if report["finish_reason"] != "finished":
        reasons.append(f"finish_reason: the crawl ended with {report['finish_reason']!r}")
    cut = report["listing_ends"].get("failed_page", 0)
    if cut:
        reasons.append(f"listing: {cut} listing walks ended at a page that failed for good; the articles "
                       "past it were not seen (the next run walks every page)")
    gone = sum(report["gone"].values())
    if report["requests"] and gone >= thresholds.min_gone and gone / report["requests"] > thresholds.max_gone_ratio:
        reasons.append(f"gone: {gone} of {report['requests']} requests answered 404/410 "
                       f"(threshold {thresholds.max_gone_ratio:.2f}); the site or the server is broken")
    listed_before = (previous or {}).get("articles", {}).get("listed", 0)
    if report["articles"]["listed"] == 0 and (listed_before > 0 or previous is None):
        before = f"previous run listed {listed_before}" if previous else "first run"
        reasons.append(f"no_articles: the listing pages showed no articles ({before})")
    if report["error_ratio"] > thresholds.max_error_ratio:
        reasons.append(f"error_ratio: {report['error_ratio']:.2f} of requests failed "
                       f"(threshold {thresholds.max_error_ratio:.2f}): {report['errors']}")
    api = report.get("listing_api") or {}
    if api.get("missing"):
        reasons.append(f"listing_api_missing: no listing-API values (Site, LanguageId, Catname, PageSize) for "
                       f"{', '.join(api['missing'])}; only its category page and HTML pager, if any, were walked. "
                       "Capture them from a browser's network tab into the registry (docs/sites/hanoicms.md)")
    if api.get("empty"):
        reasons.append(f"listing_api_empty: the listing API answered nothing at the first page of "
                       f"{', '.join(api['empty'])}; its values are probably wrong or outdated: capture them again "
                       "(docs/sites/hanoicms.md)")
    stuck = (report.get("deferred") or {}).get("stuck", 0)
    if stuck:
        reasons.append(f"deferred: {stuck} requests failed in {thresholds.max_deferred_runs} or more runs in a row "
                       "(still deferred; see the state store's deferred table)")
    fetched = report["articles"]["fetched"]
    if report["coverage"] and fetched >= thresholds.min_article_pages:
        before = (previous or {}).get("coverage") or {}
        for field, value in report["coverage"].items():
            baseline = before.get(field, 1.0)  # no history: a healthy site covers every field
            if value < baseline - thresholds.max_coverage_drop:
                reasons.append(f"layout: {field} found on {value:.0%} of {fetched} article pages "
                               f"(previous run {baseline:.0%}); the site's layout probably changed")
    return reasons
