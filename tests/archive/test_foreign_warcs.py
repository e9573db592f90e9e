"""`scrapy extract` over WARCs that another crawler (GNU Wget) made of the mirror: through a
loopback address with a `Host` header, through a name that is not the site's, and through the
mirror as an HTTP proxy (mirror/README.md)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mirror.server import running_mirror
from tests.conftest import fixture_pages, run_scrapy
from tests.services import skip_unavailable

SEED = next(p for p in fixture_pages("liferay") if p.name == "longbien-seed-000")
REAL_URL = SEED.meta["url"]  # http://longbien.hanoi.gov.vn/tintuccacdonvi?...
REAL_HOST = urlsplit(REAL_URL).netloc
TARGET = REAL_URL.split(REAL_HOST, 1)[1]  # path and query


@pytest.fixture(autouse=True)
def _wget_installed():
    if shutil.which("wget") is None:
        skip_unavailable("GNU Wget", "not installed (Debian package wget; .ci/run installs it)")


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    with running_mirror(tmp_path_factory.mktemp("wget-mirror") / "access.log") as running:
        yield running


def _wget(directory: Path, url: str, *args: str) -> Path:
    prefix = directory / "wget"
    result = subprocess.run(["wget", "--quiet", "--no-warc-keep-log", f"--warc-file={prefix}", "-O", "/dev/null",
                             "--tries=1", "--timeout=20", *args, url], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return prefix.with_name("wget.warc.gz")


def _extract(*args: str) -> tuple[list[dict], str]:
    result = run_scrapy("extract", *args)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def _assert_seed(records: list[dict]) -> None:
    assert len(records) == 1
    record = records[0]
    assert record["id"] == SEED.expected["id"] and record["url"] == REAL_URL
    assert record["body"].split("\n\n") == SEED.expected["body_paragraphs"]
    assert record["warc_payload_digest"].startswith("sha1:") and record["fetched_at"].endswith("+07:00")


def test_an_ip_literal_uri_takes_the_host_of_its_request_record(mirror, tmp_path):
    """wget http://127.0.0.1:PORT/... --header 'Host: longbien...': the WARC names 127.0.0.1."""
    warc = _wget(tmp_path, f"http://{mirror.address}{TARGET}", f"--header=Host: {REAL_HOST}")
    records, _ = _extract(str(warc))
    _assert_seed(records)


def test_a_uri_naming_no_site_is_read_with_site_or_host_map(mirror, tmp_path):
    port = mirror.address.rsplit(":", 1)[1]
    warc = _wget(tmp_path, f"http://localhost:{port}{TARGET}", f"--header=Host: {REAL_HOST}")
    records, stderr = _extract(str(warc))
    assert records == [] and "localhost (1)" in stderr and "--site SLUG" in stderr  # says what to do
    _assert_seed(_extract("--site", "longbien", str(warc))[0])
    _assert_seed(_extract("longbien", str(warc))[0])  # `extract SLUG file.warc.gz` is --site SLUG
    _assert_seed(_extract("--host-map", f"localhost:{port}={REAL_HOST}", str(warc))[0])
    result = run_scrapy("extract", "longbien", str(warc), "--url", REAL_URL)
    assert result.returncode != 0 and "--url is for an HTML file" in result.stderr  # not read as HTML


def test_a_capture_through_the_mirror_as_a_proxy_names_the_real_urls(mirror, tmp_path):
    warc = _wget(tmp_path, REAL_URL, "-e", "use_proxy=on", "-e", f"http_proxy=http://{mirror.address}")
    assert any(target == REAL_URL for _, _, target, _, _ in mirror.requests())  # absolute-form: a proxy request
    _assert_seed(_extract(str(warc))[0])
