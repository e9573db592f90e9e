"""Politeness per host: robots.txt Crawl-delay and the registry's delay, measured on the mirror.

The mirror logs when each request arrived; no two requests to the host that asked for a delay
may arrive closer together than asked (robots.txt included: it is the first request). The
mirror profile has no delay of its own (DOWNLOAD_DELAY 0, no AutoThrottle), so every gap the
tests see comes from what the site asked.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from mirror.server import read_access_times, running_mirror
from tests.conftest import run_scrapy
from wardcrawl.net.politeness import REGISTRY, ROBOTS, SETTINGS, host_policy, robots_delay
from wardcrawl.sites import REGISTRY_PATH, RegistryError, load_registry

HOST = "phucdong.longbien.hanoi.gov.vn"
OTHER_HOST = "thuongthanh.longbien.hanoi.gov.vn"
# Arrival times are taken by the server; connection set-up varies by a few ms around the gap
# the crawler keeps between the starts of two requests.
CLOCK_SLACK = 0.05


def crawl(tmp_path, slug: str, mirror_args=(), env=None, pages: int = 5, settings=()):
    """Crawl ``slug`` on the mirror, stopped after ``pages`` responses (the requests already in the
    downloader, at most CONCURRENT_REQUESTS, still go); (stats, arrival times)."""
    log = tmp_path / "access.log"
    with running_mirror(log, list(mirror_args)) as mirror:
        result = run_scrapy("crawl", slug, "-a", "run_id=t", "-s", f"DATA_DIR={tmp_path}",
                            "-s", f"CLOSESPIDER_PAGECOUNT={pages}", "-s", "CONCURRENT_REQUESTS=4",
                            *(arg for setting in settings for arg in ("-s", setting)),
                            env={"SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror",
                                 "WARDCRAWL_MIRROR": mirror.address, **(env or {})})
    # 1: a crawl stopped at CLOSESPIDER_PAGECOUNT has not walked its listings to the end (unhealthy)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    stats = json.loads((tmp_path / slug / f"{slug}-t.stats.json").read_text(encoding="utf-8"))
    return stats, read_access_times(log)


def gaps(times, host: str) -> list[float]:
    arrivals = sorted(at for h, _target, at in times if h == host)
    return [b - a for a, b in zip(arrivals, arrivals[1:])]


def test_policy_is_the_largest_delay_and_smallest_concurrency_asked():
    policy = host_policy("h", 1.0, 2, registry_delay=2.5, registry_concurrency=1, robots_delay=5)
    assert (policy.delay, policy.concurrency, policy.reason) == (5.0, 1, ROBOTS)
    assert policy.asked == {ROBOTS: 5, REGISTRY: 2.5, SETTINGS: 1.0}
    # The registry and robots.txt can only slow a host down.
    assert host_policy("h", 1.0, 2, registry_delay=0.2, registry_concurrency=8, robots_delay=0.5).delay == 1.0
    assert host_policy("h", 1.0, 2, registry_concurrency=8).concurrency == 2
    assert host_policy("h", 1.0, 2, registry_delay=3).reason == REGISTRY
    assert host_policy("h", 1.0, 2, robots_delay=None).reason == SETTINGS


def test_robots_delay_reads_crawl_delay_and_request_rate():
    from scrapy.robotstxt import ProtegoRobotParser

    def parsed(text: str):
        return ProtegoRobotParser(text.encode(), SimpleNamespace(name="t"))

    ua = "wardcrawl/0.1 (archival crawler)"
    assert robots_delay(parsed("User-agent: *\nCrawl-delay: 5\nDisallow: /c/\n"), ua) == 5.0
    assert robots_delay(parsed("User-agent: *\nRequest-rate: 1/10s\n"), ua) == 10.0
    assert robots_delay(parsed("User-agent: *\nDisallow: /c/\n"), ua) is None
    assert robots_delay(parsed("User-agent: otherbot\nCrawl-delay: 9\n\nUser-agent: *\nCrawl-delay: 2\n"), ua) == 2.0
    # A group for our own user agent wins over '*' (docs/live.md: what a webmaster can do for us).
    assert robots_delay(parsed("User-agent: *\nCrawl-delay: 9\n\nUser-agent: wardcrawl\nCrawl-delay: 2\n"), ua) == 2.0


def test_registry_delay_and_concurrency_are_checked(tmp_path):
    entry = REGISTRY_PATH.read_text(encoding="utf-8").split("\n[giangbien]")[0]  # the header and longbien
    for bad, field in (("delay = -1", "delay"), ('delay = "2"', "delay"), ("concurrency = 0", "concurrency"),
                       ('proxy = "socks5://127.0.0.1:1080"', "proxy")):
        path = tmp_path / "sites.toml"
        path.write_text(entry.replace('family = "liferay"', f'family = "liferay"\n{bad}', 1), encoding="utf-8")
        with pytest.raises(RegistryError, match=f"site 'longbien': field '{field}'"):
            load_registry(path)
    path.write_text(entry.replace('family = "liferay"', 'family = "liferay"\ndelay = 4\nconcurrency = 1', 1),
                    encoding="utf-8")
    site = load_registry(path)["longbien"]
    assert (site.delay, site.concurrency) == (4.0, 1)


def test_robots_crawl_delay_is_honoured_per_host(tmp_path):
    # AutoThrottle on: loopback answers in milliseconds, so it would bring the delay down to
    # DOWNLOAD_DELAY (0 here) after the first response, were the host's floor not kept.
    stats, times = crawl(tmp_path, "phucdong", ["--robots-line", f"{HOST}=Crawl-delay: 1.4"],
                         settings=["AUTOTHROTTLE_ENABLED=True", "AUTOTHROTTLE_START_DELAY=0"])
    asked = gaps(times, HOST)
    assert len(asked) >= 5, times  # robots.txt, listings and articles
    assert min(asked) >= 1.4 - CLOCK_SLACK, asked
    politeness = stats["wardcrawl/politeness"][HOST]
    assert (politeness["delay"], politeness["reason"]) == (1.4, ROBOTS)
    assert "robots.txt 1.4 s" in politeness["why"]


def test_registry_delay_is_honoured_and_robots_of_other_hosts_do_not_slow_it(tmp_path):
    registry = tmp_path / "sites.toml"
    text = REGISTRY_PATH.read_text(encoding="utf-8")
    start = text.index("[thuongthanh]")
    text = text[:start] + text[start:].replace('family = "liferay"', 'family = "liferay"\ndelay = 1.2', 1)
    registry.write_text(text, encoding="utf-8")
    # A Crawl-delay on another host (phucdong) must not touch this one.
    stats, times = crawl(tmp_path, "thuongthanh", ["--robots-line", f"{HOST}=Crawl-delay: 9"],
                         env={"WARDCRAWL_REGISTRY": str(registry)})
    asked = gaps(times, OTHER_HOST)
    assert len(asked) >= 5, times
    assert min(asked) >= 1.2 - CLOCK_SLACK, asked
    assert max(asked) < 3, asked  # not slowed by phucdong's Crawl-delay
    politeness = stats["wardcrawl/politeness"][OTHER_HOST]
    assert (politeness["delay"], politeness["reason"]) == (1.2, REGISTRY)
    assert politeness["asked"] == {ROBOTS: None, REGISTRY: 1.2, SETTINGS: 0.0}


def test_without_a_delay_asked_the_mirror_crawl_is_not_slowed(tmp_path):
    """The measurement can fail: the same crawl with no delay asked has gaps far below 1 s."""
    stats, times = crawl(tmp_path, "phucdong")
    asked = gaps(times, HOST)
    assert len(asked) >= 5 and min(asked) < 0.5, asked
    assert stats["wardcrawl/politeness"][HOST]["reason"] == SETTINGS


def test_autothrottle_comes_back_down_after_a_slow_range_answer():
    """A 206 is a range request's whole answer (Common Crawl's records): AutoThrottle lowers its
    delay after one as after a 200, never below the host's floor, and still not after an error."""
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from wardcrawl.net.politeness import PoliteAutoThrottle

    crawler = get_crawler(settings_dict={"AUTOTHROTTLE_ENABLED": True, "DOWNLOAD_DELAY": 0.0})
    throttle = PoliteAutoThrottle(crawler)
    throttle.mindelay, throttle.maxdelay = 0.0, 30.0  # what spider_opened sets
    slot = SimpleNamespace(delay=1.0)
    for status, latency, expected in ((206, 0.01, 0.505), (206, 0.01, 0.2575), (503, 0.01, 0.2575),
                                      (206, 2.0, 2.0)):
        throttle._adjust_delay(slot, latency, Response("https://data.commoncrawl.org/x.warc.gz", status=status))
        assert slot.delay == pytest.approx(expected), (status, latency)
