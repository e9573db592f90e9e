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

from wardcrawl.report.figures import months_apart, months_between, next_month

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


def articles_heatmap(sites: list[str], counts: dict[str, Counter], gaps: dict[str, list[str]],
                     first: str, last: str) -> str:
    """Sites x months of publication, each cell coloured by its article count; a month inside a
    site's span with none is grey, a gap (wardcrawl.report.figures.find_gaps) is outlined in red."""
    months = months_between(first, last)
    with matplotlib.rc_context(STYLE):
        fig = _figure(max(6.5, 1.6 + 0.055 * len(months)), 0.9 + 0.26 * len(sites))
        ax = fig.add_subplot()
        top = max((max(c.values(), default=0) for c in counts.values()), default=0)
        bounds = _count_bounds(top)
        cmap = ListedColormap(COUNT_COLOURS[:len(bounds) - 1])
        norm = BoundaryNorm(bounds, cmap.N)
        for row, site in enumerate(sites):
            active = sorted(m for m, n in counts.get(site, {}).items() if n)
            if not active:
                continue
            for month in months_between(active[0], active[-1]):
                n = counts[site].get(month, 0)
                cell = Rectangle((months_apart(first, month), row), 1, 1, linewidth=0,
                                 facecolor=cmap(norm(n)) if n else EMPTY_COLOUR)
                cell.set_gid(f"cell-{site}-{month}")
                ax.add_patch(cell)
            for month in gaps.get(site, ()):
                mark = Rectangle((months_apart(first, month) + 0.08, row + 0.08), 0.84, 0.84, fill=False,
                                 edgecolor=GAP_COLOUR, linewidth=1.4)
                mark.set_gid(f"gap-{site}-{month}")
                ax.add_patch(mark)
        ax.set_xlim(0, len(months))
        ax.set_ylim(len(sites), 0)
        ax.set_yticks([i + 0.5 for i in range(len(sites))], sites)
        ax.tick_params(axis="y", length=0)
        _month_axis(ax, first, last)
        ax.set_xlabel("month of publication (ticks: January)")
        ax.grid(axis="x", color="#ffffff", linewidth=0.6)
        ax.set_axisbelow(False)
        handles = [Patch(facecolor=cmap(i), label=_bound_label(bounds, i)) for i in range(cmap.N)]
        handles += [Patch(facecolor=EMPTY_COLOUR, label="none"),
                    Patch(facecolor="white", edgecolor=GAP_COLOUR, linewidth=1.4, label="gap")]
        fig.subplots_adjust(left=0.12, right=0.98, top=0.97, bottom=0.2 + 0.5 / len(sites))
        fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=len(handles), frameon=False,
                   title="articles in the month")
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


def coverage_by_month(series: dict[str, tuple[int, dict[str, float]]]) -> str:
    """Share of each month's articles (by publication) with each field present, all sites."""
    first, last = min(series), max(series)
    with matplotlib.rc_context(STYLE):
        fig = _figure(7.5, 2.8)
        ax = fig.add_subplot()
        every = months_between(first, last)  # months without articles stay blank: the line breaks there
        xs = [months_apart(first, m) + 0.5 for m in every]
        for field, colour in FIELD_COLOURS.items():
            ys = [100 * series[m][1][field] if m in series else float("nan") for m in every]
            line, = ax.plot(xs, ys, color=colour, marker=FIELD_MARKERS[field], markersize=2.5, linewidth=1,
                            label=field)
            line.set_gid(f"coverage-{field}")
        ax.set_xlim(0, months_apart(first, next_month(last)))
        ax.set_ylim(-4, 104)
        ax.set_ylabel("% of the month's articles")
        _month_axis(ax, first, last)
        ax.set_xlabel("month of publication")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, title="field present")
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
            labels = [run_id[2:8] for run_id, _ in runs]  # YYMMDD of the run
            step = max(1, len(labels) // 3)
            ax.set_xticks(range(0, len(labels), step), labels[::step])
        for index in range(len(sites), rows * columns):
            axes[index // columns][index % columns].set_visible(False)
        for row in axes:
            row[0].set_ylabel("%")
        handles = [Line2D([], [], color=c, marker=FIELD_MARKERS[f], label=f) for f, c in FIELD_COLOURS.items()
                   if f != "time"]
        fig.subplots_adjust(left=0.08, right=0.98, top=0.93, bottom=0.12, hspace=0.6, wspace=0.15)
        fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.03), ncols=len(handles),
                   frameon=False, title="field present (x: run, YYMMDD)")
        return render(fig, "coverage-run")
