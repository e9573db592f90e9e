"""The report's plots as inline SVG, drawn with matplotlib, byte-for-byte reproducible.

Reproducible: a fixed hash salt (clip-path ids), no creation date in the metadata, text drawn
as paths in matplotlib's bundled DejaVu Sans (the same glyphs on every machine, Vietnamese
included), no raster images. Each SVG's ids get a prefix so several can share one page.
"""

from __future__ import annotations

import io
import re
from collections import Counter

import matplotlib
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from wardcrawl.report.figures import months_apart, months_between

STYLE = {
    "svg.hashsalt": "wardcrawl",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
}
# Colour-blind-safe ramp for article counts; grey for an empty month, red for a gap.
COUNT_COLOURS = ["#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"]
EMPTY_COLOUR = "#e6e6e6"
GAP_COLOUR = "#d7301f"
FIELD_COLOURS = {"title": "#1b9e77", "body": "#d95f02", "date": "#7570b3", "time": "#e7298a", "places": "#66a61e"}
FIELD_MARKERS = {"title": "o", "body": "s", "date": "^", "time": "v", "places": "D"}


def render(figure: Figure, prefix: str) -> str:
    """The figure as an inline <svg> element (no XML prolog), its ids prefixed with ``prefix``."""
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', lambda m: m.group(1) + (f"{prefix}-{m.group(2)}" if m.group(2) in ids
                                                                      else m.group(2)), svg)
    return svg


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width, height))  # laid out by hand: constrained layout costs seconds


def _month_axis(ax, first: str, last: str, label_every: int = 1) -> None:
    """Year ticks (each January) on an axis whose x is months since ``first``."""
    years = range(int(first[:4]) + (first[5:] != "01"), int(last[:4]) + 1)
    ticks = [(months_apart(first, f"{y}-01"), str(y)) for y in years][::label_every]
    if not ticks:  # a span within one year: label its first month
        ticks = [(0, first)]
    ax.set_xticks([t for t, _ in ticks], [label for _, label in ticks])


PAGE_WIDTH = 10.5  # inches: the report's column, so month cells are as wide as the page allows
LABEL_WIDTH = 1.1  # inches for the row labels


def _month_grid(rows: list[str], first: str, last: str, legend_height: float = 0.42):
    """A figure with one axis: ``rows`` down, months of publication across (x: months since
    ``first``), years ticked at each January. Returns (figure, axis)."""
    months = months_between(first, last)
    height = 0.25 * len(rows) + 0.3 + legend_height
    fig = _figure(PAGE_WIDTH, height)
    fig.subplots_adjust(left=LABEL_WIDTH / PAGE_WIDTH, right=0.99, top=1 - 0.05 / height,
                        bottom=(0.3 + legend_height) / height)
    ax = fig.add_subplot()
    ax.set_xlim(0, len(months))
    ax.set_ylim(len(rows), 0)
    ax.set_yticks([i + 0.5 for i in range(len(rows))], rows)
    ax.tick_params(axis="y", length=0)
    _month_axis(ax, first, last)
    ax.grid(axis="x", color="#ffffff", linewidth=0.8)
    ax.set_axisbelow(False)
    return fig, ax


def _cell(ax, first: str, month: str, row: int, colour, gid: str) -> None:
    cell = Rectangle((months_apart(first, month), row), 1, 1, linewidth=0, facecolor=colour)
    cell.set_gid(gid)
    ax.add_patch(cell)


def _legend_below(fig, handles, title: str) -> None:
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=len(handles), frameon=False,
               title=title)


def articles_heatmap(sites: list[str], counts: dict[str, Counter], gaps: dict[str, list[str]],
                     first: str, last: str) -> str:
    """Sites x months of publication, each cell coloured by its article count; a month inside a
    site's span with none is grey, a gap (wardcrawl.report.figures.find_gaps) is outlined in red."""
    top = max((max(c.values(), default=0) for c in counts.values()), default=0)
    bounds = _count_bounds(top)
    cmap = ListedColormap(COUNT_COLOURS[:len(bounds) - 1])
    norm = BoundaryNorm(bounds, cmap.N)
    with matplotlib.rc_context(STYLE):
        fig, ax = _month_grid(sites, first, last)
        for row, site in enumerate(sites):
            active = sorted(m for m, n in counts.get(site, {}).items() if n)
            for month in months_between(active[0], active[-1]) if active else ():
                n = counts[site].get(month, 0)
                _cell(ax, first, month, row, cmap(norm(n)) if n else EMPTY_COLOUR, f"cell-{site}-{month}")
            for month in gaps.get(site, ()):
                mark = Rectangle((months_apart(first, month) - 0.6, row + 0.06), 2.2, 0.88, fill=False,
                                 edgecolor=GAP_COLOUR, linewidth=1.6)
                mark.set_gid(f"gap-{site}-{month}")
                ax.add_patch(mark)
        handles = [Patch(facecolor=cmap(i), label=_bound_label(bounds, i)) for i in range(cmap.N)]
        handles += [Patch(facecolor=EMPTY_COLOUR, label="none"),
                    Patch(facecolor="white", edgecolor=GAP_COLOUR, linewidth=1.6, label="gap")]
        _legend_below(fig, handles, "articles published in the month (white: before the site's first or "
                                    "after its last article)")
        return render(fig, "heatmap")


