"""The coverage report: one self-contained HTML page (inline CSS and SVG; no script, no external
file, no network), built from the archive (wardcrawl/report/archive.py)."""

from __future__ import annotations

from html import escape

from wardcrawl.report import figures, plots
from wardcrawl.report.archive import Archive, site_names

NEWEST_PER_PLACE = 5
MAX_PLACES = 300

GLOSSARY = [
    ("articles", "distinct articles (ids) in the feeds; an article edited by its site counts once, in its "
                 "newest version. Versions counts every exported version."),
    ("articles per site per month", "articles by the month of their publication date (published_at), one per "
                                    "article id. A cell is empty (white) outside the site's first and last month."),
    ("gap", f"a month inside a site's span with no article, where the site usually publishes: it published in at "
            f"least {figures.GAP_SHARE:.0%} of the months around it ({figures.GAP_WINDOW} either side, within "
            f"its span, at least {figures.GAP_MIN_WINDOW}). A gap is a month the crawler may have missed, or one "
            "the site itself left empty: check the site's listing for that month."),
    ("quiet", "months between a site's newest article and its last run: a site that went quiet, or a listing "
              "the crawler no longer reaches."),
    ("coverage by month", "share of the articles published in a month that carry the field: title, body, date "
                          "(published_at), time (a date with a time of day, not just the day), places (the "
                          "places the article is tagged with). Exported records always have a title, a body "
                          "and a date (the schema requires them); pages without them are rejected and show "
                          "in the coverage by run."),
    ("coverage by run", "for each run of a site: the share of the article pages it fetched where the parser "
                        "found a title, a body and a date (rejected pages included: a layout change shows "
                        "here first), and the share of the records it exported that carry places."),
    ("new / updated / unchanged", "in a site's last run: articles exported for the first time (version 1), "
                                  "edited since their last capture (exported again as the next version), "
                                  "and fetched again but unchanged (not exported)."),
    ("health", "the last run's verdict (docs/cron.md): a site is unhealthy when its crawl did not finish, "
               "its listings showed no articles, too many requests failed, a request stayed deferred for "
               "several runs, or the coverage of a field fell (a layout change). The reasons are quoted."),
    ("newest articles per ward", "articles tagged with a place (the record's places field), wards and "
                                 "communes first; the newest few per place, by publication date."),
]

STYLE = """
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;
color:#1a1a1a;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
h3{font-size:1rem;margin-bottom:.3rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border-bottom:1px solid #e2e2e2;padding:.2rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1a7f37;font-weight:bold}.bad{color:#b42318;font-weight:bold}.note{color:#555;font-size:.85rem}
.figure{overflow-x:auto;margin:.5rem 0}.figure svg{max-width:100%;height:auto}
.gap{color:#b42318}dl dt{font-weight:bold;margin-top:.4rem}dl dd{margin-left:1rem}
details{margin:.3rem 0 1rem}summary{cursor:pointer;color:#333}
.summary span{display:inline-block;margin-right:1.5rem}.summary b{font-size:1.2rem}
"""


def build(archive: Archive) -> str:
    latest = list(archive.latest().values())
    names = site_names()
    sites = archive.sites
    counts = figures.monthly_counts(latest)
    gaps = {site: figures.find_gaps(c) for site, c in counts.items()}
    parts = [_header(archive, latest, sites, gaps),
             _sites_table(archive, sites, names, counts, gaps),
             _heatmap_section(sites, counts, gaps),
             _coverage_section(archive, latest, sites),
             _places_section(latest, names),
             _glossary()]
    title = "wardcrawl: what the archive holds"
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{escape(title)}</h1>\n" + "\n".join(parts) + "\n</body>\n</html>\n")


def _vi(text: str | None) -> str:
    """Vietnamese text, escaped and marked as such (screen readers, hyphenation, fonts)."""
    return f'<span lang="vi">{escape(text or "")}</span>'


