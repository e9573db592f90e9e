"""The scaled mirror, for the benchmarks: N generated articles in real page shapes, on disk.

Three platform families, one site each, the N articles split evenly between them (``sites=K``
adds K - 3 more sites of the Liferay and new-CMS shapes, for the distributed benchmark: see
``scaled_plans.site_plans``):

- **Liferay 6.2, friendly URLs** (``LiferaySite(url_form="view_content")``, the haibatrung/badinh shape):
  listings ``/<page>`` and ``/<page>?p_p_id=101_INSTANCE_<i>&…&_101_INSTANCE_<i>_cur=N``
  (a pager naming every page, as Liferay's page iterator does), articles
  ``/<page>/-/view_content/<id>-<urlTitle>.html``;
- **thanhuyhanoi.vn** (``ThanhUySite``): one section per party unit, ``?page=N`` listings,
  articles ``/tin-tuc/<unit>/<slug>-<8 digits>.html``;
- **the new hanoi.gov.vn CMS** (``HanoiCmsSite(api_values=None, html_pager=True)``: categories
  without listing-API values, walked through ``?page=N``; nginx serves no POST), articles
  ``/<category>/<slug>-<id>.htm``.

Articles come from mirror/corpus.py (its topic templates and generator, one corpus spec per
section) and pages from the mirror's own renderers (mirror/liferay.py, thanhuy.py,
hanoicms.py). Two things bring pages to the size and weight of the real ones (~41 KB, ~150
links an article page): bodies of 15–22 paragraphs (more of the corpus's own templated
sentences), and the furniture real portals carry on every page, put after ``<body>`` and
before ``</head>`` and ``</body>``: a mega menu, service boxes, the latest documents, a
linked-sites select, footer link columns, a visitor counter, theme scripts (Liferay's
``themeDisplay`` and AUI bootstrap, the new CMS's page settings and loaders), metadata and a
little inline CSS. The furniture links to no article and uses none of the parsers' classes:
the records extracted from these pages equal the renderers' ground truth (``expected_records``).
Page menus list the first ``MENU_SECTIONS`` sections, so page size does not grow with N.

Sections hold about ``SECTION_DEPTH`` articles each, so a bigger N means more sections and
deeper archives. ``build(n, new=k)`` gives the same N articles (same ids, same text) plus k
newer ones at the top of the listings: the site after a day of publishing.

The tree is written once per (N, k, generator source) under the cache directory
(``$WARDCRAWL_BENCH_CACHE``, default ``$TMPDIR/wardcrawl-bench``; ``prune_cache`` removes
trees of older sources) and served by ``mirror.static_server.StaticServer`` (nginx, or a small
Python server when nginx cannot be had).

Modules: the sites' sections and articles are planned in mirror/scaled_plans.py, the page
furniture is in mirror/scaled_furniture.py; this module renders and writes the tree.

    python -m mirror.scaled --n 10000 [--new 100]      # build (or find) the tree, print its manifest
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from mirror.base import DEFAULT_ROBOTS, MirrorSite
from mirror.corpus import MirrorArticle
from mirror.hanoicms import HanoiCmsSite
from mirror.liferay import LiferaySite
from mirror.scaled_furniture import dress, furniture
from mirror.scaled_plans import (FAMILIES, LIFERAY_INSTANCE, MENU_SECTIONS, FamilyPlan, SectionPlan, family_articles,
                                 site_plans)
from mirror.static_server import LISTING_FILE
from mirror.thanhuy import ThanhUySite

VERSION = 1
CACHE_ENV = "WARDCRAWL_BENCH_CACHE"
# The files a tree is generated from: a change to any of them makes a new tree (source_hash).
SOURCES = ("scaled.py", "scaled_plans.py", "scaled_furniture.py", "corpus.py", "base.py", "liferay.py", "thanhuy.py",
           "hanoicms.py", "sites.py")

# ---- rendering ------------------------------------------------------------------------------
def _renderer(plan: FamilyPlan, sections: list[SectionPlan], current: SectionPlan,
              articles: list[MirrorArticle]) -> MirrorSite:
    """The mirror's own site class for the family, over one section's articles."""
    menu = [*sections[:MENU_SECTIONS], *([current] if current not in sections[:MENU_SECTIONS] else [])]
    common = dict(slug=plan.slug, name=plan.name, owner=plan.owner, scheme=plan.scheme, host=plan.host,
                  sections={s.path: s.name for s in menu}, articles=articles)
    if plan.family == "liferay":
        return LiferaySite(url_form="view_content", instance=LIFERAY_INSTANCE, **common)
    if plan.family == "thanhuy":
        return ThanhUySite(units={s.path.rsplit("/", 1)[-1]: (s.name, s.level) for s in sections}, **common)
    return HanoiCmsSite(api_values=None, html_pager=True, **common)


def _listing_pages(site: MirrorSite, plan: FamilyPlan, path: str):
    """(page number, bytes) of every listing page of a section."""
    render = site.render_category if plan.family == "hanoicms" else site.render_listing
    for page in range(1, site.last_page(path) + 1):
        yield page, render(path, page)


def _listing_url(site: MirrorSite, plan: FamilyPlan, path: str, page: int) -> str:
    if plan.family == "liferay":
        return site.listing_url(path, page)
    return f"{site.base}{path}" + (f"?page={page}" if page > 1 else "")


@dataclass
class ScaledMirror:
    """A built tree: ``root/sites/<host>/…`` (what nginx serves), ``registry.toml``, ``urls-<slug>.txt``,
    ``manifest.json``."""

    root: Path
    manifest: dict = field(default_factory=dict)

    @property
    def sites_dir(self) -> Path:
        return self.root / "sites"

    @property
    def registry(self) -> Path:
        return self.root / "registry.toml"

    @property
    def slugs(self) -> list[str]:
        return list(self.manifest["sites"])

    def listing_urls(self, slug: str) -> list[str]:
        return (self.root / f"listings-{slug}.txt").read_text(encoding="utf-8").split()

    def article_urls(self, slug: str) -> list[str]:
        return (self.root / f"articles-{slug}.txt").read_text(encoding="utf-8").split()

    def urls(self, slug: str) -> list[str]:
        """Every page of a site a full crawl fetches: listing pages, then article pages."""
        return self.listing_urls(slug) + self.article_urls(slug)

    def new_ids(self) -> list[str]:
        return [f"{slug}:{i}" for slug, site in self.manifest["sites"].items() for i in site["new_ids"]]

    @property
    def pages(self) -> int:
        return sum(s["article_pages"] + s["listing_pages"] for s in self.manifest["sites"].values())

    @property
    def articles(self) -> int:
        return sum(s["article_pages"] for s in self.manifest["sites"].values())

    def article_files(self, per_family: int) -> list[tuple[str, str, Path]]:
        """(slug, url, file) of ``per_family`` article pages per site, spread evenly over the site."""
        out = []
        for slug in self.manifest["sites"]:
            articles = self.article_urls(slug)
            step = max(1, len(articles) // per_family)
            for url in articles[::step][:per_family]:
                out.append((slug, url, url_file(self.sites_dir, url)))
        return out


def expected_records(mirror: ScaledMirror) -> dict[str, dict]:
    """article URL -> the record a correct extraction gives (the renderers' ground truth), for the whole tree."""
    out = {}
    plans = site_plans(len(mirror.manifest["sites"]))
    n, new, count = mirror.manifest["n"], mirror.manifest["new"], len(plans)
    for i, plan in enumerate(plans):
        sections, articles, _ = family_articles(plan, n // count + (i < n % count), new // count + (i < new % count))
        site = _renderer(plan, sections, sections[0], articles)
        out.update((site.article_url(a), site.expected_record(a)) for a in articles)
    return out


def url_file(sites_dir: Path, url: str) -> Path:
    parts = urlsplit(url)
    return sites_dir / parts.hostname / parts.path.lstrip("/")


def source_hash() -> str:
    digest = hashlib.sha256(str(VERSION).encode())
    here = Path(__file__).parent
    for name in SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path(tempfile.gettempdir()) / "wardcrawl-bench")


def _build_site(plan: FamilyPlan, count: int, new: int, work: Path) -> tuple[dict, dict, list[SectionPlan]]:
    """One site's pages under ``work/sites/<host>/`` and its URL lists; (manifest entry, page sizes, sections)."""
    sections, articles, new_ids = family_articles(plan, count, new)
    chrome = furniture(plan, sections)
    host_dir = work / "sites" / plan.host
    host_dir.mkdir(parents=True, exist_ok=True)
    (host_dir / "robots.txt").write_text(DEFAULT_ROBOTS, encoding="utf-8")
    by_section: dict[str, list[MirrorArticle]] = {}
    for a in articles:
        by_section.setdefault(a.section_path, []).append(a)
    listing_urls, article_urls = [], []
    sizes: dict[str, list[int]] = {"article": [], "listing": []}
    made_dirs: set[Path] = set()
    for section in sections:
        site = _renderer(plan, sections, section, by_section.get(section.path, []))
        section_dir = host_dir / section.path.lstrip("/")
        section_dir.mkdir(parents=True, exist_ok=True)
        for page, body in _listing_pages(site, plan, section.path):
            body = dress(body, chrome, section.path)
            (section_dir / LISTING_FILE.format(page=page)).write_bytes(body)
            listing_urls.append(_listing_url(site, plan, section.path, page))
            sizes["listing"].append(len(body))
        for a in site.articles:
            url = site.article_url(a)
            path = urlsplit(url).path
            target = host_dir / path.lstrip("/")
            if target.parent not in made_dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(target.parent)
            page = dress(site.render_article(a), chrome, path)
            target.write_bytes(page)
            article_urls.append(url)
            sizes["article"].append(len(page))
    (work / f"listings-{plan.slug}.txt").write_text("\n".join(listing_urls) + "\n", encoding="utf-8")
    (work / f"articles-{plan.slug}.txt").write_text("\n".join(article_urls) + "\n", encoding="utf-8")
    entry = {"family": plan.family, "host": plan.host, "scheme": plan.scheme, "url_shape": plan.url_shape,
             "sections": len(sections), "article_pages": len(article_urls), "listing_pages": len(listing_urls),
             "new_ids": new_ids}
    return entry, sizes, sections


def build(n: int, new: int = 0, cache: Path | None = None, log=None, sites: int = len(FAMILIES)) -> ScaledMirror:
    """The tree for ``n`` articles (+ ``new`` newer ones) over ``sites`` sites (``site_plans``), built once
    and then found in the cache."""
    cache = Path(cache or cache_dir())
    stamp = source_hash()
    plans = site_plans(sites)
    root = cache / (f"scaled-{stamp}-n{n}-k{new}" + (f"-s{len(plans)}" if len(plans) != len(FAMILIES) else ""))
    manifest_path = root / "manifest.json"
    if manifest_path.exists():
        return ScaledMirror(root, json.loads(manifest_path.read_text(encoding="utf-8")))
    cache.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix=root.name + ".", dir=cache))
    manifest = {"version": VERSION, "source": stamp, "n": n, "new": new, "sites": {}}
    sizes = {"article": [], "listing": []}
    all_sections: dict[str, list[SectionPlan]] = {}
    count = len(plans)
    jobs = [(plan, n // count + (i < n % count), new // count + (i < new % count), work)
            for i, plan in enumerate(plans)]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = pool.starmap(_build_site, jobs)
    else:
        done = [_build_site(*job) for job in jobs]
    for plan, (entry, site_sizes, sections) in zip(plans, done):
        manifest["sites"][plan.slug] = entry
        all_sections[plan.slug] = sections
        for kind, values in site_sizes.items():
            sizes[kind] += values
    manifest["bytes"] = {kind: {"mean": round(sum(v) / len(v)), "min": min(v), "max": max(v)}
                         for kind, v in sizes.items() if v}
    manifest["build_seconds"] = round(time.monotonic() - started, 1)
    (work / "registry.toml").write_text(registry_toml(all_sections, plans), encoding="utf-8")
    (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    _open_up(work)
    if root.exists():
        shutil.rmtree(root)
    os.replace(work, root)
    if log:
        log(f"built scaled mirror n={n} new={new}: {manifest['bytes']} in {manifest['build_seconds']} s -> {root}")
    return ScaledMirror(root, manifest)


def prune_cache(cache: Path | None = None) -> list[Path]:
    """Remove trees built by other versions of the generator or renderers (never served again)."""
    cache = Path(cache or cache_dir())
    stamp = source_hash()
    stale = [p for p in cache.glob("scaled-*") if not p.name.startswith(f"scaled-{stamp}-")]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def _open_up(path: Path) -> None:
    """World-readable, so nginx workers running as another user can serve it."""
    path.chmod(0o755)
    parent = path.parent
    while parent != parent.parent:
        try:
            parent.chmod(parent.stat().st_mode | 0o055)
        except PermissionError:
            break
        if parent == Path(tempfile.gettempdir()):
            break
        parent = parent.parent


def registry_toml(sections_by_slug: dict[str, list[SectionPlan]], plans=FAMILIES) -> str:
    """Registry entries for the scaled sites (point WARDCRAWL_REGISTRY at it): no code change."""
    out = ["# The scaled mirror's sites (mirror/scaled.py), for the benchmarks only.\n"]
    for plan in plans:
        sections = sections_by_slug[plan.slug]
        out.append(f"[{plan.slug}]")
        out.append(f'name = "{plan.name}"\nlevel = "{plan.level}"')
        if plan.parent:
            out.append(f'parent = "{plan.parent}"')
        out.append(f'family = "{plan.family}"\nscheme = "{plan.scheme}"\nhost = "{plan.host}"')
        if plan.family == "liferay":
            out.append('url_shape = "friendly"')
        out.append("sections = [")
        for s in sections:
            level = f', level = "{s.level}"' if s.level else ""
            out.append(f'  {{ path = "{s.path}", name = "{s.name}"{level} }},')
        out.append("]\n")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build (or find) the scaled mirror.")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=0)
    parser.add_argument("--sites", type=int, default=len(FAMILIES), help="sites (3 families; more: site_plans)")
    args = parser.parse_args(argv)
    mirror = build(args.n, args.new, log=lambda m: print(m, file=sys.stderr), sites=args.sites)
    print(json.dumps({k: v for k, v in mirror.manifest.items()}, ensure_ascii=False, indent=1))
    print(mirror.root)


if __name__ == "__main__":
    main()
