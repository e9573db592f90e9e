"""Site registry: every site as data, loaded from sites.toml (tomllib: a safe loader).

Two files: ``sites.toml`` (written by people) and ``sites.generated.toml`` (every Hanoi unit,
written by ``python -m wardcrawl.registry.generate`` from the gazetteer). They merge field by
field, the hand-written value always winning. A generated entry is ``verified = false`` until a
probe or a person confirms it, and names what is not known about it (``unknown``) and where its
values come from (``source``). A broken entry fails at load time with a message naming the
entry and the field.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# WARDCRAWL_REGISTRY points at another registry file (tests, trying out a new site). The registry
# is package data, read through importlib.resources: it is found inside a deployed egg too.
REGISTRY_PATH = (Path(os.environ["WARDCRAWL_REGISTRY"]) if os.environ.get("WARDCRAWL_REGISTRY")
                 else resources.files("wardcrawl").joinpath("sites.toml"))
SHIPPED_GENERATED = resources.files("wardcrawl").joinpath("sites.generated.toml")


def _generated_path():
    """The generated entries merged under the hand-written ones: WARDCRAWL_REGISTRY_GENERATED names another
    file ("" for none); by default the shipped one, unless WARDCRAWL_REGISTRY names another hand-written file."""
    named = os.environ.get("WARDCRAWL_REGISTRY_GENERATED")
    if named is not None:
        return Path(named) if named else None
    return None if os.environ.get("WARDCRAWL_REGISTRY") else SHIPPED_GENERATED


GENERATED_PATH = _generated_path()
FAMILIES = ("liferay", "hanoicms", "thanhuy")  # the families wardcrawl crawls (a spider and a parser each)
# Known to the registry but not crawled: a platform we have no spider for (e.g. a SharePoint portal).
OTHER_FAMILY = "other"
# What a probe or a person last found at the site's host (wardcrawl/registry/probe.py).
STATUSES = ("unknown", "alive", "moved", "gone", "blocked")
# What an entry may leave unknown: its fields, and "api" (the new CMS's listing-API values).
UNKNOWN_FIELDS = ("host", "family", "sections", "api", "scheme")
LEVELS = ("city", "district", "ward")
DEFAULT_LABELS = {"view_count": ["Lượt xem", "View count"]}
# How a family's article URLs carry the site's article key (see the family's parser).
URL_SHAPES = {"liferay": ("asset_publisher", "friendly", "hn_portal"), "hanoicms": ("default",),
              "thanhuy": ("default",)}
UNIT_LEVELS = ("city", "district", "ward-commune")
# The new CMS's listing API (POST /api/NewsZone/NewsZone): opaque form values replayed as a browser sends
# them, spelled as the form fields; the site-wide ones on the site, the per-category ones on each section.
SITE_API_FIELDS = ("Site", "LanguageId")
SECTION_API_FIELDS = ("Catname", "PageSize")


class RegistryError(ValueError):
    """A registry entry is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Alias:
    host: str
    prefix: str = ""


@dataclass(frozen=True)
class Section:
    path: str
    name: str
    level: str | None = None  # set when the section is a unit's own category (thanhuyhanoi.vn)
    api: dict = field(default_factory=dict, hash=False, compare=False)  # Catname, PageSize (new CMS)


