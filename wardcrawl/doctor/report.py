"""doctor's printed report: a block per page fetched, then the verdict."""

from __future__ import annotations

from wardcrawl.doctor.checks import PageCheck, Row

VERDICTS = {0: "everything the crawl needs was found",
            1: "something the crawl needs is missing (see MISS lines)",
            2: "the site could not be reached (see UNREACHABLE lines)"}


def _table(rows: list[Row]) -> list[str]:
    if not rows:
        return []
    header = ("selector", "from", "css", "result", "text")
    cells = [(r.name, r.source, r.css if len(r.css) <= 44 else r.css[:43] + "…", r.verdict,
              f'"{r.sample}"' if r.sample else "") for r in rows]
    widths = [max(len(c[i]) for c in [header, *cells]) for i in range(4)]
    lines = []
    for row in [header, *cells]:
        lines.append("    " + "  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[4])
    return [line.rstrip() for line in lines]


def page_block(check: PageCheck) -> list[str]:
    status = f"HTTP {check.status}" if check.status is not None else "no answer"
    lines = [f"== {check.kind}: {check.url}", f"  {status}" + (f", saved as {check.saved}" if check.saved else "")]
    if check.encoding:
        lines.append(f"  encoding: {check.encoding}")
    lines += _table(check.rows)
    lines += [f"  {note}" for note in check.notes]
    if check.error:
        lines.append(f"  UNREACHABLE: {check.error}")
    lines += [f"  MISS: {miss}" for miss in check.misses]
    return lines


def render(slug: str, pages: list[PageCheck], folder, exit_code: int, profile: str) -> str:
    lines = [f"doctor {slug} ({profile})", ""]
    for check in sorted(pages, key=lambda p: p.group):  # by section, in the order fetched
        lines += page_block(check) + [""]
    saved = sum(1 for p in pages if p.saved)
    lines.append(f"saved {saved} pages (fixture candidates: page + .meta.json) under {folder}")
    lines.append(f"exit {exit_code}: {VERDICTS[exit_code]}")
    return "\n".join(lines)
