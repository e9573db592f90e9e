"""A web archive that throttles, for the recovery tests: a reverse proxy on loopback in front of
a real archive (pywb) that answers ``429 Too Many Requests`` with ``Retry-After`` to the first
request matching each rule, and passes everything else through unchanged (status, headers,
body; redirects are not followed). Every request is logged with its arrival time, so a test
can check how long the client waited before asking again."""

from __future__ import annotations

import contextlib
import http.client
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


@dataclass
class Rule:
    matches: Callable[[str], bool]  # on the request path (with its query)
    retry_after: int  # seconds, as the 429's Retry-After says
    fired: str | None = None  # the path it answered 429 to


@dataclass
class Throttle:
    url: str  # http://127.0.0.1:<port>
    rules: list[Rule]
    log: list[tuple[float, str, int]] = field(default_factory=list)  # (arrival, path, status answered)


@contextlib.contextmanager
def throttling(upstream: str, rules: list[Rule]) -> Iterator[Throttle]:
    """Serve a proxy to ``upstream`` (``127.0.0.1:<port>``) on a free port while the block runs."""
    lock = threading.Lock()
    throttle = Throttle("", rules)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            arrived = time.monotonic()
            with lock:
                rule = next((r for r in rules if r.fired is None and r.matches(self.path)), None)
                if rule is not None:
                    rule.fired = self.path
                throttle.log.append((arrived, self.path, 429 if rule else 0))
            if rule is not None:
                self.send_response(429)
                self.send_header("Retry-After", str(rule.retry_after))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            connection = http.client.HTTPConnection(upstream, timeout=30)
            try:
                connection.request("GET", self.path, headers={"Host": self.headers.get("Host", upstream)})
                answer = connection.getresponse()
                body = answer.read()
            finally:
                connection.close()
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    throttle.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield throttle
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