@dataclass(frozen=True)
class Site:
    slug: str
    name: str
    level: str
    parent: str | None
    family: str
    scheme: str
    host: str
    aliases: tuple[Alias, ...] = ()
    sections: tuple[Section, ...] = ()
    url_shape: str = "asset_publisher"
    labels: dict = field(default_factory=dict, hash=False, compare=False)
    selectors: dict = field(default_factory=dict, hash=False, compare=False)
    api: dict = field(default_factory=dict, hash=False, compare=False)  # Site, LanguageId (new CMS)
    # Politeness and routing (wardcrawl/net/): seconds between requests to each host and
    # connections per host, which can only slow the site down; an HTTP(S) proxy URL.
    delay: float | None = None
    concurrency: int | None = None
    proxy: str | None = None
    verified: bool = True  # confirmed by a probe or a person (a generated entry is not, until then)
    status: str = "unknown"  # STATUSES: what the last probe found at the host
    checked: str | None = None  # the date of that finding (YYYY-MM-DD)
    unit: str | None = None  # the gazetteer unit the site belongs to ("new:00127"), where there is one
    source: str = "sites.toml"  # where the entry's values come from
    unknown: tuple[str, ...] = ()  # UNKNOWN_FIELDS nobody has confirmed yet
    note: str = ""

    @property
    def crawled(self) -> bool:
        """Whether wardcrawl has a spider for the site's family."""
        return self.family in FAMILIES

    def skip_reason(self) -> str | None:
        """Why a nightly run leaves the site out unless asked: 'gone', 'unverified' or 'not crawled'."""
        if not self.crawled:
            return f"not crawled (family {self.family!r}: no spider)"
        if self.status == "gone":
            return f"gone (checked {self.checked})" if self.checked else "gone"
        if not self.verified:
            return "unverified (unknown: " + ", ".join(self.unknown) + ")" if self.unknown else "unverified"
        return None

    @property
    def units(self) -> dict[str, dict]:
        """Units filing news in their own section: last path segment -> {"name", "level"}."""
        return {s.path.rstrip("/").rsplit("/", 1)[-1]: {"name": s.name, "level": s.level}
                for s in self.sections if s.level}

    @property
    def hosts(self) -> tuple[str, ...]:
        return (self.host, *(a.host for a in self.aliases))

    def section_urls(self) -> list[str]:
        return [f"{self.scheme}://{self.host}{s.path}" for s in self.sections]

    def section(self, path: str) -> Section | None:
        """The registry section whose listing page is ``path`` (alias prefix allowed)."""
        path = self._strip_alias_prefix(path)
        return next((s for s in self.sections if s.path == path), None)

    def section_name(self, path: str) -> str | None:
        """Registry name of the section whose listing page is ``path`` (alias prefix allowed)."""
        path = self._strip_alias_prefix(path)
        return next((s.name for s in self.sections if s.path == path), None)

    def on_primary_host(self, url: str) -> str:
        """The same URL on the canonical host (alias host and its path prefix removed)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        path = parts.path
        for alias in self.aliases:
            if host == alias.host and path.startswith(alias.prefix):
                path = path[len(alias.prefix):] or "/"
        return urlunsplit((self.scheme, self.host, path, parts.query, ""))

    def _strip_alias_prefix(self, path: str) -> str:
        for alias in self.aliases:
            if alias.prefix and path.startswith(alias.prefix + "/"):
                path = path[len(alias.prefix):]
        return path.split("/-/", 1)[0]  # friendly article URLs: /<page>/-/view_content/...


def _require(entry: str, data: dict, key: str, kind: type = str):
    if key not in data:
        raise RegistryError(f"site {entry!r}: missing field {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise RegistryError(f"site {entry!r}: field {key!r} must be a non-empty {kind.__name__}")
    return value


def _site_from_entry(slug: str, data: dict) -> Site:
    if not isinstance(data, dict):
        raise RegistryError(f"site {slug!r}: entry must be a table")
    family = _require(slug, data, "family")
    if family not in (*FAMILIES, OTHER_FAMILY):
        raise RegistryError(f"site {slug!r}: field 'family' is {family!r}, expected one of {(*FAMILIES, OTHER_FAMILY)}")
    verified = data.get("verified", True)
    if not isinstance(verified, bool):
        raise RegistryError(f"site {slug!r}: field 'verified' must be true or false")
    level = _require(slug, data, "level")
    if level not in LEVELS:
        raise RegistryError(f"site {slug!r}: field 'level' is {level!r}, expected one of {LEVELS}")
    scheme = _require(slug, data, "scheme")
    if scheme not in ("http", "https"):
        raise RegistryError(f"site {slug!r}: field 'scheme' must be 'http' or 'https'")
    try:
        aliases = tuple(Alias(a["host"], a.get("prefix", "")) for a in data.get("aliases", []))
    except (KeyError, TypeError) as exc:
        raise RegistryError(f"site {slug!r}: field 'aliases' needs tables with a 'host'") from exc
    raw_sections = _require(slug, data, "sections", list)
    try:
        sections = tuple(Section(s["path"], s["name"], s.get("level"),
                                 _api_table(slug, s.get("api", {}), SECTION_API_FIELDS, f"section {s['path']!r}"))
                         for s in raw_sections)
    except (KeyError, TypeError, AttributeError) as exc:
        raise RegistryError(f"site {slug!r}: field 'sections' needs tables with 'path' and 'name'") from exc
    if any(s.level not in (None, *UNIT_LEVELS) for s in sections):
        raise RegistryError(f"site {slug!r}: field 'sections' has a 'level' outside {UNIT_LEVELS}")
    if (not sections and verified and family in FAMILIES) or any(not s.path.startswith("/") for s in sections):
        raise RegistryError(f"site {slug!r}: field 'sections' needs at least one path starting with '/'"
                            + (" (only an unverified entry may leave them unknown)" if not sections else ""))
    shapes = URL_SHAPES.get(family, ("default",))
    url_shape = data.get("url_shape", shapes[0])
    if url_shape not in shapes:
        raise RegistryError(f"site {slug!r}: field 'url_shape' is {url_shape!r}, expected one of {shapes}")
    selectors = data.get("selectors", {})
    known = _family_selectors(family) if family in FAMILIES else {}
    if not isinstance(selectors, dict) or set(selectors) - set(known):
        bad = sorted(set(selectors) - set(known)) if isinstance(selectors, dict) else selectors
        raise RegistryError(f"site {slug!r}: field 'selectors' has unknown keys {bad}; known: {sorted(known)}")
    if selectors.get("region") and not _is_compound_selector(selectors["region"]):
        raise RegistryError(f"site {slug!r}: selector 'region' is {selectors['region']!r}; it must name one element "
                            "by its own tag, classes or id (no spaces, '>' or commas), e.g. 'div.portlet-boundary'")
    labels = data.get("labels", {})
    if not isinstance(labels, dict) or any(not isinstance(v, list) or not v for v in labels.values()):
        raise RegistryError(f"site {slug!r}: field 'labels' must map names to non-empty lists of strings")
    delay, concurrency, proxy = _network_fields(slug, data)
    return Site(
        slug=slug,
        name=_require(slug, data, "name"),
        level=level,
        parent=data.get("parent"),
        family=family,
        scheme=scheme,
        host=_require(slug, data, "host").lower(),
        aliases=aliases,
        sections=sections,
        url_shape=url_shape,
        labels={**DEFAULT_LABELS, **labels},
        selectors=selectors,
        api=_api_table(slug, data.get("api", {}), SITE_API_FIELDS, "site"),
        delay=delay,
        concurrency=concurrency,
        proxy=proxy,
        verified=verified,
        **_provenance(slug, data),
    )


def _provenance(slug: str, data: dict) -> dict:
    """The fields saying how far an entry is known: status, checked, unit, source, unknown, note."""
    status = data.get("status", "unknown")
    if status not in STATUSES:
        raise RegistryError(f"site {slug!r}: field 'status' is {status!r}, expected one of {STATUSES}")
    unknown = data.get("unknown", [])
    if not isinstance(unknown, list) or set(unknown) - set(UNKNOWN_FIELDS):
        raise RegistryError(f"site {slug!r}: field 'unknown' must list some of {UNKNOWN_FIELDS}; got {unknown!r}")
    for key in ("checked", "unit", "source", "note"):
        if key in data and not isinstance(data[key], str):
            raise RegistryError(f"site {slug!r}: field {key!r} must be a string")
    return {"status": status, "checked": data.get("checked"), "unit": data.get("unit"),
            "source": data.get("source", "sites.toml"), "unknown": tuple(unknown), "note": data.get("note", "")}


def _api_table(slug: str, table, allowed: tuple[str, ...], where: str) -> dict:
    """A listing-API table: only ``allowed`` keys, each a non-empty string (the value as the browser sent it)."""
    if not isinstance(table, dict) or set(table) - set(allowed) or any(
            not isinstance(v, str) or not v.strip() for v in table.values()):
        raise RegistryError(f"site {slug!r}: {where} field 'api' must map {list(allowed)} to the non-empty strings "
                            f"a browser sends to /api/NewsZone/NewsZone (docs/sites/hanoicms.md); got {table!r}")
    return {k: v.strip() for k, v in table.items()}


def _network_fields(slug: str, data: dict) -> tuple[float | None, int | None, str | None]:
    """The entry's ``delay`` (seconds, >= 0), ``concurrency`` (>= 1) and ``proxy`` (http(s)://host:port)."""
    delay, concurrency, proxy = data.get("delay"), data.get("concurrency"), data.get("proxy")
    if delay is not None and (isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0):
        raise RegistryError(f"site {slug!r}: field 'delay' must be a number of seconds >= 0, not {delay!r}")
    if concurrency is not None and (isinstance(concurrency, bool) or not isinstance(concurrency, int)
                                    or concurrency < 1):
        raise RegistryError(f"site {slug!r}: field 'concurrency' must be an integer >= 1, not {concurrency!r}")
    if proxy is not None:
        parts = urlsplit(proxy) if isinstance(proxy, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise RegistryError(f"site {slug!r}: field 'proxy' must be an http:// or https:// URL, not {proxy!r}")
    return (None if delay is None else float(delay)), concurrency, proxy


def _is_compound_selector(css: str) -> bool:
    from wardcrawl.parsers.common import is_compound_selector

    return is_compound_selector(css)


def _family_selectors(family: str) -> dict:
    from wardcrawl.parsers import FAMILY_SELECTORS  # the parsers own their selectors

    return FAMILY_SELECTORS[family]


def read_entries(path: Path) -> dict[str, dict]:
    """A registry file's raw tables, by slug."""
    try:
        return tomllib.loads((Path(path) if isinstance(path, str) else path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML: {exc}") from exc


# A hand-written entry giving these is a whole entry: written (so verified) by a person.
WHOLE_ENTRY = ("name", "level", "family", "scheme", "host", "sections")


def merge_entry(generated: dict, written: dict) -> dict:
    """One site's generated and hand-written tables, field by field, the hand-written value winning.
    A whole hand-written entry stands as written (verified unless it says otherwise), keeping only the
    generated ``unit``; a partial one overrides fields, and what it gives is no longer unknown."""
    if all(k in written for k in WHOLE_ENTRY):  # the generated guesses (note, unknown...) no longer apply
        return {"unit": generated["unit"], **written} if "unit" in generated else dict(written)
    merged = {**generated, **written}
    if "unknown" not in written:
        merged["unknown"] = [f for f in generated.get("unknown", []) if f not in written]
    if "source" not in written and generated.get("source"):
        merged["source"] = f"sites.toml over generated ({generated['source']})"
    return merged


def merged_entries(path: Path = REGISTRY_PATH, generated: Path | None = GENERATED_PATH) -> dict[str, dict]:
    written = read_entries(path)
    produced = read_entries(generated) if generated is not None and (Path(generated) if isinstance(generated, str) else generated).is_file() else {}
    # The hand-written sites first, in their file's order (what `scrapy list` and a night show first).
    entries = {slug: merge_entry(produced[slug], data) if slug in produced else data for slug, data in written.items()}
    entries.update({slug: data for slug, data in produced.items() if slug not in written})
    return entries


def load_registry(path: Path = REGISTRY_PATH, generated: Path | None = GENERATED_PATH) -> dict[str, Site]:
    """Every site: the hand-written file merged over the generated one (none when ``generated`` is None)."""
    return {slug: _site_from_entry(slug, data) for slug, data in merged_entries(path, generated).items()}


@cache
def registry() -> dict[str, Site]:
    return load_registry()



def site_for_url(url: str) -> Site | None:
    """The registry site serving a URL: by host, and by section path where sites share a host
    (the old Liferay city portal and the new CMS both answer on hanoi.gov.vn)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    # A confirmed site over a generated guess on the same host (longbien over longbien-phuong; a stray
    # thanhuyhanoi.vn unit's article crawled by thanhuyhanoi, not thanhuyhanoi-units).
    candidates = [s for s in registry().values() if host in s.hosts]
    candidates = [s for s in candidates if s.verified] or candidates
    if len(candidates) > 1:
        by_path = [s for s in candidates if any(
            s._strip_alias_prefix(parts.path) == sec.path or parts.path.startswith(sec.path + "/")
            for sec in s.sections)]
        candidates = by_path or candidates
    return candidates[0] if candidates else None
