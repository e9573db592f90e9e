"""The human summary's per-source lines: shown for archive recoveries, not for plain live nights."""

from __future__ import annotations

from wardcrawl.report.console import source_lines


def _report(**sources):
    return {"sites": {slug: {"articles": {"sources": counts}} for slug, counts in sources.items()}}


def test_a_live_night_prints_no_source_lines():
    assert source_lines(_report(longbien={"live": 45}, badinh={"live": 16}, empty={})) == []


def test_sites_with_archive_sources_get_their_line_and_live_only_sites_none():
    lines = source_lines(_report(longbien={"live": 45}, badinh={"wayback": 18, "live": 2}))
    assert lines == ["badinh articles from: wayback 18, live 2", ""]
