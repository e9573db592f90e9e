"""`scrapy package-wacz`: a run's WARCs as one WACZ, checked with py-wacz's own `wacz validate`;
its pages list is the run's article pages, each naming a record in the package."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import TwoRuns, run_scrapy
from wardcrawl.archive.warc import fetched_at

WACZ_CLI = Path(sys.executable).with_name("wacz")  # py-wacz's command line, in our venv


def _package(two_runs: TwoRuns, output: Path, *args: str) -> subprocess.CompletedProcess:
    result = run_scrapy("package-wacz", "--data-dir", str(two_runs.data_dir), "-o", str(output), *args)
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.strip() == str(output) and output.is_file()
    assert not list(output.parent.glob("*.part"))
    return result


def _validate(path: Path) -> str:
    result = subprocess.run([str(WACZ_CLI), "validate", "-f", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation succeeded, the passed WACZ is valid" in result.stdout
    return result.stdout


def _posted(warcs: list[Path]) -> set[tuple[str, bytes]]:
    """(URI, form body) of every POST request record."""
    posted = set()
    for path in warcs:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "request" and record.http_headers.protocol == "POST":
                    posted.add((record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read()))
    return posted


def _pages(path: Path) -> tuple[dict, list[dict]]:
    with zipfile.ZipFile(path) as archive:
        header, *pages = [json.loads(line) for line in archive.read("pages/pages.jsonl").decode().splitlines()]
    return header, pages


@pytest.fixture(scope="module")
def first_run_wacz(two_runs, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("wacz") / "first.wacz"
    _package(two_runs, output, "--run", two_runs.first.run_id)
    return output


def test_a_runs_wacz_passes_wacz_validate(first_run_wacz, two_runs):
    print(_validate(first_run_wacz))
    with zipfile.ZipFile(first_run_wacz) as archive:
        names = set(archive.namelist())
        package = json.loads(archive.read("datapackage.json"))
        index = gzip.decompress(archive.read("indexes/index.cdx.gz")).decode("utf-8")
    assert {"datapackage.json", "datapackage-digest.json", "pages/pages.jsonl", "indexes/index.cdx.gz"} <= names
    assert {n for n in names if n.startswith("archive/")} == {f"archive/{p.name}" for p in two_runs.first.warcs}
    assert package["title"] == f"wardcrawl {two_runs.first.run_id}"
    post_keys = {line.split(" ", 1)[0] for line in index.splitlines() if "__wb_method=post" in line.split(" ", 1)[0]}
    # each listing page of the NewsZone API under its own key: one key per distinct form body
    assert post_keys and len(post_keys) == len(_posted(two_runs.first.warcs))


def test_the_pages_list_is_the_runs_article_pages(first_run_wacz, two_runs):
    header, pages = _pages(first_run_wacz)
    assert header["format"] == "json-pages-1.0"
    feeds = two_runs.first.feeds
    assert len(pages) == len(feeds) and len({p["id"] for p in pages}) == len(pages)
    by_record = {record["warc_record_id"]: record for record in feeds.values()}
    for page in pages:  # each page names the very record its article was parsed from, by URL and time
        record = by_record[page["id"]]
        assert page["url"] == record["url"] and page["title"] == record["title"]
        assert fetched_at(page["ts"]) == record["fetched_at"]


def test_a_rerun_of_revisits_packages_the_files_of_their_originals(two_runs, tmp_path):
    output = tmp_path / "latest.wacz"
    result = _package(two_runs, output)  # the latest run by default: the second, all revisits
    assert f"{len(two_runs.first.warcs)} holding originals of revisits" in result.stderr
    _validate(output)
    with zipfile.ZipFile(output) as archive:
        names = {n for n in archive.namelist() if n.startswith("archive/")}
    assert names == {f"archive/{p.name}" for p in two_runs.first.warcs + two_runs.second.warcs}


def test_nothing_to_package_fails_clearly(two_runs, tmp_path):
    result = run_scrapy("package-wacz", "--data-dir", str(two_runs.data_dir), "--run", "19990101T000000",
                        "-o", str(tmp_path / "none.wacz"))
    assert result.returncode == 1 and "no finished WARC files of run 19990101T000000" in result.stderr
    assert not (tmp_path / "none.wacz").exists()
