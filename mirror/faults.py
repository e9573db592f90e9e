"""Fault mode of the mirror server: real HTTP trouble, bounded and deterministic from a seed.

``python -m mirror.server --faults "seed=7,5xx=0.10,reset=0.02,stall=0.02,truncate=0.02"``
(or ``scrapy demo --mirror-arg=--faults=...``). Without ``--faults`` the server is the plain
mirror, byte for byte. See docs/faults.md for the whole list; in short:

Transient faults (drawn per request from ``hash(seed, request, attempt)``; a request, i.e.
method + host + target + body, fails at most ``max`` times, so retries win):

- ``5xx``: 500, 502, 503 or 504 (a 503 sometimes with ``Retry-After: 1``);
- ``429``: Too Many Requests with ``Retry-After`` in seconds or as an HTTP date;
- ``reset``: headers and a third of the body, then a TCP reset (SO_LINGER 0);
- ``stall``: nothing at all for ``stall_s`` seconds (past the client's DOWNLOAD_TIMEOUT), then close;
- ``truncate``: ``Content-Length`` of the whole body, half of it sent, then close;
- ``moved``: 301 to the same URL with one more query parameter (served normally there);
- ``trickle``: the whole page, slowly (``trickle_s`` seconds in ten pieces): not a failure;
- ``charset``: the UTF-8 page under ``Content-Type: text/html; charset=iso-8859-1``: not a failure.

Faults that outlast the client's retries (what the next run must collect):

- ``persist``: the share of requests answered 503 on their first ``persist_max`` attempts;
- ``long``: the share of requests whose first attempt gets 429 with a Retry-After of a day.
robots.txt only ever gets transient faults; ``robots_down=HOST+HOST`` answers 503 for it.

Traps (``traps=all`` or ``traps=pdf+huge+...``): extra items at the top of each site's first
listing page whose URLs have the site's article shape, each serving one bad input (PDF,
DOC, ZIP and PNG bytes under text/html, garbage bytes, a mangled page, a huge page with
and without Content-Length, a gzip bomb, redirect loops and cycles, redirects to other
hosts and private addresses, 404 and 410, a robots-disallowed path); a block of links to
other hosts, private addresses, lookalike hosts and javascript:/mailto:/file:/data:
URLs on every page; an endless pagination past each listing's last page; an endless
calendar inside the pager. robots.txt disallows ``/noi-bo`` (and ``/tin-tuc/noi-bo/``).

Every request is appended to the fault log (host, method, target, attempt, the fault served
or "ok", time of arrival); ``read_fault_log`` reads it.

The ``--faults`` spec and the fault log are in mirror/fault_config.py; the traps on ordinary
pages (bad links, trap items, endless pagination and calendar, the robots.txt rules) are
decorated by ``PageTraps`` in mirror/fault_pages.py.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import io
import re
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from mirror.base import MirrorSite
from mirror.fault_config import ARTICLE_TRAPS, TRANSIENT_KINDS, FaultConfig, unit
from mirror.fault_pages import HIDDEN_PREFIX, PageTraps, _family, linked_url

MAGIC = {
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
    "doc": bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00",
    "zip": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00",
}
# Trap article ids: outside every corpus, in each family's id shape.
TRAP_IDS = {"liferay": 99_000_001, "hanoicms": 9_900_000_000_000_001, "thanhuy": 99_000_001}
HOP = re.compile(r"[?&]hop=(\d+)$")
MOVED = re.compile(r"[?&]m=\d+$")


@dataclass(frozen=True)
class Trap:
    kind: str
    site: MirrorSite
    url: str  # absolute, as linked
    host: str
    target: str  # path?query, as the server sees it
    article: object  # the listing entry (a MirrorArticle copy) linking it


def _target(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.hostname, parts.path + (f"?{parts.query}" if parts.query else "")


def _hidden(url: str, family: str) -> str:
    """The same article URL under the robots-disallowed prefix."""
    parts = urlsplit(url)
    path = parts.path
    if family == "hanoicms":
        path = HIDDEN_PREFIX + "/" + path.rsplit("/", 1)[-1]
    elif family == "thanhuy":
        path = f"/tin-tuc{HIDDEN_PREFIX}/" + path.rsplit("/", 1)[-1]
    else:
        path = HIDDEN_PREFIX + path
    return parts._replace(path=path).geturl()


def with_param(url: str, name: str, value) -> str:
    return url + ("&" if "?" in url else "?") + f"{name}={value}"


class FaultInjector(PageTraps):
    """Decides and serves faults for a MirrorServer (mirror/server.py) in fault mode."""

    def __init__(self, config: FaultConfig, sites: dict[str, list[MirrorSite]], log_path: Path | None = None):
        self.config = config
        self.sites = sites  # host -> sites, as the server routes them
        self.attempts: Counter = Counter()
        self._lock = threading.Lock()
        self._log = log_path.open("a", encoding="utf-8", buffering=1) if log_path else None
        self.traps: dict[tuple[str, str], Trap] = {}
        self.listing_traps: dict[str, list[Trap]] = {}  # site slug -> traps on its first listing page
        unique = {id(s): s for group in sites.values() for s in group}
        for site in unique.values():
            self._plant(site)
        if "bomb" in config.traps:
            _ = self.bomb  # made once, at start: many threads asking at once would each compress it

    # ---- decisions ------------------------------------------------------------------------
    def attempt(self, key: str) -> int:
        with self._lock:
            self.attempts[key] += 1
            return self.attempts[key]

    def transient(self, key: str, attempt: int, robots: bool = False) -> str | None:
        """The fault this attempt of this request gets, or None."""
        c = self.config
        if not robots:
            if c.persist and attempt <= c.persist_max and unit(c.seed, "persist", key) < c.persist:
                return "persist"
            if c.long and attempt == 1 and unit(c.seed, "long", key) < c.long:
                return "long"
        if attempt > c.max_failures:
            return None
        draw, edge = unit(c.seed, "fault", key, attempt), 0.0
        for kind in TRANSIENT_KINDS:
            edge += c.shares.get(kind, 0.0)
            if draw < edge:
                if kind == "5xx":
                    return str((500, 502, 503, 504)[int(unit(c.seed, "status", key, attempt) * 4)])
                return kind
        return None

    def log(self, host: str, method: str, target: str, attempt: int, kind: str) -> None:
        """One line per request served in fault mode: host, method, target, attempt, kind ("ok"
        when nothing went wrong on purpose), Unix time of arrival."""
        if self._log:
            with self._lock:
                self._log.write(f"{host}\t{method}\t{target}\t{attempt}\t{kind}\t{time.time():.3f}\n")

    # ---- traps ------------------------------------------------------------------------------
    def _plant(self, site: MirrorSite) -> None:
        kinds = [k for k in ARTICLE_TRAPS if k in self.config.traps]
        if not kinds or not site.articles:
            return
        family = _family(site)
        first = next(iter(site.sections))
        template = next((a for a in site.articles if a.section_path == first), site.articles[0])
        planted = []
        for index, kind in enumerate(kinds):
            slug = "bay-" + kind.replace("_", "-")
            article = replace(template, entry_id=TRAP_IDS[family] + index, url_title=slug, title=f"Bẫy {kind}",
                              section_path=first, images=[], nfd=False)
            url = linked_url(site, article)
            if kind == "robots":
                url = _hidden(url, family)
            host, target = _target(url)
            trap = Trap(kind, site, url, host, target, article)
            self.traps[(host, target)] = trap
            planted.append(trap)
        self.listing_traps[site.slug] = planted

    def find_trap(self, host: str, target: str) -> tuple[Trap, int] | None:
        trap = self.traps.get((host, target))
        if trap:
            return trap, 0
        hop = HOP.search(target)
        if hop:
            trap = self.traps.get((host, target[: hop.start()]))
            if trap and trap.kind in ("redirect_loop", "redirect_cycle"):
                return trap, int(hop.group(1))
        return None

    @cached_property
    def bomb(self) -> bytes:
        out = io.BytesIO()
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as gz:
            chunk, left = b" " * (1 << 20), self.config.bomb
            while left > 0:
                gz.write(chunk[:left])
                left -= len(chunk)
        return out.getvalue()

    # ---- serving ----------------------------------------------------------------------------
    def serve(self, handler, host: str, path: str, query: str, target: str, request_body: bytes | None,
              send_body: bool) -> None:
        """Answer one request in fault mode: a trap, a transient fault, or the page (decorated)."""
        method = handler.command
        body_text = request_body.decode("latin-1") if request_body else ""
        key = f"{method} {host}{target} {body_text}"
        attempt = self.attempt(key)
        log = lambda status: handler.server.log_access(host, method, target, status, body_text)  # noqa: E731
        robots = path == "/robots.txt"
        if robots and host in self.config.robots_down:
            self.log(host, method, target, attempt, "robots_down")
            log(503)
            return self._send(handler, 503, b"Service Unavailable", "text/plain", send_body=send_body)
        found = self.find_trap(host, target)
        if found:
            return self._serve_trap(handler, found[0], found[1], attempt, host, method, target, log, send_body)
        fault = self.transient(key, attempt, robots)
        if fault == "moved" and (method != "GET" or robots or MOVED.search(target)):
            fault = None  # a URL moves once; POST and robots.txt do not move
        self.log(host, method, target, attempt, fault or "ok")
        if fault in ("500", "502", "503", "504", "persist"):
            status = 503 if fault == "persist" else int(fault)
            headers = [("Retry-After", str(self.config.retry_after))] if status == 503 and attempt % 2 else []
            log(status)
            return self._send(handler, status, _error_page(status), headers=headers, send_body=send_body)
        if fault in ("429", "long"):
            wait = 86_400 if fault == "long" else self.config.retry_after
            as_date = unit(self.config.seed, "date", key, attempt) < 0.5
            value = email.utils.formatdate(time.time() + wait + 1, usegmt=True) if as_date else str(wait)
            log(429)
            return self._send(handler, 429, _error_page(429), headers=[("Retry-After", value)], send_body=send_body)
        if fault == "stall":
            log(0)
            time.sleep(self.config.stall_s)
            handler.close_connection = True
            return None
        if fault == "moved":
            log(301)
            # relative, so that the client keeps its scheme (the mirror answers http and https alike)
            return self._send(handler, 301, b"", location=with_param(target, "m", attempt), send_body=send_body)
        trapped = self._api_trap(host, path, request_body)
        if trapped is not None:
            status, body, ctype, location = 200, trapped, "text/html; charset=utf-8", None
        else:
            status, body, ctype, location = handler.page(host, path, query, request_body)
        body, ctype = self.decorate(host, path, query, status, body, ctype)
        log(status)
        if fault == "charset" and ctype.startswith("text/html"):
            ctype = "text/html; charset=iso-8859-1"
        if fault == "reset":
            return self._reset(handler, status, body, ctype)
        if fault == "truncate":
            return self._truncate(handler, status, body, ctype)
        if fault == "trickle":
            return self._send(handler, status, body, ctype, location=location, send_body=send_body,
                              pieces=10, seconds=self.config.trickle_s)
        return self._send(handler, status, body, ctype, location=location, send_body=send_body)

    def _serve_trap(self, handler, trap: Trap, hop: int, attempt: int, host, method, target, log, send_body):
        kind = trap.kind
        self.log(host, method, target, attempt, f"trap:{kind}")
        html = "text/html; charset=utf-8"
        if kind in MAGIC:
            log(200)
            return self._send(handler, 200, MAGIC[kind] + bytes(range(256)) * 16, html, send_body=send_body)
        if kind == "garbage":
            noise = b"".join(hashlib.sha256(f"{self.config.seed}:{i}".encode()).digest() for i in range(256))
            log(200)
            return self._send(handler, 200, b"\x00\x01" + noise, html, send_body=send_body)
        if kind == "mangled":
            log(200)
            return self._send(handler, 200, mangle(trap.site.render_article(trap.site.articles[0]), self.config.seed),
                              html, send_body=send_body)
        if kind in ("huge", "huge_stream"):
            log(200)
            return self._huge(handler, with_length=kind == "huge")
        if kind == "bomb":
            log(200)
            return self._send(handler, 200, self.bomb, html, headers=[("Content-Encoding", "gzip")],
                              send_body=send_body)
        if kind == "redirect_loop":  # ever-new URLs: hop=1, hop=2, ...
            log(302)
            return self._send(handler, 302, b"", location=with_param(trap.url, "hop", hop + 1), send_body=send_body)
        if kind == "redirect_cycle":  # A -> A&hop=1 -> A -> ...
            log(302)
            location = trap.url if hop else with_param(trap.url, "hop", 1)
            return self._send(handler, 302, b"", location=location, send_body=send_body)
        if kind == "redirect_offsite":
            log(302)
            return self._send(handler, 302, b"", location="http://evil.example/steal?from=" + host, send_body=send_body)
        if kind == "redirect_private":
            log(302)
            return self._send(handler, 302, b"", location="http://169.254.169.254/latest/meta-data/",
                              send_body=send_body)
        if kind == "retry_then_offsite":  # a retried request (dont_filter) redirected to another host
            if attempt == 1:
                log(503)
                return self._send(handler, 503, _error_page(503), send_body=send_body)
            log(302)
            return self._send(handler, 302, b"", location="http://evil.example/after-retry", send_body=send_body)
        if kind in ("gone404", "gone410"):
            status = int(kind[-3:])
            log(status)
            return self._send(handler, status, _error_page(status), send_body=send_body)
        # "robots": must never be asked for; if it is, serve a plain article-less page (the log shows it).
        log(200)
        return self._send(handler, 200, b"<html><body><p>noi bo</p></body></html>", html, send_body=send_body)

    # ---- low-level answers ------------------------------------------------------------------
    @staticmethod
    def _send(handler, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", *,
              location: str | None = None, headers: list = (), send_body: bool = True, pieces: int = 1,
              seconds: float = 0.0) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        if location:
            handler.send_header("Location", location)
        for name, value in headers:
            handler.send_header(name, value)
        handler.end_headers()
        if not send_body:
            return
        try:
            step = max(1, -(-len(body) // pieces))
            for start in range(0, len(body), step):
                handler.wfile.write(body[start:start + step])
                if pieces > 1:
                    handler.wfile.flush()
                    time.sleep(seconds / pieces)
        except OSError:
            handler.close_connection = True

    @staticmethod
    def _reset(handler, status: int, body: bytes, ctype: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body[: len(body) // 3])
            handler.wfile.flush()
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        handler.connection.close()  # with SO_LINGER 0: a TCP RST, not a FIN
        handler.close_connection = True

    @staticmethod
    def _truncate(handler, status: int, body: bytes, ctype: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
        except OSError:
            pass
        handler.close_connection = True  # the server closes: fewer bytes than announced

    def _huge(self, handler, with_length: bool) -> None:
        size = self.config.huge
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if with_length:
            handler.send_header("Content-Length", str(size))
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        chunk = (b"<p>" + b"x" * 1020 + b"</p>\n") * 64  # 65 KiB of page
        sent = 0
        try:
            while sent < size:
                piece = chunk[: size - sent]
                handler.wfile.write(piece)
                sent += len(piece)
        except OSError:
            pass  # the client gave up at its size limit


def _error_page(status: int) -> bytes:
    return f"<html><head><title>{status}</title></head><body><h1>HTTP {status}</h1></body></html>".encode()


def mangle(page: bytes, seed: int) -> bytes:
    """A page broken the ways real servers break them: cut tags, stray bytes, a lost half."""
    out = bytearray()
    for index, chunk in enumerate(page[i:i + 97] for i in range(0, len(page), 97)):
        draw = unit(seed, "mangle", index)
        if draw < 0.1:
            continue  # a lost piece
        if draw < 0.2:
            chunk = chunk.replace(b">", b"", 1)
        elif draw < 0.25:
            chunk = chunk + b"\xc3\x28\xe2\x82\xa1\xff\xfe<</"
        out += chunk
    return bytes(out[: len(out) * 3 // 4])
