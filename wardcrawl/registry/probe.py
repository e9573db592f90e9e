"""What a probe of a registry site found, and the registry patch it proposes: pure functions.

A probe asks each site's host for ``/robots.txt`` and ``/`` (``wardcrawl.registry.probe_spider``) and
classifies the answer:

- ``alive``: the home page answers on the registry's host (or an alias), not a parked page;
- ``moved``: the home page redirects to another host (``moved (redirect to <url>)``);
- ``gone``: the name does not resolve (``DNS``), the home page is 404/410 (``404``), or a domain
  parking page answers (``parked``);
- ``blocked``: the connection is refused, dropped or times out, or the server answers an error (4xx, 5xx).

On a page that answers, the platform family is read from the page's own markers and the news
sections from its menu. The proposed patch (``render_patch``) is TOML tables a person copies into
sites.toml after review; nothing applies it by itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from wardcrawl.registry.toml_out import toml_table
from wardcrawl.sites import Site

# Markers each family's pages carry, each from a public source (docs/adding-a-site.md, "Confirming"):
# Liferay 6.2's own templates and saved Liferay pages (barebone.jsp, /html/themes/, portlet-boundary,
# Liferay.currentURL, the "Powered By Liferay" footer; the Liferay-Portal response header that scanners
# key on); the new CMS's listing API and media hosts (public scrapers of hanoi.gov.vn:
# /api/NewsZone/NewsZone, *.mediacdn.vn, afcbc-body); thanhuyhanoi.vn's file host; SharePoint's
# _layouts paths and the /portal/Pages/*.aspx of hadong.hanoi.gov.vn.
FAMILY_MARKERS = {
    "liferay": ("/html/js/barebone.jsp", "/html/themes/", "portlet-boundary", "Powered By <a href=\"http://www.liferay.com",
                "Liferay.currentURL", "p_p_id=", "Liferay-Portal:"),
    "hanoicms": ("/api/NewsZone/NewsZone", "mediacdn.vn", "afcbc-body"),
    "thanhuy": ("file.thanhuyhanoi.vn",),
    "sharepoint": ("/_layouts/", "/portal/Pages/", "MicrosoftSharePoint", "SharePoint"),
}
# Wording of domain-parking and for-sale pages (registrars' and parking services' own pages).
PARKED_MARKERS = ("domain is for sale", "domain may be for sale", "buy this domain", "this domain is parked",
                  "domain parking", "parked free", "sedoparking", "parkingcrew", "bodis.com",
                  "tên miền này đang được rao bán", "tên miền đang chờ gia hạn", "trang web đang tạm ngưng")
MENU_LINKS = ("nav a", "#navigation a", ".menu a", ".main-menu a", ".top-menu a", "ul.nav a", ".navbar a")
# Menu entries that are not news sections.
NOT_SECTIONS = ("trang chủ", "giới thiệu", "liên hệ", "đăng nhập", "sơ đồ", "tìm kiếm", "english", "hỏi đáp")
ARTICLE_LIKE = re.compile(r"(-\d{6,}\.html?$)|(/-/)|(\.(aspx|pdf|docx?|jpe?g|png)$)", re.IGNORECASE)
MAX_REDIRECTS = 5


@dataclass
class Finding:
    """One site's probe: ``status`` (alive, moved, gone, blocked) and why (``detail``)."""

    slug: str
    host: str  # the registry's host that was probed
    checked: str  # YYYY-MM-DD (Hanoi)
    status: str = "unknown"
    detail: str = ""
    final_url: str | None = None
    redirects: list[str] = field(default_factory=list)
    http_status: int | None = None
    robots: str = "not fetched"
    family: str | None = None  # read from the page: liferay, hanoicms, thanhuy, sharepoint, other
    other_unit: str | None = None  # the page's title, when it names another unit of the same name
    sections: list[dict] = field(default_factory=list)  # {"path", "name"} from the menu

    @property
    def summary(self) -> str:
        return f"{self.status} ({self.detail})" if self.detail else self.status


