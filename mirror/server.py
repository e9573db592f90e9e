"""The mirror's HTTP server: virtual hosts on 127.0.0.1, chosen by the Host header.

It accepts origin-form requests (``GET /path`` with ``Host:``, what the mirror download
handler sends) and absolute-form proxy requests (``GET http://host/path``, what a proxy
in front of it sends). Every request is appended to the access log as one tab-separated
line (host, method, target, status, request body, arrival time), which the tests read to
prove where the spider went and when.

Run: ``python -m mirror.server --port 8765 [--access-log FILE] [--faults SPEC]``; the first
line printed is ``listening 127.0.0.1:<port>``. ``--faults`` turns on the fault mode
(mirror/faults.py): errors, resets, stalls, bad bodies and traps, deterministic from a seed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from mirror import mutations
from mirror.sites import build_sites
from mirror.units import DROPPED_HOSTS, extra_sites

# The header of the mirror's answer for a host it does not serve (mirror/handler.py: a DNS error).
NO_SUCH_HOST = "X-Mirror-No-Such-Host"

REPO_ROOT = Path(__file__).resolve().parent.parent


def listing_page(query: str) -> int:
    """The listing page a query asks for: ``page=N`` or Liferay's ``…_cur=N``; 1 when none."""
    for name, value in parse_qsl(query):
        if (name == "page" or name.endswith("_cur")) and value.isdigit():
            return int(value)
    return 1


class MirrorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache-Coyote/1.1"  # what Liferay 6.2 on Tomcat answers

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(send_body=True, request_body=self.rfile.read(length) if length else b"")

    def _serve(self, send_body: bool, request_body: bytes | None = None) -> None:
        arrived = time.time()
        target = urlsplit(self.path)
        host = (target.hostname or self.headers.get("Host", "").split(":")[0]).lower()
        logged = self.path if target.hostname else target.path + (f"?{target.query}" if target.query else "")
        if host in DROPPED_HOSTS:  # a host that drops connections: no answer at all
            self.close_connection = True
            self.server.log_access(host, self.command, logged, 0)
            return
        if self.server.faults is not None:  # fault mode (mirror/faults.py)
            self.server.faults.serve(self, host, target.path or "/", target.query, logged, request_body, send_body)
            return
        status, body, ctype, location = self.page(host, target.path or "/", target.query, request_body)
        self.send_response(status)
        if status == 502 and host not in self.server.sites:
            self.send_header(NO_SUCH_HOST, "1")  # the mirror download handler makes it a DNS error
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            self.wfile.write(body)
        self.server.log_access(host, self.command, logged, status,
                               request_body.decode("latin-1") if request_body else "", at=arrived)

    def page(self, host: str, path: str, query: str, request_body: bytes | None) -> tuple[int, bytes, str, str | None]:
        """(status, body, content type, location) the mirror answers for a request."""
        site = next((s for s in self.server.sites.get(host, ()) if s.claims(path)), None)
        if site is None:
            return 502, b"unknown host", "text/plain", None
        if (site.slug, path, listing_page(query)) in self.server.broken_listings:
            return 500, b"<html><body>Internal Server Error</body></html>", "text/html; charset=utf-8", None
        page = site.handle(host, path, query, request_body)
        body = page.body
        if path == "/robots.txt" and page.status == 200 and host in self.server.robots_lines:
            body += "".join(f"{line}\n" for line in self.server.robots_lines[host]).encode()
        for old, new in getattr(site, "rewrites", ()):  # a layout change (mirror/mutations.py)
            body = body.replace(old, new)
        return page.status, body, page.content_type, page.location

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass  # the access log below is the record; stderr stays quiet


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], access_log: Path | None = None, broken_api: list[str] = (),
                 add_article: list[str] = (), edit_article: list[str] = (), layout_change: list[str] = (),
                 faults: str | None = None, fault_log: Path | None = None, broken_listing: list[str] = (),
                 drop_month: list[str] = (), robots_lines: list[str] = (), all_units: bool = False):
        super().__init__(address, MirrorHandler, bind_and_activate=False)
        if faults is not None or all_units:
            # Fault mode and the every-unit night serve many crawls at once: a listen backlog of 5 would
            # drop connection attempts, and a dropped SYN costs the client a second.
            self.request_queue_size = 256
        try:
            self.server_bind()
            self.server_activate()
        except BaseException:
            self.server_close()
            raise
        self.sites: dict[str, list] = {}  # host -> sites on it (the old and new hanoi.gov.vn share one)
        for site in build_sites():
            for host in site.hosts:
                self.sites.setdefault(host, []).append(site)
        for site in extra_sites(all_units, frozenset(self.sites)):  # mirror/units.py
            for host in site.hosts:
                self.sites.setdefault(host, []).append(site)
        for spec in broken_api:  # "slug:/section/path:page": that AJAX listing page always fails
            slug, path, page = spec.rsplit(":", 2)
            target = next(s for s in build_sites() if s.slug == slug)
            target.broken_pages = frozenset({*target.broken_pages, (path, int(page))})
        self.robots_lines: dict[str, list[str]] = {}  # host -> lines added to its robots.txt
        for spec in robots_lines:  # "host=Crawl-delay: 3"
            host, _, line = spec.partition("=")
            self.robots_lines.setdefault(host.lower(), []).append(line)
        self.broken_listings = set()  # (slug, section path, page): that HTML listing page always fails with 500
        for spec in broken_listing:
            slug, path, page = spec.rsplit(":", 2)
            self.broken_listings.add((slug, path, int(page)))
        by_slug = {s.slug: s for s in build_sites()}
        for slug in add_article:
            mutations.add_article(by_slug[slug], date.today())
        for spec in edit_article:  # "slug:entry_id"
            slug, entry = spec.split(":")
            mutations.edit_article(by_slug[slug], int(entry))
        for slug in layout_change:
            mutations.change_layout(by_slug[slug])
        for spec in drop_month:  # "slug:YYYY-MM"
            slug, month = spec.split(":")
            mutations.drop_month(by_slug[slug], month)
        self._log_lock = threading.Lock()
        self._log = access_log.open("a", encoding="utf-8", buffering=1) if access_log else None
        self.faults = None
        if faults is not None:
            from mirror.fault_config import FaultConfig
            from mirror.faults import FaultInjector

            if fault_log is None and access_log is not None:
                fault_log = access_log.with_name(access_log.name + ".faults")
            self.faults = FaultInjector(FaultConfig.parse(faults), self.sites, fault_log)

    def log_access(self, host: str, method: str, target: str, status: int, body: str = "",
                   at: float | None = None) -> None:
        """One line per request; ``at`` is when it arrived (default: now)."""
        if self._log:
            with self._log_lock:
                self._log.write(f"{host}\t{method}\t{target}\t{status}\t{body}\t{at or time.time():.6f}\n")


