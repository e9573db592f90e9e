"""The mirror's fault mode (mirror/faults.py) over real HTTP, and the no-loss crawl of the whole
demo mirror under a fault mix (docs/faults.md)."""

from __future__ import annotations

import http.client
import json
import socket
import time
import zlib
from collections import Counter
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest

from mirror.fault_config import ARTICLE_TRAPS, TRANSIENT_KINDS, FaultConfig, read_fault_log
from mirror.faults import FaultInjector
from mirror.server import running_mirror
from mirror.sites import MIRRORED_SITES, build_sites, site
from tests.fault_runs import FAST, FAST_FAULTS, REGISTRY_HOSTS, article_ids, demo, exported
from wardcrawl.schema import validation_errors

ARTICLE = site("giangbien").articles[0]
ARTICLE_URL = urlsplit(site("giangbien").article_url(ARTICLE))
HOST = ARTICLE_URL.hostname
TARGET = f"{ARTICLE_URL.path}?{ARTICLE_URL.query}"


def fetch(address: str, target: str, host: str = HOST, timeout: float = 5.0, method: str = "GET"):
    """(status, headers, body) of one request on a fresh connection; exceptions pass through."""
    ip, port = address.split(":")
    conn = http.client.HTTPConnection(ip, int(port), timeout=timeout)
    try:
        conn.request(method, target, headers={"Host": host, "Accept-Encoding": "identity"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


# ---- configuration and decisions -----------------------------------------------------------
def test_fault_spec_is_parsed_and_checked():
    config = FaultConfig.parse("seed=7,5xx=0.1,429=0.02,reset=0.02,stall=0.02,truncate=0.02,max=3,persist=0.01,"
                               "traps=pdf+huge,stall_s=2.5,robots_down=a.example+b.example")
    assert config.seed == 7 and config.max_failures == 3 and config.stall_s == 2.5
    assert config.shares == {"5xx": 0.1, "429": 0.02, "reset": 0.02, "stall": 0.02, "truncate": 0.02}
    assert config.traps == {"pdf", "huge"} and config.robots_down == {"a.example", "b.example"}
    assert FaultConfig.parse("traps=all").traps == set(ARTICLE_TRAPS) | {"links", "pagination", "calendar"}
    for bad in ("5xx=1.5", "nonsense=1", "traps=pdf+nope", "5xx=0.6,reset=0.6", "seed"):
        with pytest.raises(ValueError):
            FaultConfig.parse(bad)


def test_faults_are_deterministic_bounded_and_in_proportion():
    config = FaultConfig.parse("seed=3,5xx=0.10,429=0.02,reset=0.02,stall=0.02,truncate=0.02,max=2")
    one, two = FaultInjector(config, {}), FaultInjector(config, {})
    other = FaultInjector(FaultConfig.parse("seed=4,5xx=0.10,429=0.02,reset=0.02,stall=0.02,truncate=0.02"), {})
    keys = [f"GET host/page-{i} " for i in range(20000)]
    first = [one.transient(k, 1) for k in keys]
    assert first == [two.transient(k, 1) for k in keys]  # same seed, same faults
    assert first != [other.transient(k, 1) for k in keys]  # another seed, other faults
    counts = Counter("5xx" if f and f.isdigit() and f != "429" else f for f in first)
    for kind, share in config.shares.items():
        assert abs(counts[kind] / len(keys) - share) < 0.01, (kind, counts[kind])
    assert all(one.transient(k, 3) is None for k in keys)  # at most `max` failures per request
    assert set(first) - {None} <= {"500", "502", "503", "504", "429", "reset", "stall", "truncate"}


def test_persistent_faults_outlast_retries_but_not_forever():
    injector = FaultInjector(FaultConfig.parse("seed=1,persist=0.5,persist_max=5,long=0.2"), {})
    keys = [f"GET h/{i} " for i in range(400)]
    persistent = [k for k in keys if injector.transient(k, 1) == "persist"]
    assert 150 < len(persistent) < 250
    assert all(injector.transient(k, 5) == "persist" and injector.transient(k, 6) is None for k in persistent)
    assert not any(injector.transient(k, 1, robots=True) for k in keys)  # robots.txt: transient faults only
    assert {injector.transient(k, 1) for k in keys} == {"persist", "long", None}


# ---- each fault over real HTTP ---------------------------------------------------------------
@pytest.fixture(scope="module")
def plain_page(tmp_path_factory):
    with running_mirror(tmp_path_factory.mktemp("plain") / "access.log") as mirror:
        return fetch(mirror.address, TARGET)


@pytest.mark.parametrize("kind", TRANSIENT_KINDS)
def test_each_transient_fault_over_http_then_the_page(tmp_path, kind, plain_page):
    spec = f"seed=1,{kind}=1,max=1,stall_s=1.5,trickle_s=0.6,retry_after=2"
    with running_mirror(tmp_path / "access.log", ["--faults", spec]) as mirror:
        started = time.monotonic()
        if kind == "5xx":
            status, headers, _ = fetch(mirror.address, TARGET)
            assert status in (500, 502, 503, 504)
        elif kind == "429":
            status, headers, _ = fetch(mirror.address, TARGET)
            assert status == 429
            value = headers["Retry-After"]
            wait = int(value) if value.isdigit() else parsedate_to_datetime(value).timestamp() - time.time()
            assert 1 <= wait <= 3.5
        elif kind == "reset":
            with pytest.raises((ConnectionResetError, http.client.IncompleteRead, http.client.RemoteDisconnected)):
                fetch(mirror.address, TARGET)
        elif kind == "stall":
            with pytest.raises((socket.timeout, TimeoutError)):
                fetch(mirror.address, TARGET, timeout=0.5)
        elif kind == "truncate":
            with pytest.raises(http.client.IncompleteRead):
                fetch(mirror.address, TARGET)
        elif kind == "moved":
            status, headers, _ = fetch(mirror.address, TARGET)
            assert status == 301 and headers["Location"] == TARGET + "&m=1"
            assert fetch(mirror.address, headers["Location"])[0] == 200
        elif kind == "trickle":
            status, _, body = fetch(mirror.address, TARGET)
            assert status == 200 and body == plain_page[2] and time.monotonic() - started >= 0.5
        elif kind == "charset":
            status, headers, body = fetch(mirror.address, TARGET)
            assert headers["Content-Type"] == "text/html; charset=iso-8859-1" and body == plain_page[2]
        status, _, body = fetch(mirror.address, TARGET)  # the second attempt: the page, untouched
        assert (status, body) == (200, plain_page[2])
    logged = [line for line in read_fault_log(tmp_path / "access.log.faults") if line.target == TARGET]
    assert logged[0].attempt == 1 and logged[0].kind in (("500", "502", "503", "504") if kind == "5xx" else (kind,))
    assert (logged[-1].attempt, logged[-1].kind) == (2, "ok")


def test_traps_over_http(tmp_path):
    with running_mirror(tmp_path / "access.log", ["--faults", "seed=1,traps=all,huge=300000,bomb=50000000"]) as mirror:
        _, _, robots = fetch(mirror.address, "/robots.txt")
        assert b"Disallow: /noi-bo" in robots and b"Disallow: /c/" in robots
        _, _, listing = fetch(mirror.address, "/hoat-dong-khoi-chinh-quyen")
        for marker in (b"bay-pdf", b"bay-bomb", b"/noi-bo/", b"evil.example", b"javascript:", b"mailto:",
                       b"file:///etc/passwd", b"169.254.169.254", b"_8_day"):
            assert marker in listing, marker
        injector = FaultInjector(FaultConfig.parse("traps=all"), {h: [s] for s in build_sites() for h in s.hosts})
        traps = {t.kind: t for t in injector.listing_traps["giangbien"]}
        body = lambda kind: fetch(mirror.address, traps[kind].target)  # noqa: E731
        assert body("pdf")[2].startswith(b"%PDF-") and body("doc")[2].startswith(bytes.fromhex("d0cf11e0"))
        assert body("zip")[2].startswith(b"PK\x03\x04") and body("png")[2].startswith(b"\x89PNG")
        assert body("pdf")[1]["Content-Type"].startswith("text/html")
        status, headers, bomb = body("bomb")
        assert headers["Content-Encoding"] == "gzip" and len(bomb) < 100_000
        assert len(zlib.decompressobj(31).decompress(bomb, 60_000_000)) >= 50_000_000
        status, headers, huge = body("huge")
        assert int(headers["Content-Length"]) == len(huge) == 300000
        assert len(body("huge_stream")[2]) == 300000 and "Content-Length" not in body("huge_stream")[1]
        loop = body("redirect_loop")[1]["Location"]
        assert loop.endswith("&hop=1") and fetch(mirror.address, urlsplit(loop).path + "?" + urlsplit(loop).query)[1][
            "Location"].endswith("&hop=2")
        assert body("redirect_offsite")[1]["Location"].startswith("http://evil.example/")
        assert body("redirect_private")[1]["Location"].startswith("http://169.254.169.254/")
        assert [body("retry_then_offsite")[0] for _ in range(2)] == [503, 302]
        assert body("gone404")[0] == 404 and body("gone410")[0] == 410


def test_robots_down_and_plain_server_unchanged(tmp_path):
    with running_mirror(tmp_path / "plain.log") as mirror:
        plain = fetch(mirror.address, "/robots.txt")
        assert plain[2] == b"User-agent: *\nDisallow: /c/\nDisallow: /tim-kiem\n"
    assert not (tmp_path / "plain.log.faults").exists()
    with running_mirror(tmp_path / "down.log", ["--faults", f"robots_down={HOST}"]) as mirror:
        assert [fetch(mirror.address, "/robots.txt")[0] for _ in range(3)] == [503, 503, 503]
        assert fetch(mirror.address, "/robots.txt", host="thanhuyhanoi.vn")[0] == 200


# ---- no loss under faults -----------------------------------------------------------------------
NO_LOSS_TRAPS = "+".join((*ARTICLE_TRAPS, "links", "pagination", "calendar"))  # every trap, mangled included
NO_LOSS_MIX = ("5xx=0.10,429=0.02,reset=0.02,stall=0.02,truncate=0.02,moved=0.02,trickle=0.02,charset=0.02,"
               "persist=0.01,long=0.005")


@pytest.fixture(scope="module")
def no_loss_runs(tmp_path_factory) -> list:
    """The demo over every mirrored site under the fault mix, one "night" (seed) after another until
    nothing is deferred any more: at most four such nights, then (if requests are still pending) a
    night without the persistent faults, which must collect every one of them."""
    data_dir = tmp_path_factory.mktemp("no-loss")
    runs = []
    calm = NO_LOSS_MIX.replace("persist=0.01", "persist=0").replace("long=0.005", "long=0")
    for seed, mix in ((11, NO_LOSS_MIX), (12, NO_LOSS_MIX), (13, NO_LOSS_MIX), (14, NO_LOSS_MIX), (15, calm)):
        run = demo(data_dir, f"seed={seed},{mix},{FAST_FAULTS},traps={NO_LOSS_TRAPS}", *FAST)
        assert run.report, run.output
        runs.append(run)
        if run.report["deferred"]["pending"] == 0:
            break
    return runs


def test_no_loss_every_article_exported_exactly_once_and_valid(no_loss_runs):
    data_dir = no_loss_runs[0].data_dir
    expected = exported_total = 0
    for slug in MIRRORED_SITES:
        records = exported(data_dir, slug)
        ids = [r["id"] for r in records]
        assert len(ids) == len(set(ids)), f"{slug}: an article exported twice"
        assert set(ids) == article_ids(slug), f"{slug}: lost {article_ids(slug) - set(ids)}, extra {set(ids) - article_ids(slug)}"
        for record in records:
            assert validation_errors(record) == [], record["id"]
        expected += len(article_ids(slug))
        exported_total += len(ids)
    assert exported_total == expected == 268
    assert not list(data_dir.rglob("*.part"))
    assert no_loss_runs[-1].report["deferred"]["pending"] == 0, "deferred requests never collected"
    assert no_loss_runs[0].report["deferred"]["count"] > 0, "the mix should defer some requests to the next run"
    assert len(no_loss_runs) > 1
    figures = _figures(no_loss_runs, expected, exported_total)
    (data_dir / "no-loss-figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
    print("\nno-loss figures:", json.dumps(figures, ensure_ascii=False))


def test_no_loss_runs_stayed_on_site_and_obeyed_robots(no_loss_runs):
    for run in no_loss_runs:
        assert run.access
        hosts = {host for host, *_ in run.access}
        assert hosts <= REGISTRY_HOSTS, hosts - REGISTRY_HOSTS
        for host, method, target, status, _ in run.access:
            path = urlsplit(target).path
            assert not path.startswith(("/noi-bo", "/tin-tuc/noi-bo/", "/c/", "/tim-kiem")), target
            assert "p_p_lifecycle=1" not in target and "_8_day" not in target and "ngay=" not in target, target
        for slug, report in run.report["sites"].items():
            assert report["finish_reason"] == "finished", slug
    first = no_loss_runs[0].report["sites"]
    for slug, report in first.items():  # every trap was met and counted, on every site
        assert report["blocked"].get("offsite_host", 0) >= 2 and report["blocked"].get("private_address", 0) >= 1
        assert report["blocked"].get("robots", 0) >= 1
        assert report["gone"] == {"404": 1, "410": 1}
        assert {"too_large", "decompressed_too_large", "redirect_loop", "too_many_redirects"} <= set(report["failed"])
        assert sum(v for k, v in report["drops"].items() if k.startswith("page/non_html/")) == 5


def test_no_loss_every_fault_was_retried_or_counted(no_loss_runs):
    """Each failure the mirror served shows in the crawl's stats and run report, by reason: an
    error status as http_<status> (retried, or failed for good), a reset or truncation as such,
    a stall as a timeout. A loaded client may time out before it reads an answer, never the
    other way round: so the counts match, spurious timeouts aside."""
    for run in no_loss_runs:
        client = Counter()
        for report in run.report["sites"].values():
            client.update(report["retried"])
            client.update(report["failed"])
        client["http_429"] += client.pop("retry_after_over_cap", 0)
        statuses = Counter(status for _, _, _, status, _ in run.access if status in (429, 500, 502, 503, 504))
        served = Counter(line.kind for line in run.faults)
        broken = served["reset"] + served["truncate"]
        for status, count in statuses.items():
            assert client[f"http_{status}"] <= count, (status, count, dict(client))
        assert client["truncated"] + client["connection_reset"] <= broken
        timeouts = client["timeout"] + client["connection_lost"]
        spurious = timeouts - served["stall"]
        assert spurious >= 0, (dict(served), dict(client))  # every stall was seen as a timeout
        missing = (sum(statuses.values()) + broken - sum(client[f"http_{s}"] for s in statuses)
                   - client["truncated"] - client["connection_reset"])
        assert missing <= spurious, (dict(statuses), dict(served), dict(client))  # each one seen as a timeout


def _figures(runs, expected: int, exported_total: int) -> dict:
    figures = {"mix": NO_LOSS_MIX, "traps": NO_LOSS_TRAPS, "articles_expected": expected,
               "articles_exported": exported_total, "runs": []}
    for run in runs:
        sites = run.report["sites"].values()
        total = lambda key: dict(sum((Counter(s[key]) for s in sites), Counter()))  # noqa: E731
        figures["runs"].append({
            "run_id": run.report["run_id"], "seconds": run.report["seconds"],
            "requests": sum(s["requests"] for s in sites), "new": sum(s["articles"]["new"] for s in sites),
            "faults_served": dict(Counter(line.kind for line in run.faults if line.kind != "ok")),
            "retried": total("retried"), "failed": total("failed"), "blocked": total("blocked"),
            "drops": total("drops"), "errors": total("errors"), "gone": total("gone"),
            "deferred": run.report["deferred"], "listing_over_limit": sum(s["listing_over_limit"] for s in sites),
            "healthy": run.report["healthy"]})
    return figures