def _header(archive: Archive, latest: list[dict], sites: list[str], gaps: dict[str, list[str]]) -> str:
    dates = sorted(r["published_at"][:10] for r in latest if r.get("published_at"))
    last_run = archive.runs[-1].run_id if archive.runs else None
    numbers = [("articles", len(latest)), ("versions", len(archive.records)), ("sites", len(sites)),
               ("feeds", len(archive.feeds)), ("runs", len({r.run_id for r in archive.runs})),
               ("gaps", sum(len(g) for g in gaps.values()))]
    span = f"published {dates[0]} to {dates[-1]}" if dates else "no articles yet"
    note = (f"Data: <code>{escape(str(archive.data_dir))}</code>; last run <code>{escape(last_run or 'none')}</code>;"
            f" {span}. Each number is explained at the end.")
    if archive.unreadable_lines:
        note += f' <span class="bad">{archive.unreadable_lines} feed lines were not records (see the log).</span>'
    cells = "".join(f"<span><b>{n}</b> {label}</span>" for label, n in numbers)
    return f'<p class="summary">{cells}</p>\n<p class="note">{note}</p>'


def _sites_table(archive: Archive, sites: list[str], names: dict[str, str], counts, gaps) -> str:
    rows = []
    for site in sites:
        run = archive.last_run(site)
        report = run.report if run else {}
        articles = report.get("articles", {})
        active = sorted(m for m, n in counts.get(site, {}).items() if n)
        quiet = (figures.months_apart(active[-1], f"{run.run_id[:4]}-{run.run_id[4:6]}")
                 if run and active else None)
        if not run:
            health = '<span class="note">no run recorded</span>'
        elif report.get("healthy"):
            health = '<span class="ok">healthy</span>'
        else:
            health = '<span class="bad">unhealthy</span><br>' + "<br>".join(escape(r) for r in report.get("reasons", []))
        rows.append(
            f"<tr><td><b>{escape(site)}</b><br>{_vi(names.get(site, ''))}</td>"
            f"<td>{escape(run.run_id) if run else '—'}</td><td>{health}</td>"
            + "".join(f'<td class="n">{articles.get(k, "—")}</td>' for k in ("new", "updated", "unchanged"))
            + f'<td class="n">{sum(counts.get(site, {}).values())}</td>'
            f"<td>{escape(active[0]) if active else '—'} … {escape(active[-1]) if active else '—'}</td>"
            f'<td class="n">{quiet if quiet is not None else "—"}</td>'
            f'<td class="n{" gap" if gaps.get(site) else ""}">{len(gaps.get(site, []))}</td></tr>')
    head = ("<tr><th>site</th><th>last run</th><th>health (last run)</th><th class=n>new</th><th class=n>updated</th>"
            "<th class=n>unchanged</th><th class=n>articles</th><th>first … last month</th>"
            "<th class=n>quiet (months)</th><th class=n>gaps</th></tr>")
    return f'<h2 id="sites">Sites</h2>\n<table id="sites-table">{head}{"".join(rows)}</table>'


def _heatmap_section(sites: list[str], counts, gaps) -> str:
    months = sorted(m for c in counts.values() for m in c)
    if not months:
        return '<h2 id="months">Articles per site per month</h2>\n<p class="note">No articles yet.</p>'
    plotted = [s for s in sites if s in counts]
    svg = plots.articles_heatmap(plotted, counts, gaps, months[0], months[-1])
    gap_items = "".join(f'<li><b>{escape(site)}</b>: {", ".join(escape(m) for m in gaps[site])}</li>'
                        for site in plotted if gaps.get(site))
    gap_list = f'<ul id="gap-list" class="gap">{gap_items}</ul>' if gap_items else '<p class="note">No gaps.</p>'
    table_rows = "".join(
        f"<tr><td>{escape(site)}</td><td>" + ", ".join(f"{escape(m)}: {n}" for m, n in sorted(counts[site].items()))
        + "</td></tr>" for site in plotted)
    return (f'<h2 id="months">Articles per site per month</h2>\n'
            f'<div class="figure" role="img" aria-label="articles per site per month">{svg}</div>\n'
            f"<h3>Gaps (months with nothing where the site usually publishes)</h3>\n{gap_list}\n"
            f"<details><summary>the numbers</summary><table>{table_rows}</table></details>")


