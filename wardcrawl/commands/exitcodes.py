"""Exit statuses of every wardcrawl command (docs/cron.md, docs/faults.md), in one place.

| code | name      | meaning                                                                |
|------|-----------|------------------------------------------------------------------------|
| 0    | OK        | the run did its job and every site is healthy                          |
| 1    | UNHEALTHY | the run finished, but a site is unhealthy (the report says why)        |
| 2    | USAGE     | bad arguments (Scrapy's UsageError exits 2 too)                         |
| 3    | FAILED    | the run could not do its job: a write failed, the state store is damaged... |
| 75   | LOCKED    | another run holds the data dir's lock; nothing was done (EX_TEMPFAIL)  |
"""

from __future__ import annotations

OK = 0
UNHEALTHY = 1
USAGE = 2
FAILED = 3
LOCKED = 75  # sysexits EX_TEMPFAIL: try again later


def for_report(report: dict) -> int:
    """The exit status a run report calls for: FAILED over UNHEALTHY over OK."""
    if report.get("run_failed"):
        return FAILED
    return OK if report.get("healthy") else UNHEALTHY
