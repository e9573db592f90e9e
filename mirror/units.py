"""The mirror beyond the demo's twelve sites: generated registry units, and what a probe must tell apart.

- ``GENERATED_WARDS`` small new-CMS portals of generated (unverified) ward and commune entries, at
  their candidate hosts ``<name>.hanoi.gov.vn``; ``--all-units`` serves one for every new unit whose
  host the mirror does not already serve (the 160-site night of benchmarks/registry.py);
- an old district portal that redirects to its "cũ" (old) host, as Thanh Xuân's moved to
  thanhxuancu.hanoi.gov.vn (issue 18): ``bactuliem.hanoi.gov.vn`` -> ``bactuliemcu.hanoi.gov.vn``;
- a host that answers with a domain-parking page; a host whose connections are dropped (as
  soxaydung-demo.hanoi.gov.vn's port 443 was from datacenter networks: docs/sites/hanoicms.md);
- every other host is unknown to the mirror, which the mirror download handler turns into a DNS
  error (``namtuliem.hanoi.gov.vn`` among them).

Which registry site plays which case is a test scenario, not a claim about the real host.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from mirror.base import MirrorSite, Page
from mirror.corpus import CorpusSpec, generate
from mirror.hanoicms import WARD_CDN, HanoiCmsSite
from mirror.liferay import LiferaySite
from mirror.sites import _images_at

SMALL_SECTIONS = {"/tin-tuc-su-kien": ("Tin tức - Sự kiện", "ward", 3), "/thong-bao": ("Thông báo", "ward", 2)}
WARD_COUNT = 12
MOVED = ("bactuliem", "bactuliem.hanoi.gov.vn", "bactuliemcu.hanoi.gov.vn")  # registry slug, host, its "cũ" host
GONE_DNS = ("namtuliem", "namtuliem.hanoi.gov.vn")
PARKED = ("myduc-huyen", "myduc.hanoi.gov.vn")
BLOCKED = ("sontay-thixa", "sontay.hanoi.gov.vn")
DROPPED_HOSTS = frozenset({BLOCKED[1]})
PARKED_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{host}</title></head>
<body><h1>{host}</h1><p>This domain is parked free, courtesy of the registrar.</p>
<p>Buy this domain: tên miền này đang được rao bán.</p></body></html>"""


class RedirectSite(MirrorSite):
    """A host whose every path answers 301 to the same path on another host."""

    def __init__(self, *, target: str, **common):
        super().__init__(**common)
        self.target = target

    def handle(self, host: str, path: str, query: str, body: bytes | None = None) -> Page:
        location = f"{self.scheme}://{self.target}{path}" + (f"?{query}" if query else "")
        return Page(301, b"", "text/html; charset=utf-8", location)


class ParkedSite(MirrorSite):
    """A lapsed domain: a parking page on every path (robots.txt allows everything)."""

    def handle(self, host: str, path: str, query: str, body: bytes | None = None) -> Page:
        if path == "/robots.txt":
            return Page(200, b"User-agent: *\nAllow: /\n", "text/plain")
        return Page(200, PARKED_PAGE.format(host=host).encode("utf-8"))


def _registry_slugs() -> dict[str, str]:
    """Unit id -> registry slug, from the registry files' raw tables (validating them would import the
    parsers, seconds on every mirror start)."""
    from wardcrawl.sites import merged_entries

    return {data["unit"]: slug for slug, data in merged_entries().items() if data.get("unit")}


def small_ward_portal(slug: str, unit, index: int) -> HanoiCmsSite:
    from wardcrawl.registry.names import host_label

    spec = CorpusSpec(sections=SMALL_SECTIONS, wards=[unit.name], first_id=2825080100000000011 + index * 1_000_003,
                      seed=8100 + index, id_step=7919, newest=date(2025, 11, 5), bylines=True, view_counts=False)
    articles = _images_at(generate(spec), WARD_CDN)
    return HanoiCmsSite(slug=slug, name=f"Cổng thông tin điện tử {unit.full_name}",
                        owner=f"Ủy ban nhân dân {unit.full_name}", scheme="https",
                        host=f"{host_label(unit.name)}.hanoi.gov.vn",
                        sections={p: n for p, (n, _, _) in SMALL_SECTIONS.items()}, articles=articles,
                        api_values=None)


def _old_district_portal() -> LiferaySite:
    spec = CorpusSpec(sections={"/tin-tuc-su-kien": ("Tin tức - Sự kiện", "district", 3)}, wards=["Cổ Nhuế", "Xuân Đỉnh"],
                      first_id=3310011, seed=21, newest=date(2025, 6, 20))
    return LiferaySite(slug=MOVED[0], name="Cổng thông tin điện tử quận Bắc Từ Liêm",
                       owner="Ủy ban nhân dân quận Bắc Từ Liêm", scheme="http", host=MOVED[2],
                       sections={"/tin-tuc-su-kien": "Tin tức - Sự kiện"}, articles=generate(spec))


@cache
def extra_sites(all_units: bool = False, served: frozenset = frozenset()) -> tuple[MirrorSite, ...]:
    """The generated ward portals (all new units with ``all_units``) and the probe's cases; ``served``:
    hosts the demo's sites already answer."""
    from wardcrawl.places import gazetteer
    from wardcrawl.registry.names import host_label

    slugs = _registry_slugs()
    taken = set(served) | {MOVED[1], MOVED[2], GONE_DNS[1], PARKED[1], BLOCKED[1]}
    wards = []
    for index, unit in enumerate(gazetteer.new_units()):
        host = f"{host_label(unit.name)}.hanoi.gov.vn"
        slug = slugs.get(unit.id)
        if host in taken or slug is None or (not all_units and len(wards) == WARD_COUNT):
            continue
        taken.add(host)
        wards.append(small_ward_portal(slug, unit, index))
    cases = (RedirectSite(slug=f"{MOVED[0]}-redirect", name="", owner="", scheme="http", host=MOVED[1], sections={},
                          articles=[], target=MOVED[2]),
             _old_district_portal(),
             ParkedSite(slug=PARKED[0], name="", owner="", scheme="http", host=PARKED[1], sections={}, articles=[]))
    return (*wards, *cases)


def generated_ward_slugs(served: frozenset) -> list[str]:
    """The registry slugs of the small generated ward portals served by default."""
    return [s.slug for s in extra_sites(False, served) if isinstance(s, HanoiCmsSite)]
