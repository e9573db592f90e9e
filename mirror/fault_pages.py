"""Fault mode's traps on ordinary pages (mirror/faults.py): the robots.txt rules, a block of bad
links on every page, trap items at the top of each site's first listing page, an endless
pagination past each listing's last page (HTML and the new CMS's listing API) and an endless
calendar inside the pager. ``PageTraps`` is the part of ``FaultInjector`` that decorates the
pages the server answers with."""

from __future__ import annotations

import importlib
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from mirror.base import MirrorSite, esc

HIDDEN_PREFIX = "/noi-bo"  # robots.txt disallows it on every host
ROBOTS_RULES = f"Disallow: {HIDDEN_PREFIX}\nDisallow: /tin-tuc{HIDDEN_PREFIX}/\n"
OFFSITE_HOSTS = ("evil.example", "www.google.com", "10.0.0.1", "192.168.1.10", "169.254.169.254", "127.0.0.1",
                 "localhost", "[::1]")


def _family(site: MirrorSite) -> str:
    from mirror.hanoicms import HanoiCmsSite
    from mirror.thanhuy import ThanhUySite

    if isinstance(site, HanoiCmsSite):
        return "hanoicms"
    if isinstance(site, ThanhUySite):
        return "thanhuy"
    return "liferay"


def linked_url(site: MirrorSite, article) -> str:
    """The article's URL as the site's listings link it."""
    return site.article_url(article, getattr(site, "listing_variant", "standard"))


