"""A record's ``places`` (units its title, lead and body are about) and ``site_place`` (the
site's own unit), as plain data. Fields: docs/record.md."""

from __future__ import annotations

from functools import cache

from wardcrawl.items import Article
from wardcrawl.places import gazetteer
from wardcrawl.places.gazetteer import Unit
from wardcrawl.places.tagging import (FIELDS, Context, Mention, _sentence_districts, district_of, era_of,
                                      find_mentions, resolve)


def _unit_ref(unit: Unit, whole: bool | None = None) -> dict:
    ref = {"id": unit.id, "name": unit.name, "type": unit.type}
    if whole is not None:
        ref["whole"] = whole
    return ref


def _candidate(unit: Unit) -> dict:
    district = gazetteer.unit(unit.parent).name if unit.parent else None
    return {"id": unit.id, "name": unit.name, "type": unit.type, "era": unit.era, "district": district}


@cache
def place_of(unit_id: str) -> dict:
    """A resolved unit as recorded (without its mentions): what it is, and what it became or came from."""
    unit = gazetteer.unit(unit_id)
    return {
        "id": unit.id, "code": unit.code, "name": unit.name, "type": unit.type, "level": unit.level, "era": unit.era,
        "parent": unit.parent,
        "became": [_unit_ref(link.unit, link.whole) for link in gazetteer.successors(unit.id)],
        "formed_from": [_unit_ref(link.unit, link.whole) for link in gazetteer.predecessors(unit.id)],
        "candidates": [],
    }


def _ambiguous(units: tuple[Unit, ...]) -> dict:
    first = units[0]
    eras = {u.era for u in units}
    return {"id": None, "code": None, "name": first.name, "type": first.type, "level": first.level,
            "era": first.era if len(eras) == 1 else None, "parent": None, "became": [], "formed_from": [],
            "candidates": [_candidate(u) for u in units]}


def _first_unit(text: str | None, era: str | None) -> Unit | None:
    """The unit a name such as "Quận ủy Long Biên" or "Cổng thông tin điện tử phường Giang Biên" is of."""
    for mention in find_mentions(text or "", "name"):
        units = resolve(mention, Context(era))
        if len(units) == 1:
            return units[0]
    return None


@cache
def site_unit(slug: str) -> Unit | None:
    """A registry site's own unit, from its name, level and parent: a district portal's district, a
    ward sub-site of a district portal: the old ward of that district; a ward under the city: a new
    unit. None for the city's portals (and a name the gazetteer does not know)."""
    from wardcrawl.sites import registry

    site = registry().get(slug)
    if site is None or site.level not in ("district", "ward"):
        return None
    parent = site_unit(site.parent) if site.parent else None
    era = "old" if site.level == "district" or (parent is not None and parent.level == "district") else "new"
    for mention in find_mentions(site.name, "name"):
        for unit in resolve(mention, Context(era, site_district=district_of(parent))):
            wanted = "district" if site.level == "district" else "ward-commune"
            if unit.level == wanted and unit.era == era and (parent is None or unit.parent in (None, parent.id)):
                return unit
    return None


def site_place(slug: str) -> dict | None:
    unit = site_unit(slug)
    if unit is None:
        return None
    return {"id": unit.id, "code": unit.code, "name": unit.name, "type": unit.type, "level": unit.level,
            "era": unit.era}


def places(texts: dict[str, str | None], published_at: str | None, site_slug: str | None = None,
           unit_name: str | None = None) -> list[dict]:
    """The units ``texts`` (field -> text) mention, each once, in order of first mention."""
    era = era_of(published_at)
    found = {name: find_mentions(texts.get(name) or "", name) for name in FIELDS}
    mentions = [m for name in FIELDS for m in found[name]]
    districts = {name: [(m.offset, m.candidates[0].id) for m in found[name]
                        if m.candidates[0].level == "district"] for name in FIELDS}
    context = Context(era, district_of(site_unit(site_slug)) if site_slug else None,
                      district_of(_first_unit(unit_name, era)),
                      {unit_id for pairs in districts.values() for _, unit_id in pairs})
    entries: dict[tuple, dict] = {}
    for mention in mentions:
        units = resolve(mention, context, lambda m=mention: _sentence_districts(texts[m.field], m.offset,
                                                                                 districts[m.field]))
        key = tuple(u.id for u in units)
        if key not in entries:
            entries[key] = {**(place_of(units[0].id) if len(units) == 1 else _ambiguous(units)), "mentions": []}
        entries[key]["mentions"].append(_where(mention))
    return list(entries.values())


def _where(mention: Mention) -> dict:
    return {"field": mention.field, "offset": mention.offset, "text": mention.text}


def tag_article(article: Article) -> Article:
    """Fills in the article's ``places`` and ``site_place`` (in place: a copy of the whole record would
    cost as much as the tagging) and returns it."""
    texts = {"title": article.title, "lead": article.lead, "body": article.body}
    unit_name = article.unit["name"] if article.unit else None
    article.places = places(texts, article.published_at, article.site, unit_name)
    article.site_place = site_place(article.site)
    return article