def _coverage_section(archive: Archive, latest: list[dict], sites: list[str]) -> str:
    out = ['<h2 id="coverage">Field coverage over time</h2>']
    by_month = figures.coverage_by_month(latest)
    if by_month:
        out.append("<h3>By month of publication (all sites)</h3>")
        out.append(f'<div class="figure" role="img" aria-label="field coverage by month">'
                   f"{plots.coverage_by_month(by_month)}</div>")
        fields = list(figures.COVERAGE_FIELDS)
        rows = "".join(f'<tr><td>{escape(m)}</td><td class="n">{n}</td>'
                       + "".join(f'<td class="n">{shares[f]:.0%}</td>' for f in fields) + "</tr>"
                       for m, (n, shares) in by_month.items())
        head = "<tr><th>month</th><th class=n>articles</th>" + "".join(f"<th class=n>{f}</th>" for f in fields)
        out.append(f"<details><summary>the numbers</summary><table>{head}</tr>{rows}</table></details>")
    per_site = {site: [(run.run_id, figures.run_coverage(run.report, archive.exported.get((site, run.run_id), [])))
                       for run in archive.runs if run.site == site] for site in sites}
    per_site = {site: runs for site, runs in per_site.items() if runs}
    if per_site:
        out.append("<h3>By run, per site (pages the crawler fetched)</h3>")
        out.append(f'<div class="figure" role="img" aria-label="field coverage by run">'
                   f"{plots.coverage_by_run(per_site)}</div>")
        rows = "".join(f"<tr><td>{escape(site)}</td><td>{escape(run_id)}</td>"
                       + "".join(f'<td class="n">{"—" if v[f] is None else format(v[f], ".0%")}</td>'
                                 for f in ("title", "body", "date", "places")) + "</tr>"
                       for site, runs in per_site.items() for run_id, v in runs)
        head = "<tr><th>site</th><th>run</th>" + "".join(f"<th class=n>{f}</th>" for f in ("title", "body", "date",
                                                                                             "places"))
        out.append(f"<details><summary>the numbers</summary><table>{head}</tr>{rows}</table></details>")
    return "\n".join(out)


def _places_section(latest: list[dict], names: dict[str, str]) -> str:
    heading = '<h2 id="places">Newest articles per ward</h2>'
    places = figures.newest_by_place(latest, NEWEST_PER_PLACE)
    if not places:
        return (f'{heading}\n<p class="note">No record carries places yet: the place tagger fills the '
                "<code>places</code> field of new captures (re-crawl with <code>--full</code>, or re-extract, "
                "to tag older ones).</p>")
    blocks = []
    for place, total, articles in places[:MAX_PLACES]:
        items = "".join(
            f'<li>{escape((r.get("published_at") or "")[:10])} · {escape(r["site"])} · '
            f'<a href="{escape(r.get("canonical_url") or r.get("url") or "", quote=True)}">{_vi(r.get("title"))}</a></li>'
            for r in articles)
        level = f" ({escape(place.level)})" if place.level else ""
        blocks.append(f'<h3 id="place-{escape(place.code, quote=True)}">{_vi(place.name)}{level} '
                      f'<span class="note">{total} articles</span></h3><ul>{items}</ul>')
    more = (f'<p class="note">{len(places) - MAX_PLACES} more places are in the database.</p>'
            if len(places) > MAX_PLACES else "")
    return heading + "\n" + "\n".join(blocks) + more


def _glossary() -> str:
    items = "".join(f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>" for term, text in GLOSSARY)
    return f'<h2 id="glossary">What the numbers mean</h2>\n<dl>{items}</dl>'
