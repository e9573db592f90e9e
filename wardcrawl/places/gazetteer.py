"""Hanoi's administrative units before and after 1 July 2025, and how the old became the new.

Data: ``wardcrawl/places/data/`` (vendored from ``vietnamadminunits``; sources, dates and the
cross-check against Resolution 1656/NQ-UBTVQH15 in its README). Loaded once, read-only.

    from wardcrawl.places import gazetteer
    gazetteer.units()                  # every unit: 30 old districts, 526 old wards/communes, 126 new
    gazetteer.new_units()              # the 126 wards and communes since 1 July 2025
    gazetteer.old_units("district")    # the 30 districts (quận, huyện, thị xã) abolished then
    gazetteer.unit("old:00115")        # Unit(id, era, level, type, code, name, parent)
    gazetteer.successors("old:00115")  # [Link(Bồ Đề, whole=False), Link(Việt Hưng, whole=False)]
    gazetteer.predecessors("new:00127")
    gazetteer.by_name("Gia Thuỵ", type="phường", era="old")   # tone placement ignored
    gazetteer.earlier_names()          # ("phường", "kimgiang") -> Hạ Đình: merged away before 2025

Unit ids are ``<era>:<official code>`` (``old:004`` the district Long Biên, ``old:00115`` the
ward Thượng Thanh, ``new:00127`` the ward Việt Hưng): the national codes of new units reuse
old ones, so the code alone is not a key.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from wardcrawl.text.unicode import match_key

DATA = resources.files("wardcrawl.places") / "data"  # readable inside a zipped egg too (scrapyd)
ERAS = ("old", "new")
LEVELS = ("district", "ward-commune")
REFORM_DATE = "2025-07-01"  # the day the new units took office (Resolution 1656/NQ-UBTVQH15)


@dataclass(frozen=True)
class Unit:
    id: str  # "<era>:<code>"
    era: str  # "old" (before 1 July 2025) or "new"
    level: str  # "district" or "ward-commune"
    type: str  # the type word, lowercase: quận, huyện, thị xã, phường, xã, thị trấn
    code: str  # the official code (national statistics office's list)
    name: str  # without the type word: "Thượng Thanh"
    parent: str | None  # an old ward's district id; None for districts and new units

    @property
    def full_name(self) -> str:
        return f"{self.type} {self.name}"


@dataclass(frozen=True)
class Link:
    """One step of the reform: all (``whole``) or part of an old unit went into a new one."""

    unit: Unit
    whole: bool
    split: bool  # the old unit was divided among several new units


@cache
def _units() -> dict[str, Unit]:
    with (DATA / "units.csv").open(encoding="utf-8", newline="") as rows:
        return {r["id"]: Unit(r["id"], r["era"], r["level"], r["type"], r["code"], r["name"], r["parent"] or None)
                for r in csv.DictReader(rows)}


@cache
def _links() -> tuple[dict[str, tuple[Link, ...]], dict[str, tuple[Link, ...]]]:
    """(successors, predecessors) by unit id; an old district's are those of its wards."""
    found = _units()
    forward: dict[str, list[Link]] = {}
    backward: dict[str, list[Link]] = {}
    with (DATA / "successions.csv").open(encoding="utf-8", newline="") as rows:
        for r in csv.DictReader(rows):
            whole, split = r["whole"] == "1", r["split"] == "1"
            forward.setdefault(r["old_id"], []).append(Link(found[r["new_id"]], whole, split))
            backward.setdefault(r["new_id"], []).append(Link(found[r["old_id"]], whole, split))
    for district in (u for u in found.values() if u.level == "district"):
        wards = [u.id for u in found.values() if u.parent == district.id]
        new_ids = sorted({link.unit.id for w in wards for link in forward.get(w, ())})
        whole_ids = {i for i in new_ids if all(link.unit.parent == district.id for link in backward[i])}
        forward[district.id] = [Link(found[i], i in whole_ids, len(new_ids) > 1) for i in new_ids]
    return ({k: tuple(v) for k, v in forward.items()}, {k: tuple(v) for k, v in backward.items()})


def units() -> tuple[Unit, ...]:
    return tuple(_units().values())


def new_units() -> tuple[Unit, ...]:
    return tuple(u for u in _units().values() if u.era == "new")


def old_units(level: str | None = None) -> tuple[Unit, ...]:
    return tuple(u for u in _units().values() if u.era == "old" and (level is None or u.level == level))


def unit(unit_id: str) -> Unit:
    return _units()[unit_id]


def children(district_id: str) -> tuple[Unit, ...]:
    """An old district's wards and communes."""
    return tuple(u for u in _units().values() if u.parent == district_id)


def successors(unit_id: str) -> tuple[Link, ...]:
    """The new unit(s) an old ward, commune or district became (a district: its wards' successors)."""
    return _links()[0].get(unit_id, ())


def predecessors(unit_id: str) -> tuple[Link, ...]:
    """The old wards and communes a new unit was formed from (whole or in part)."""
    return _links()[1].get(unit_id, ())


@cache
def _by_key() -> dict[tuple[str, str], tuple[Unit, ...]]:
    index: dict[tuple[str, str], list[Unit]] = {}
    for u in _units().values():
        index.setdefault((u.type, match_key(u.name)), []).append(u)
    return {k: tuple(v) for k, v in index.items()}


@cache
def earlier_names() -> dict[tuple[str, str], Unit]:
    """Names of units merged away before 2025, as (type word, diacritic-free key without spaces:
    "kimgiang") -> the old unit that absorbed it (the source keeps no diacritics for them)."""
    with (DATA / "earlier_names.csv").open(encoding="utf-8", newline="") as rows:
        return {(r["type"], r["key"]): _units()[r["unit_id"]] for r in csv.DictReader(rows)}


def by_name(name: str, type: str | None = None, era: str | None = None) -> tuple[Unit, ...]:
    """Units called ``name`` (tone placement and case ignored), of a type word and era if given."""
    key = match_key(name)
    found = [u for (t, k), us in _by_key().items() if k == key and (type is None or t == type) for u in us]
    return tuple(u for u in found if era is None or u.era == era)