def detect_family(html: str) -> str:
    """The platform a page is served by, from its own markers: the family with most markers, else 'other'."""
    counts = {family: sum(marker in html for marker in markers) for family, markers in FAMILY_MARKERS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] else "other"


def is_parked(html: str) -> bool:
    text = html.lower()
    return any(marker in text for marker in PARKED_MARKERS)


def menu_sections(html: str, page_url: str, hosts: tuple[str, ...]) -> list[dict]:
    """The news sections a page's menu links to on the site's own hosts: [{"path", "name"}], in menu order."""
    page_host = (urlsplit(page_url).hostname or "").lower()
    selector = Selector(text=html)
    found: dict[str, str] = {}
    for link in selector.css(", ".join(MENU_LINKS)):
        href = (link.attrib.get("href") or "").strip()
        name = " ".join(" ".join(link.css("::text").getall()).split())
        url = urlsplit(urljoin(page_url, href))
        if url.scheme not in ("http", "https") or (url.hostname or "").lower() not in (*hosts, page_host):
            continue
        path = url.path.rstrip("/")
        if not path or not name or ARTICLE_LIKE.search(path) or name.lower() in NOT_SECTIONS:
            continue
        found.setdefault(path, name)
    return [{"path": path, "name": name} for path, name in found.items()]


def other_unit_title(html: str, site: Site) -> str | None:
    """The page's title when it names the site's unit by name but with another type word: an old district's
    host now serving the new ward of the same name ("phường Hoàn Kiếm" where "quận Hoàn Kiếm" was)."""
    if not site.unit:
        return None
    from wardcrawl.places import gazetteer

    unit = gazetteer.unit(site.unit)
    title = unicodedata.normalize("NFC", " ".join(Selector(text=html).css("title::text").getall())).strip()
    folded = title.lower()
    if unit.name.lower() in folded and unit.full_name.lower() not in folded:
        return title
    return None


def robots_summary(status: int, body: str) -> str:
    if status != 200:
        return f"HTTP {status}"
    delay = re.search(r"(?im)^\s*crawl-delay\s*:\s*([\d.]+)", body)
    return "200" + (f", Crawl-delay {delay.group(1)}" if delay else "")


def classify_page(finding: Finding, site: Site, status: int, url: str, html: str) -> Finding:
    """Fill ``finding`` from the last answer to ``/`` (after any redirects)."""
    finding.final_url, finding.http_status = url, status
    host = (urlsplit(url).hostname or "").lower()
    moved = host not in site.hosts
    if status in (404, 410):
        finding.status, finding.detail = "gone", f"{status}"
    elif 300 <= status < 400:
        finding.status, finding.detail = "moved", f"more than {MAX_REDIRECTS} redirects"
    elif status >= 400:  # refused (403, 429...) or failing (5xx): the server is there but will not serve us
        finding.status, finding.detail = "blocked", f"HTTP {status}"
    elif is_parked(html):
        finding.status, finding.detail = "gone", "parked"
    else:
        finding.status = "moved" if moved else "alive"
        finding.detail = f"redirect to {url}" if moved else ""
        finding.family = detect_family(html)
        finding.other_unit = other_unit_title(html, site)
        if finding.other_unit:  # what the page offers belongs to that other unit's entry, not this one
            finding.detail = "; ".join(filter(None, [finding.detail, f"serves another unit: {finding.other_unit!r}"]))
        else:
            finding.sections = menu_sections(html, url, site.hosts)
    if moved and finding.status != "moved":
        finding.detail += f"; after a redirect to {url}"
    return finding


