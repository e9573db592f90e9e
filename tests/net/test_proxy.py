"""Proxies: a live crawl through a real proxy server on loopback, and mirror crawls that never
use one, whatever the environment says.

The proxy is proxy.py (from the package registry, in requirements-dev.txt), started and stopped
here. It cannot resolve the sites' real names on this machine, so it forwards every request
to an upstream proxy: the mirror, which answers absolute-form requests (``GET http://host/…``).
The crawl itself uses the default (live) settings: no mirror handler, real URLs, the proxy
chosen by wardcrawl; the proxy's own log shows the real host names it was asked for.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mirror.server import running_mirror
from mirror.sites import site as mirror_site
from tests.conftest import run_scrapy
from wardcrawl.sites import REGISTRY_PATH

SLUG, HOST = "phucdong", "phucdong.longbien.hanoi.gov.vn"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy",
                   "WARDCRAWL_PROXY", "no_proxy", "NO_PROXY")


@contextlib.contextmanager
def dead_port():
    """A loopback port bound but not listening: a connection to it is refused."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def no_proxy_env(**values) -> dict:
    """The environment's proxy variables cleared (empty is unset for Python), then ``values``."""
    return {**{name: "" for name in PROXY_VARIABLES}, **values}


@contextlib.contextmanager
def loopback_proxy(tmp_path: Path, upstream: str):
    """proxy.py on a free loopback port, forwarding to ``upstream`` (host:port); yields (url, log file)."""
    port_file, log = tmp_path / "proxy.port", tmp_path / "proxy.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "proxy", "--hostname", "127.0.0.1", "--port", "0", "--port-file", str(port_file),
         "--num-acceptors", "1", "--num-workers", "1", "--plugins", "proxy.plugin.ProxyPoolPlugin",
         "--proxy-pool", upstream, "--log-file", str(log), "--log-level", "INFO"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, **no_proxy_env()})
    try:
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"proxy.py did not start: {proc.stderr.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port_file.read_text().strip()}", log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # proxy.py and the worker processes it started
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def live_crawl(tmp_path: Path, env: dict):
    """A crawl of SLUG with the default (live) settings, no delay; (result, exported ids)."""
    out = tmp_path / "out.jsonl"
    result = run_scrapy("crawl", SLUG, "-a", "run_id=t", "-s", f"DATA_DIR={tmp_path}", "-s", "DOWNLOAD_DELAY=0",
                        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0", "-O", str(out),
                        env={"SCRAPY_SETTINGS_MODULE": "wardcrawl.settings", **env})
    exported = ({json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()}
                if out.exists() else set())
    return result, exported


def expected_ids() -> set[str]:
    return {f"{SLUG}:{a.entry_id}" for a in mirror_site(SLUG).articles}


def proxied_hosts(log: Path) -> list[str]:
    """Host names proxy.py logged requests for ("… - GET host:port/path -> upstream - …")."""
    hosts = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if "access_log" in line and " - GET " in line:
            hosts.append(line.split(" - GET ", 1)[1].split(":", 1)[0])
    return hosts


@pytest.mark.parametrize("variable", ["WARDCRAWL_PROXY", "http_proxy"])
def test_a_live_crawl_goes_through_the_proxy(tmp_path, variable):
    with running_mirror(tmp_path / "access.log") as mirror, loopback_proxy(tmp_path, mirror.address) as (url, log):
        result, exported = live_crawl(tmp_path, no_proxy_env(**{variable: url}))
        served = mirror.requests()
    assert result.returncode == 0, result.stderr[-3000:]
    assert exported == expected_ids()
    # proxy.py logs a line per upstream connection (several requests each): only the real name.
    assert set(proxied_hosts(log)) == {HOST}
    # Nothing else reaches the mirror (no mirror handler here): it got every request from the
    # proxy, in absolute form, robots.txt first.
    assert len(served) > len(expected_ids())
    targets = [urlsplit(target) for _h, _m, target, _s, _b in served]
    assert targets[0].path == "/robots.txt"
    assert {(t.scheme, t.hostname) for t in targets} == {("http", HOST)}


def test_the_registry_proxy_of_a_site_wins_over_the_environment(tmp_path):
    registry = tmp_path / "sites.toml"
    with running_mirror(tmp_path / "access.log") as mirror, loopback_proxy(tmp_path, mirror.address) as (url, log), \
            dead_port() as dead:
        text = REGISTRY_PATH.read_text(encoding="utf-8")
        start = text.index(f"[{SLUG}]")
        registry.write_text(text[:start] + text[start:].replace('family = "liferay"',
                                                                f'family = "liferay"\nproxy = "{url}"', 1),
                            encoding="utf-8")
        result, exported = live_crawl(tmp_path, no_proxy_env(WARDCRAWL_REGISTRY=str(registry),
                                                              http_proxy=f"http://127.0.0.1:{dead}",
                                                              WARDCRAWL_PROXY=f"http://127.0.0.1:{dead}"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert exported == expected_ids()
    assert set(proxied_hosts(log)) == {HOST}


def test_mirror_crawls_never_use_a_proxy(tmp_path):
    """`scrapy demo` (what `make demo` runs) and a mirror-profile crawl, with every proxy variable
    pointing at a dead port: both go straight to the mirror and export every article."""
    with dead_port() as dead:
        env = {name: f"http://127.0.0.1:{dead}" for name in PROXY_VARIABLES if "no_proxy" not in name.lower()}
        demo = run_scrapy("demo", "--data-dir", str(tmp_path / "demo"), "--sites", f"{SLUG},viethung", "--json",
                          env=env)
        assert demo.returncode == 0, demo.stderr[-3000:]
        report = json.loads(demo.stdout[demo.stdout.index("{"):])
        assert report["sites"][SLUG]["articles"]["new"] == len(expected_ids())
        assert report["sites"]["viethung"]["articles"]["new"] == len(mirror_site("viethung").articles)  # https
        with running_mirror(tmp_path / "access.log") as mirror:
            crawl = run_scrapy("crawl", SLUG, "-a", "run_id=t", "-s", f"DATA_DIR={tmp_path / 'crawl'}",
                               "-O", str(tmp_path / "out.jsonl"),
                               env={**env, "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror",
                                    "WARDCRAWL_MIRROR": mirror.address})
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["id"] for line in lines} == expected_ids()
