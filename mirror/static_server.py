"""The scaled mirror's tree (mirror/scaled.py) over HTTP on 127.0.0.1: nginx (one process, no
daemon, a generated config, one virtual host per site, URLs mapped to files with ``try_files`` and
the listing page taken from the query string), or a small Python server when nginx cannot be had
(it says so: it may then be the bottleneck).

    python -m mirror.static_server --serve <tree> --port N --access-log F   # the Python fallback
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mirror.scaled_plans import LIFERAY_INSTANCE

if TYPE_CHECKING:
    from mirror.scaled import ScaledMirror

LISTING_FILE = "__p{page}.html"  # listing page N of a section: <host><section path>/__pN.html


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_nginx(install: bool = True, log=None) -> str | None:
    """nginx from PATH or /usr/sbin; installed from Debian's packages when missing and we are root."""
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    if install and os.geteuid() == 0 and shutil.which("apt-get"):
        if log:
            log("nginx not found: apt-get install nginx-light")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "install", "-y", "-qq", "nginx-light"], ["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "nginx-light"]):
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if os.access("/usr/sbin/nginx", os.X_OK):
                return "/usr/sbin/nginx"
    return None


def server_description(log=None) -> str:
    """Which server StaticServer will use: 'nginx/1.22.1 (/usr/sbin/nginx)', or the Python fallback."""
    nginx = find_nginx(log=log)
    if not nginx:
        return "Python http.server (nginx unavailable: it may be the bottleneck)"
    version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
    return f"{version.split(':', 1)[-1].strip() or 'nginx'} ({nginx})"


NGINX_CONF = """daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile {nofile};
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections {connections}; }}
http {{
  types {{ text/html html htm; text/plain txt; image/jpeg jpg; }}
  default_type application/octet-stream;
  charset utf-8;
  charset_types text/html text/plain;
  log_format bench '$host\\t$request_method\\t$request_uri\\t$status\\t$body_bytes_sent';
  access_log {work}/access.log bench;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  open_file_cache max={file_cache} inactive=120s;
  server_tokens off;
  {temp_paths}
  map $arg_page $page_q {{ default 1; "~^[0-9]+$" $arg_page; }}
  map $arg__101_INSTANCE_{instance}_cur $page_lr {{ default 1; "~^[0-9]+$" $arg__101_INSTANCE_{instance}_cur; }}
{servers}
  server {{ listen 127.0.0.1:{port} default_server; return 502; }}
}}
"""
SERVER_BLOCK = """  server {{
    listen 127.0.0.1:{port};
    server_name {host};
    root {root};
    location / {{ try_files $uri/__p{page_var}.html $uri =404; }}
  }}"""


def nginx_limits(nofile: int | None = None) -> dict[str, int]:
    """nginx's descriptor budget fitted to the machine's ``ulimit -n`` (soft): cached open files plus two
    descriptors per connection stay under it, with room for logs and listeners. Above the limit nginx
    answers 404 when a file cannot be opened (the 50,000-article bench lost two thirds of its pages so)."""
    if nofile is None:
        nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        nofile = 1 << 20 if nofile == resource.RLIM_INFINITY else nofile
    budget = max(64, nofile - 64)
    connections = max(16, min(4096, budget // 4))
    return {"nofile": nofile, "connections": connections,
            "file_cache": max(16, min(100_000, budget - 2 * connections))}


class StaticServer:
    """The scaled tree over HTTP on 127.0.0.1: nginx (one process, no daemon) or, failing that, Python."""

    def __init__(self, mirror: ScaledMirror, work: Path, log=None):
        self.mirror, self.work, self.log = mirror, Path(work), log
        self.work.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.kind = ""
        self.is_nginx = False
        self.access_log = self.work / "access.log"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> StaticServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        nginx = None if os.environ.get("BENCH_SERVER") == "python" else find_nginx(log=self.log)
        if nginx:
            self._start_nginx(nginx)
        else:
            self._start_python()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                errors = self.work / "error.log"
                detail = errors.read_text(errors="replace")[-2000:] if errors.exists() else ""
                raise RuntimeError(f"{self.kind} exited at start: {detail}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.kind} did not start listening on {self.address}")

    def _start_nginx(self, nginx: str) -> None:
        version = subprocess.run([nginx, "-V"], capture_output=True, text=True).stderr
        temp = [f"client_body_temp_path {self.work}/body;"]
        for module in ("proxy", "fastcgi", "uwsgi", "scgi"):
            if f"--without-http_{module}_module" not in version:
                temp.append(f"{module}_temp_path {self.work}/{module};")
        servers = "\n".join(SERVER_BLOCK.format(
            port=self.port, host=site["host"], root=self.mirror.sites_dir / site["host"],
            page_var="$page_lr" if site["family"] == "liferay" else "$page_q")
            for site in self.mirror.manifest["sites"].values())
        conf = self.work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(work=self.work, port=self.port, servers=servers, temp_paths=" ".join(temp),
                                          instance=LIFERAY_INSTANCE, **nginx_limits()), encoding="utf-8")
        self.access_log.write_text("")
        self.process = subprocess.Popen([nginx, "-p", str(self.work), "-e", str(self.work / "error.log"), "-c", str(conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.kind = version.splitlines()[0].split(":", 1)[-1].strip() if version else "nginx"
        self.is_nginx = True

    def _start_python(self) -> None:
        self.access_log.write_text("")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mirror.static_server", "--serve", str(self.mirror.root), "--port", str(self.port),
             "--access-log", str(self.access_log)],
            cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.DEVNULL)
        self.kind = "python http.server (nginx unavailable: may be the bottleneck)"

    def cpu_seconds(self) -> float:
        """User + system CPU the server process has used so far."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return float("nan")

    def requests(self) -> int:
        """Requests served so far (lines of the access log)."""
        with self.access_log.open("rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT if self.is_nginx else signal.SIGTERM)  # nginx: graceful
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _serve_python(root: Path, port: int, access_log: Path) -> None:
    """Fallback server with nginx's mapping (try_files $uri/__pN.html $uri)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qsl

    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    families = {s["host"]: s["family"] for s in manifest["sites"].values()}
    log = access_log.open("a", encoding="utf-8", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            host = self.headers.get("Host", "").split(":")[0].lower()
            target = urlsplit(self.path)
            params = dict(parse_qsl(target.query))
            key = f"_101_INSTANCE_{LIFERAY_INSTANCE}_cur" if families.get(host) == "liferay" else "page"
            page = params.get(key, "1")
            page = page if page.isdigit() else "1"
            base = (root / "sites" / host / target.path.lstrip("/")).resolve()
            status, body = 404, b"not found"
            if host in families and str(base).startswith(str(root.resolve())):
                for candidate in (base / LISTING_FILE.format(page=page), base):
                    if candidate.is_file():
                        status, body = 200, candidate.read_bytes()
                        break
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8" if target.path.endswith(".txt")
                             else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            log.write(f"{host}\tGET\t{self.path}\t{status}\t{len(body)}\n")

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a scaled mirror tree without nginx.")
    parser.add_argument("--serve", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--access-log", type=Path, required=True)
    args = parser.parse_args(argv)
    _serve_python(args.serve, args.port, args.access_log)


if __name__ == "__main__":
    main()