def classify_error(finding: Finding, kind: str, message: str) -> Finding:
    """Fill ``finding`` from a failed request: ``kind`` is 'dns', 'refused', 'timeout', 'dropped' or other."""
    if kind == "dns":
        finding.status, finding.detail = "gone", "DNS"
    else:
        finding.status = "blocked"
        finding.detail = {"refused": "connection refused", "timeout": "timeout",
                          "dropped": "connection dropped"}.get(kind, message)
    if finding.redirects:
        finding.detail += f"; after a redirect to {finding.redirects[-1]}"
    return finding


# ---- the proposed patch ----------------------------------------------------------------------------
def _unit_level(path: str) -> str | None:
    """A thanhuyhanoi.vn unit category's level, from its type word (quan-long-bien: a district)."""
    kind = path.rstrip("/").rsplit("/", 1)[-1]
    if kind.startswith(("quan-", "huyen-", "thi-xa-")):
        return "district"
    return "ward-commune" if kind.startswith(("phuong-", "xa-", "thi-tran-")) else None


def share_host(site: Site, sites: dict[str, Site]) -> list[Site]:
    """The other registry sites on the site's host (the old and new hanoi.gov.vn; the two thanhuyhanoi.vn entries)."""
    return [other for other in sites.values() if other.slug != site.slug and site.host in other.hosts]


def attribute_shared_page(finding: Finding, site: Site, sites: dict[str, Site]) -> Finding:
    """On a shared host, the home page and menu entries of another registry site are that site's, not this one's."""
    neighbours = share_host(site, sites)
    owner = next((o for o in neighbours if finding.family and finding.family != site.family and o.family == finding.family),
                 None)
    if owner is not None:
        finding.other_unit = finding.other_unit or f"the home page of {owner.slug} (same host)"
        finding.detail = "; ".join(filter(None, [finding.detail, f"the home page is {owner.slug}'s (shared host)"]))
        finding.sections = []
    taken = {sec.path for o in neighbours for sec in o.sections}
    finding.sections = [s for s in finding.sections if s["path"] not in taken]
    return finding


def proposal(finding: Finding, site: Site) -> dict:
    """The registry fields a finding proposes for a site (what a person reviews and copies)."""
    fields: dict = {"status": finding.status, "checked": finding.checked}
    if finding.status == "moved" and finding.final_url:
        target = urlsplit(finding.final_url)
        fields.update(host=target.hostname, scheme=target.scheme)
    if finding.family and not finding.other_unit:
        family = "other" if finding.family in ("sharepoint", "other") else finding.family
        if family != site.family:
            fields["family"] = family
    if finding.sections and finding.family == site.family:
        known = {s.path: s.level for s in site.sections}
        fields["sections"] = []
        for section in finding.sections:
            level = known.get(section["path"]) or (_unit_level(section["path"]) if site.family == "thanhuy" else None)
            fields["sections"].append({**section, **({"level": level} if level else {})})
    confirmed = finding.status in ("alive", "moved") and finding.family == site.family and finding.sections
    if confirmed and not site.verified:
        still = [f for f in site.unknown if f not in ("host", "family", "sections")]
        fields.update(verified=not still, unknown=still)
    fields["note"] = (f"probe {finding.checked}: {finding.summary}; robots.txt {finding.robots}; "
                      f"page family {finding.family or 'not read'}; {len(finding.sections)} menu sections")
    return fields


def render_patch(findings: list[Finding], sites: dict[str, Site], profile: str) -> str:
    """The proposed patch: one TOML table per probed site, with the finding as its first comment."""
    out = [f"# Registry patch PROPOSED by `scrapy probe` ({profile}); nothing here is applied by itself.\n"
           "# Review each table, then copy what holds into wardcrawl/sites.toml (a value written there wins over\n"
           "# the generated one; docs/adding-a-site.md, 'Confirming a generated site').\n"]
    for finding in findings:
        site = sites[finding.slug]
        attribute_shared_page(finding, site, sites)
        out.append(f"\n# {finding.slug} ({finding.host}): {finding.summary}\n"
                   + toml_table(finding.slug, proposal(finding, site)))
    return "".join(out)