def _count_bounds(top: int) -> list[float]:
    """Class edges for the count colours: 1, 2, 3, ... or wider classes for busy sites."""
    if top <= len(COUNT_COLOURS):
        return [b + 0.5 for b in range(0, max(top, 1) + 1)]
    step = -(-top // len(COUNT_COLOURS))
    return [0.5 + step * i for i in range(len(COUNT_COLOURS) + 1)]


def _bound_label(bounds: list[float], index: int) -> str:
    low, high = int(bounds[index] + 0.5), int(bounds[index + 1] - 0.5)
    return str(low) if low == high else f"{low}–{high}"


SHARE_BOUNDS = [0, 0.0001, 0.5, 0.8, 0.95, 0.9999, 1.0001]
SHARE_COLOURS = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"]
SHARE_LABELS = ["0 %", "under 50 %", "50–80 %", "80–95 %", "95–99 %", "100 %"]


def coverage_by_month(series: dict[str, tuple[int, dict[str, float]]]) -> str:
    """Fields x months of publication: each cell coloured by the share of that month's articles
    (all sites) with the field present; a month without articles stays white."""
    first, last = min(series), max(series)
    cmap = ListedColormap(SHARE_COLOURS)
    norm = BoundaryNorm(SHARE_BOUNDS, cmap.N)
    fields = list(FIELD_COLOURS)
    with matplotlib.rc_context(STYLE):
        fig, ax = _month_grid(fields, first, last)
        for row, field in enumerate(fields):
            for month, (_, shares) in series.items():
                _cell(ax, first, month, row, cmap(norm(shares[field])), f"coverage-{field}-{month}")
        _legend_below(fig, [Patch(facecolor=c, label=label) for c, label in zip(SHARE_COLOURS, SHARE_LABELS)],
                      "share of the month's articles with the field (white: no article that month)")
        return render(fig, "coverage-month")


def coverage_by_run(per_site: dict[str, list[tuple[str, dict[str, float | None]]]]) -> str:
    """Small multiples, one per site: each field's coverage in each run (x: run date)."""
    sites = list(per_site)
    columns = min(4, len(sites))
    rows = -(-len(sites) // columns)
    with matplotlib.rc_context(STYLE):
        fig = _figure(1.9 * columns + 0.9, 1.45 * rows + 0.5)
        axes = fig.subplots(rows, columns, squeeze=False, sharey=True)
        for index, site in enumerate(sites):
            ax = axes[index // columns][index % columns]
            runs = per_site[site]
            for field, colour in FIELD_COLOURS.items():
                points = [(i, 100 * values[field]) for i, (_, values) in enumerate(runs) if values.get(field) is not None]
                if points:
                    line, = ax.plot(*zip(*points), color=colour, marker=FIELD_MARKERS[field], markersize=3,
                                    linewidth=1)
                    line.set_gid(f"run-coverage-{site}-{field}")
            ax.set_title(site, loc="left")
            ax.set_ylim(-5, 105)
            ax.set_xlim(-0.5, max(len(runs) - 0.5, 0.5))
            labels = [f"{run_id[4:6]}-{run_id[6:8]}\n{run_id[9:11]}:{run_id[11:13]}" for run_id, _ in runs]
            step = max(1, len(labels) // 3)
            ax.set_xticks(range(0, len(labels), step), labels[::step])
        for index in range(len(sites), rows * columns):
            axes[index // columns][index % columns].set_visible(False)
        for row in axes:
            row[0].set_ylabel("%")
        handles = [Line2D([], [], color=c, marker=FIELD_MARKERS[f], label=f) for f, c in FIELD_COLOURS.items()
                   if f != "time"]
        fig.subplots_adjust(left=0.08, right=0.98, top=0.93, bottom=0.14, hspace=0.8, wspace=0.15)
        fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.03), ncols=len(handles),
                   frameon=False, title="field present (x: the run, month-day and Hanoi time)")
        return render(fig, "coverage-run")
