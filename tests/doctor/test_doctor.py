"""`scrapy doctor <site>`: exit 0 on a healthy mirror site, 1 naming what is missing, 2 naming
why the site could not be reached; the pages it saves load as fixtures."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mirror.server import read_access_log, read_access_times, running_mirror
from tests.conftest import FIXTURES, run_scrapy
from tests.net.test_politeness import CLOCK_SLACK
from tests.net.test_proxy import dead_port, no_proxy_env
from wardcrawl.doctor.saved import load_saved_page
from wardcrawl.archive.extract import extract
from wardcrawl.parsers import FAMILY_SELECTORS, liferay
from wardcrawl.sites import REGISTRY_PATH, registry

LONGBIEN = "longbien.hanoi.gov.vn"


def doctor(*args: str, env: dict | None = None):
    return run_scrapy("doctor", *args, env=env, timeout=180)


def under_mirror_profile(address: str) -> dict:
    return {"SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror", "WARDCRAWL_MIRROR": address}


def test_healthy_site_exits_0_and_its_saved_pages_load_as_fixtures(tmp_path):
    out = tmp_path / "pages"
    result = doctor("longbien", "--mirror", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    text = result.stdout
    site = registry()["longbien"]
    for name in FAMILY_SELECTORS["liferay"]:  # every selector of the family has its row
        assert f"\n    {name} " in text, name
    assert "MISS" not in text and "UNREACHABLE" not in text
    assert text.count("walk: goes on") == len(site.sections)
    assert text.count("== article: ") == len(site.sections)
    assert "-> 20" in text  # a parsed date, e.g. 'Ngày đăng 24/05/2025 | 17:17' -> 2025-05-24T17:17:00+07:00
    assert "encoding: utf-8 (declared: utf-8" in text
    assert f"under {out}" in text

    pages = sorted(out.glob("longbien-*.html"))
    assert len(pages) == 2 * len(site.sections)
    fixture_meta = json.loads(next((FIXTURES / "liferay").glob("longbien-*.meta.json")).read_text(encoding="utf-8"))
    for page in pages:
        response, meta = load_saved_page(page)
        assert set(fixture_meta) <= set(meta)  # the fixtures' own format
        assert meta["site"] == "longbien" and meta["status"] == 200 and meta["url"] in text
        if "-article-" in page.name:
            record = extract(site, response).record
            assert record is not None and record["published_at"] and record["id"] in text
        else:
            assert liferay.page_links(response, site).items
    assert (out / "longbien-robots-1.txt").read_bytes().startswith(b"User-agent: *")


def test_ajax_listing_site_under_the_mirror_profile_with_a_crawl_delay(tmp_path):
    """The new CMS: category page, its first AJAX page, one article per section; the robots.txt
    Crawl-delay is reported and applied."""
    host = "viethung.hanoi.gov.vn"
    with running_mirror(tmp_path / "access.log", ["--robots-line", f"{host}=Crawl-delay: 0.4"]) as mirror:
        result = doctor("viethung", "--out", str(tmp_path / "pages"), env=under_mirror_profile(mirror.address))
        served = mirror.requests()
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "Crawl-delay/Request-rate for us: 0.4 s" in result.stdout
    assert "set by robots.txt" in result.stdout
    assert result.stdout.count("== api: POST https://viethung.hanoi.gov.vn/api/NewsZone/NewsZone") == 2
    assert "allows listing endpoint: https://viethung.hanoi.gov.vn/api/NewsZone/NewsZone" in result.stdout
    assert sum(1 for _h, method, *_ in served if method == "POST") == 2  # one API page per section
    assert [target for _h, _m, target, *_ in served].count("/robots.txt") == 1  # shared with the robots middleware
    arrivals = [at for h, _t, at in read_access_times(tmp_path / "access.log") if h == host]
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 0.4 - CLOCK_SLACK  # the Crawl-delay, applied
    api_meta = json.loads(next((tmp_path / "pages").glob("viethung-api-*.meta.json")).read_text(encoding="utf-8"))
    # the first API page as the portal asks for it: PageIndex from 0, the ids the category page showed
    assert api_meta["method"] == "POST" and api_meta["request_body"].startswith("PageIndex=0&")
    assert "DataIds%5B%5D=" in api_meta["request_body"]


def test_changed_layout_exits_1_naming_the_missing_selectors(tmp_path):
    result = doctor("longbien", "--mirror", "--out", str(tmp_path), "--mirror-arg=--layout-change=longbien")
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    container = FAMILY_SELECTORS["liferay"]["container"]
    assert f"MISS: selector container ('{container}', family) matched nothing" in result.stdout
    assert "MISS: the parser found no article on the page (layout miss)" in result.stdout
    assert "exit 1:" in result.stdout


def test_robots_disallowing_a_section_exits_1_and_it_is_not_fetched(tmp_path):
    result = doctor("longbien", "--mirror", "--out", str(tmp_path),
                    f"--mirror-arg=--robots-line={LONGBIEN}=Disallow: /vanhoa")
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    assert f"DISALLOWS section: http://{LONGBIEN}/vanhoa" in result.stdout
    assert f"MISS: robots.txt disallows the section http://{LONGBIEN}/vanhoa" in result.stdout
    served = read_access_log(tmp_path / "mirror-access.log")
    assert not any(target.startswith("/vanhoa") for _h, _m, target, _s, _b in served)


@contextlib.contextmanager
def bad_server(behaviour: str):
    """A loopback server that accepts connections, then closes them ("drop") or never answers ("stall")."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    stop, held = threading.Event(), []

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            if behaviour == "drop":
                conn.close()
            else:
                held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        server.close()