class PageTraps:
    """Page decoration for FaultInjector: needs its ``config``, ``sites`` and ``listing_traps``."""

    def decorate(self, host: str, path: str, query: str, status: int, body: bytes, ctype: str) -> tuple[bytes, str]:
        traps = self.config.traps
        if path == "/robots.txt" and status == 200:
            return body + ("\n" + ROBOTS_RULES).encode(), ctype
        if status != 200 or not ctype.startswith("text/html") or not traps:
            return body, ctype
        site = next((s for s in self.sites.get(host, ()) if s.claims(path)), None)
        if site is None:
            return body, ctype
        if "links" in traps:
            body = _insert_before(body, b"</body>", self._bad_links(site, host))
        listing = self._listing_page(site, path, query)
        if listing is not None:
            section, page, last = listing
            entries = []
            if page == 1 and section == next(iter(site.sections)):
                entries += [(t.article, t.url) for t in self.listing_traps.get(site.slug, [])]
            if "pagination" in traps and page > last and site.in_section(section):
                # past the end: the last page again, plus one more item that changes with the page
                # number, so that no two pages of the trap look alike
                extra = _rotating_item(site, section, page)
                if extra is not None:
                    entries.append((extra, linked_url(site, extra)))
            body = self._insert_items(site, body, entries)
            pager = b""
            if "pagination" in traps and page >= last:  # endless: the last page links one more, forever
                pager += self._pager_link(site, section, page + 1)
            if "calendar" in traps:  # a calendar inside the pager: the next day, forever (page number 1)
                pager += self._calendar_link(site, section, calendar_day(query) + timedelta(days=1))
            if pager:
                body = _insert_before(body, b"</body>", pager)
        return body, ctype

    def _bad_links(self, site: MirrorSite, host: str) -> bytes:
        sample = site.articles[0]
        shaped = site.article_url(sample)
        real_host = urlsplit(shaped).hostname
        links = [f"http://{h}/" for h in OFFSITE_HOSTS]
        links += [shaped.replace(f"//{real_host}", f"//{h}", 1) for h in
                  (f"evil.{real_host}", f"{real_host}.evil.example", "192.168.1.10", "10.0.0.1", "127.0.0.1:8765",
                   "169.254.169.254")]
        links += ["javascript:alert(document.cookie)", "javascript:void(0)", "mailto:vanphong@" + host,
                  "file:///etc/passwd", "file:///C:/Windows/win.ini", "data:text/html,<b>x</b>",
                  "ftp://files.example/tai-lieu.doc", "//evil.example/protocol-relative",
                  "http://user:pass@evil.example/", "tel:+842438271234"]
        if _family(site) == "liferay" and getattr(site, "shape", "") != "hn_portal":
            links.append(site.article_url(sample, "action"))  # an action URL (p_p_lifecycle=1): never follow
        items = "".join(f'<li><a href="{esc(u)}">liên kết {i}</a></li>' for i, u in enumerate(links))
        pager = ""
        if _family(site) == "liferay":  # an action URL dressed as a listing page, inside the pager
            section = next(iter(site.sections))
            action = f"{site.base}{section}?p_p_id=101&p_p_lifecycle=1&p_p_state=normal&_101_cur=3"
            pager = f'<div class="taglib-page-iterator"><a href="{esc(action)}">3</a></div>'
        return f'<div class="fault-links"><ul>{items}</ul>{pager}</div>'.encode()

    def _listing_page(self, site: MirrorSite, path: str, query: str) -> tuple[str, int, int] | None:
        """(section, page number, last page) when the request is for one of the site's listing pages."""
        from mirror.hanoicms import HanoiCmsSite
        from mirror.liferay import LiferaySite

        prefix = site.aliases.get(next(iter(site.hosts)), "") if site.aliases else ""
        section = path[len(prefix):] if prefix and path.startswith(prefix) else path
        if section not in site.sections:
            return None
        params = {k: v[0] for k, v in parse_qs(query).items()}
        if isinstance(site, LiferaySite):
            if any(k in params for k in ("_101_assetEntryId", "_101_urlTitle")):
                return None
            page = next((v for k, v in params.items() if k.endswith("cur")), "1")
        else:
            if isinstance(site, HanoiCmsSite) and site.api:
                return section, 1, 10**9  # the API walks the rest (see api_trap)
            page = params.get("page", "1")
        return section, int(page) if page.isdigit() else 1, site.last_page(section)

    def _pager_link(self, site: MirrorSite, section: str, page: int) -> bytes:
        from mirror.hanoicms import HanoiCmsSite
        from mirror.thanhuy import ThanhUySite

        if isinstance(site, HanoiCmsSite):
            return f'<div class="paging"><a href="{section}?page={page}">{page}</a></div>'.encode()
        if isinstance(site, ThanhUySite):
            return f'<ul class="pagination"><li><a href="{esc(site.listing_url(section, page))}">{page}</a></li></ul>'.encode()
        return (f'<div class="taglib-page-iterator"><ul class="pager lfr-pagination-buttons"><li class="next">'
                f'<a href="{esc(site.listing_url(section, page))}">Tiếp →</a></li></ul></div>').encode()

    def _calendar_link(self, site: MirrorSite, section: str, day: date) -> bytes:
        from mirror.hanoicms import HanoiCmsSite
        from mirror.thanhuy import ThanhUySite

        if isinstance(site, HanoiCmsSite):
            return f'<div class="paging"><a href="{section}?ngay={day}">{day:%d/%m}</a></div>'.encode()
        url = f"{site.base}{section}?" + urlencode([("p_p_id", "8"), ("p_p_lifecycle", "0"), ("_8_day", day.day),
                                                   ("_8_month", day.month - 1), ("_8_year", day.year)])
        if isinstance(site, ThanhUySite):
            url = f"{site.base}{section}?ngay={day}"
            return f'<ul class="pagination"><li><a href="{esc(url)}">{day:%d/%m}</a></li></ul>'.encode()
        return f'<div class="taglib-page-iterator"><a href="{esc(url)}">Lịch {day:%d/%m/%Y}</a></div>'.encode()

    def _insert_items(self, site: MirrorSite, body: bytes, entries: list[tuple[object, str]]) -> bytes:
        """``entries`` (article, URL as linked) added at the top of a listing page's items."""
        from mirror.hanoicms import HanoiCmsSite
        from mirror.liferay_old import OldCityPortal
        from mirror.thanhuy import ThanhUySite

        if not entries:
            return body
        articles = [a for a, _ in entries]
        if isinstance(site, HanoiCmsSite):  # its items link root-relative: give each its URL as linked
            html = site._list(articles, {a.entry_id: url for a, url in entries})
            anchor = b'<div class="list-news">'
        elif isinstance(site, ThanhUySite):
            html = site._list(articles)
            anchor = b'<ul class="list-news">'
        else:
            html = site.render_items(articles)
            found = re.search(rb'<div class="subscribe-action">.*?</div>', body)
            anchor = found.group(0) if found else b"</h1></header>"
            if isinstance(site, OldCityPortal):
                found = re.search(rb'<h2 class="cat-title">.*?</h2>', body)
                anchor = found.group(0) if found else b"</h2>"
        for article, url in entries:  # an entry linked under another URL (the robots trap)
            if url != linked_url(site, article):
                html = html.replace(esc(linked_url(site, article)), esc(url))
        return body.replace(anchor, anchor + html.encode("utf-8"), 1)

    def _api_trap(self, host: str, path: str, request_body: bytes | None) -> bytes | None:
        from mirror.hanoicms import API_PATH, HanoiCmsSite

        if path != API_PATH or "pagination" not in self.config.traps:
            return None
        form = {k: v[0] for k, v in parse_qs((request_body or b"").decode("utf-8", "replace")).items()}
        for site in self.sites.get(host, ()):
            if isinstance(site, HanoiCmsSite):
                fields = parse_qs((request_body or b"").decode("utf-8", "replace"))
                section = site.section_of_form(fields)
                page = form.get("PageIndex", "")
                if section and page.isdigit() and not site.api_items(section, int(page), set(fields.get("DataIds[]", []))):
                    items = self.api_page(site, section, int(page))
                    return None if items is None else site._list(items).encode("utf-8")
        return None

    def api_page(self, site, path: str, page: int) -> list | None:
        """The items of a listing-API page past the end, when pagination traps are on: the last
        page plus one item that changes with the page number, forever (never empty, never a repeat)."""
        if "pagination" not in self.config.traps:
            return None
        extra = _rotating_item(site, path, page)
        return [*site.page_items(path, site.last_page(path)), *([extra] if extra else [])]


def _rotating_item(site: MirrorSite, section: str, page: int):
    """For page ``page`` past the end of a listing: an article of the section that is not on its
    last page, a different one from page to page (as long as the section has enough)."""
    items = site.in_section(section)
    page_size = importlib.import_module(type(site).__module__).PAGE_SIZE
    shown = {a.entry_id for a in items[(site.last_page(section) - 1) * page_size:]}
    others = [a for a in items if a.entry_id not in shown]
    return others[page % len(others)] if others else None


def calendar_day(query: str) -> date:
    """The day a calendar URL shows (``ngay=YYYY-MM-DD`` or Liferay's ``_8_day/_8_month/_8_year``)."""
    params = {k: v[0] for k, v in parse_qs(query).items()}
    try:
        if "ngay" in params:
            return date.fromisoformat(params["ngay"])
        if "_8_day" in params:
            return date(int(params["_8_year"]), int(params["_8_month"]) + 1, int(params["_8_day"]))
    except (KeyError, ValueError):
        pass
    return date(2025, 11, 10)


def _insert_before(body: bytes, marker: bytes, html: bytes) -> bytes:
    at = body.rfind(marker)
    return body[:at] + html + body[at:] if at >= 0 else body + html
