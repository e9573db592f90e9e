"""The report's numbers: months, gaps, coverage, places (present, absent or malformed)."""

from collections import Counter

from wardcrawl.report import figures


def test_months_between_crosses_years():
    assert figures.months_between("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert figures.months_apart("2024-11", "2025-02") == 3


def test_a_missing_month_in_a_steady_site_is_a_gap():
    counts = Counter({m: 3 for m in figures.months_between("2024-01", "2024-12")})
    del counts["2024-06"]
    assert figures.find_gaps(counts) == ["2024-06"]


def test_a_sparse_site_has_no_gaps_and_the_span_edges_never_are():
    sparse = Counter({"2020-01": 1, "2021-06": 1, "2023-03": 2})  # a site that rarely publishes
    assert figures.find_gaps(sparse) == []
    assert figures.find_gaps(Counter()) == []


def test_two_missing_months_in_a_row_are_both_gaps():
    counts = Counter({m: 2 for m in figures.months_between("2024-01", "2025-06")})
    del counts["2024-09"], counts["2024-10"]
    assert figures.find_gaps(counts) == ["2024-09", "2024-10"]


def _record(site="s", published="2025-01-05T08:00:00+07:00", **extra):
    return {"id": f"{site}:{published}", "site": site, "title": "T", "body": "B", "published_at": published,
            "published_precision": "minute", **extra}


def test_coverage_counts_places_only_when_well_formed():
    records = [_record(places=[{"code": "00001", "name": "Việt Hưng", "level": "ward"}]),
               _record(places="Việt Hưng"),  # malformed: ignored, not a crash
               _record(places=[{"level": "ward"}]),  # no name: ignored
               _record()]  # no places field at all
    shares = figures.coverage(records)
    assert shares["places"] == 0.25
    assert shares["title"] == shares["body"] == shares["date"] == 1.0


def test_time_coverage_leaves_out_day_precision():
    records = [_record(), _record(published="2025-01-06", published_precision="day")]
    assert figures.coverage(records)["time"] == 0.5


def test_newest_by_place_puts_wards_first_and_newest_first():
    ward = {"code": "10105", "name": "Việt Hưng", "level": "ward"}
    district = {"code": "004", "name": "Long Biên", "level": "district"}
    records = [_record(published="2025-01-01", places=[district, ward]),
               _record(published="2025-03-01", places=[ward]),
               _record(published="2025-02-01", places=[ward])]
    result = figures.newest_by_place(records, per_place=2)
    assert [place.name for place, _, _ in result] == ["Việt Hưng", "Long Biên"]
    place, total, newest = result[0]
    assert total == 3
    assert [r["published_at"] for r in newest] == ["2025-03-01", "2025-02-01"]
    assert figures.newest_by_place([_record()]) == []


def test_run_coverage_reads_the_crawls_page_counts():
    report = {"coverage": {"title": 1.0, "body": 0.25, "published_at": 0.9}}
    values = figures.run_coverage(report, [_record()])
    assert values == {"title": 1.0, "body": 0.25, "date": 0.9, "places": 0.0}
    assert figures.run_coverage({"coverage": None}, [])["places"] is None