def _dns_failure(tmp_path: Path):
    """A live-profile check of a host under .invalid (RFC 6761: never resolves)."""
    text = REGISTRY_PATH.read_text(encoding="utf-8")
    registry_file = tmp_path / "sites.toml"
    registry_file.write_text(text.replace(f'host = "{LONGBIEN}"', f'host = "{UNRESOLVABLE}"', 1), encoding="utf-8")
    return doctor("longbien", "--out", str(tmp_path / "pages"),
                  env=no_proxy_env(WARDCRAWL_REGISTRY=str(registry_file), SCRAPY_SETTINGS_MODULE="wardcrawl.settings"))


def _mirror_address_failure(tmp_path: Path, server):
    with server as address:
        return doctor("longbien", "--out", str(tmp_path), "-s", "DOWNLOAD_TIMEOUT=2",
                      env=under_mirror_profile(address))


@contextlib.contextmanager
def _refusing():
    with dead_port() as port:
        yield f"127.0.0.1:{port}"


def _dead_proxy(tmp_path: Path):
    """A live-profile check through a proxy that refuses: the proxy is named."""
    with dead_port() as port:
        return doctor("longbien", "--out", str(tmp_path / "pages"),
                      env=no_proxy_env(WARDCRAWL_PROXY=f"http://127.0.0.1:{port}",
                                       SCRAPY_SETTINGS_MODULE="wardcrawl.settings"))


UNRESOLVABLE = "longbien.doctor-test.invalid"
UNREACHABLE = {  # case -> what the UNREACHABLE line says (a pattern)
    "dns": rf"{re.escape(UNRESOLVABLE)}: DNS lookup failed",
    "proxy": rf"{re.escape(LONGBIEN)} through the proxy http://127\.0\.0\.1:\d+: connection refused.*check the proxy",
    "refused": rf"{re.escape(LONGBIEN)}: connection refused",
    "drop": rf"{re.escape(LONGBIEN)}: connection dropped after connect",
    "stall": rf"{re.escape(LONGBIEN)}: timed out",
}


@pytest.fixture(scope="module")
def unreachable_runs(tmp_path_factory) -> dict:
    """doctor against each kind of unreachable host, the four at once (each waits on the network)."""
    runs = {"dns": lambda t: _dns_failure(t), "proxy": lambda t: _dead_proxy(t), "refused": lambda t: _mirror_address_failure(t, _refusing()),
            "drop": lambda t: _mirror_address_failure(t, bad_server("drop")),
            "stall": lambda t: _mirror_address_failure(t, bad_server("stall"))}
    with ThreadPoolExecutor(len(runs)) as pool:
        futures = {case: pool.submit(run, tmp_path_factory.mktemp(case)) for case, run in runs.items()}
        return {case: future.result() for case, future in futures.items()}


@pytest.mark.parametrize("case", UNREACHABLE)
def test_unreachable_host_exits_2_with_the_reason_in_words(unreachable_runs, case):
    result = unreachable_runs[case]
    assert result.returncode == 2, result.stdout + result.stderr[-2000:]
    assert re.search(f"UNREACHABLE: {UNREACHABLE[case]}", result.stdout), result.stdout
    assert "exit 2:" in result.stdout


def test_unknown_site_is_a_usage_error():
    result = doctor("nosuchsite")
    assert result.returncode == 2
    assert "unknown site 'nosuchsite'" in result.stderr