@dataclass
class RunningMirror:
    address: str  # "127.0.0.1:<port>"
    access_log: Path
    process: subprocess.Popen

    def requests(self) -> list[tuple[str, str, str, int, str]]:
        """(host, method, target, status, request body) of every request served so far."""
        return read_access_log(self.access_log)


def read_access_log(path: Path) -> list[tuple[str, str, str, int, str]]:
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines())
    return [(h, m, t, int(s), b) for h, m, t, s, b, *_ in rows]


def read_access_times(path: Path) -> list[tuple[str, str, float]]:
    """(host, target, arrival time) of every request served, in the order they were logged."""
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines())
    return [(h, t, float(at)) for h, _m, t, _s, _b, at in rows]


@contextlib.contextmanager
def running_mirror(access_log: Path, extra_args: list[str] = ()) -> Iterator[RunningMirror]:
    """Start the mirror in its own process on a free loopback port; stop it on exit."""
    access_log.parent.mkdir(parents=True, exist_ok=True)
    access_log.write_text("", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mirror.server", "--port", "0", "--access-log", str(access_log), *extra_args],
        stdout=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT,
    )
    try:
        first = proc.stdout.readline().split()
        if len(first) != 2 or first[0] != "listening":
            raise RuntimeError(f"mirror server failed to start (exit code {proc.poll()})")
        yield RunningMirror(first[1], access_log, proc)
    finally:
        stop_process(proc)


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a server started here, killing it if it does not exit within ``timeout`` s."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the offline mirror on loopback.")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--access-log", type=Path, default=None)
    parser.add_argument("--break-api", action="append", default=[], metavar="SLUG:PATH:PAGE",
                        help="make one AJAX listing page of a new-CMS site fail with 500 (repeatable)")
    parser.add_argument("--break-listing", action="append", default=[], metavar="SLUG:PATH:PAGE",
                        help="make one HTML listing page (?page=N, Liferay's ..._cur=N) fail with 500 (repeatable)")
    parser.add_argument("--add-article", action="append", default=[], metavar="SLUG",
                        help="publish a new article at the top of the site's first section (repeatable)")
    parser.add_argument("--edit-article", action="append", default=[], metavar="SLUG:ID",
                        help="edit an article's text (repeatable)")
    parser.add_argument("--layout-change", action="append", default=[], metavar="SLUG",
                        help="serve the site's pages with an article template the parsers do not know")
    parser.add_argument("--drop-month", action="append", default=[], metavar="SLUG:YYYY-MM",
                        help="serve the site without its articles of that month (repeatable)")
    parser.add_argument("--robots-line", action="append", default=[], metavar="HOST=LINE",
                        help="add a line to HOST's robots.txt, e.g. 'longbien.hanoi.gov.vn=Crawl-delay: 3' (repeatable)")
    parser.add_argument("--faults", default=None, metavar="SPEC",
                        help="fault mode: e.g. 'seed=7,5xx=0.1,reset=0.02,stall=0.02,truncate=0.02,traps=all' "
                             "(mirror/faults.py, docs/faults.md)")
    parser.add_argument("--all-units", action="store_true",
                        help="serve a small new-CMS portal for every new ward and commune (mirror/units.py)")
    parser.add_argument("--fault-log", type=Path, default=None,
                        help="where fault mode logs each fault served (default: ACCESS_LOG.faults)")
    args = parser.parse_args(argv)
    if args.faults is not None:
        from mirror.fault_config import FaultConfig

        try:
            FaultConfig.parse(args.faults)
        except ValueError as exc:
            parser.error(f"--faults: {exc}")
    server = MirrorServer(("127.0.0.1", args.port), args.access_log, args.break_api, args.add_article,
                          args.edit_article, args.layout_change, args.faults, args.fault_log, args.break_listing,
                          args.drop_month, args.robots_line, args.all_units)
    print(f"listening 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
