"""WACZ packages of a crawl's WARCs: one file that ReplayWeb.page, pywb and Browsertrix users open.

A WACZ (https://specs.webrecorder.net/wacz/) is a ZIP holding the WARCs (``archive/``), a CDXJ
index of every record (``indexes/``), a pages list (``pages/pages.jsonl``) and a
``datapackage.json`` with each file's hash. It is made by py-wacz (the ``wacz`` package,
Webrecorder's own tool), which indexes POST requests by their form body as pywb does.

- Which WARCs: a run's files (``<site>-<run>-<serial>.warc.gz`` under ``<DATA_DIR>/warc``), or
  one site's (all its runs, or one), the latest run by default; plus the files holding the
  originals of their revisits, so that every record replays from the package alone.
- Pages: the article pages, found as ``scrapy extract`` finds them (the crawl's own test of
  an article URL, the parser), each with its title, its ``WARC-Target-URI`` and the
  ``WARC-Date`` of its record, so that each page entry names a record in the index.
- The package is written as ``<name>.part`` and renamed into place once it is complete and
  ``wacz validate`` passes on it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wardcrawl.archive.extract import ArchiveExtraction, extract_captures
from wardcrawl.archive.read import ArchivedResponse, ReadReport, iter_archived_responses
from wardcrawl.archive.warc import warc_date
from wardcrawl.state.journal import fsync_dir

# <site>-<run>-<serial>.warc.gz; run ids are Hanoi time to the microsecond (20261130T021700-123456), a
# retry's may end in ".2" (docs/distributed.md), and a hand-given one (-a run_id=...) has no dash.
WARC_NAME = re.compile(r"^(?P<site>.+?)-(?P<run>\d{8}T\d{6}(?:-\d{6})?(?:\.\d+)?|[^-]+)-(?P<serial>\d{5})\.warc(?:\.gz)?$")
PAGES_PATH = "pages/pages.jsonl"


class PackageError(ValueError):
    """Nothing to package, or a package that did not come out whole."""


@dataclass
class Package:
    path: Path
    warcs: list[Path]  # the WARCs packaged: the selection, then the files of revisits' originals
    pages: int
    read: ReadReport = field(default_factory=ReadReport)
    extraction: ArchiveExtraction = field(default_factory=ArchiveExtraction)
    validation: str = ""  # what `wacz validate` printed


def select_warcs(warc_dir: Path, run: str | None = None, site: str | None = None) -> tuple[list[Path], str]:
    """The finished WARCs of a run and/or a site (the latest run when neither is given), and a
    name for the package."""
    found = []
    for path in sorted(warc_dir.iterdir()) if warc_dir.is_dir() else ():
        match = WARC_NAME.match(path.name)
        if match and path.is_file():
            found.append((match["site"], match["run"], path))
    if run is None and site is None:
        if not found:
            raise PackageError(f"no finished WARC files in {warc_dir}")
        run = max(r for _, r, _ in found)
    chosen = [p for s, r, p in found if (run is None or r == run) and (site is None or s == site)]
    if not chosen:
        wanted = " and ".join(x for x in (f"run {run}" if run else "", f"site {site}" if site else "") if x)
        raise PackageError(f"no finished WARC files of {wanted} in {warc_dir}")
    return chosen, "-".join(x for x in (site, run) if x)


def _noting_originals(captures: Iterable[ArchivedResponse], originals: set[Path]) -> Iterator[ArchivedResponse]:
    for capture in captures:
        if capture.original is not None:
            originals.add(capture.original)
        yield capture


def article_pages(warcs: list[Path], read: ReadReport,
                  extraction: ArchiveExtraction) -> tuple[list[dict], list[Path]]:
    """The pages list (one entry per article record) and the files holding revisits' originals."""
    originals: set[Path] = set()
    pages = []
    captures = _noting_originals(iter_archived_responses(warcs, read), originals)
    for capture, record in extract_captures(captures, extraction):
        pages.append({"id": record["warc_record_id"] or f"{record['id']}@{capture.date.isoformat()}",
                      "url": capture.url, "ts": warc_date(capture.date), "title": record["title"]})
    given = {p.resolve() for p in warcs}
    return pages, sorted(p for p in originals if p not in given)


def _wacz(*args: str) -> tuple[int, str]:
    """py-wacz's own command line, in this process; (exit code, what it printed)."""
    from wacz.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code or 0, out.getvalue()


def package_wacz(warcs: list[Path], output: Path, title: str, description: str = "") -> Package:
    """Write a validated WACZ of ``warcs`` (and their revisits' originals) to ``output``."""
    read, extraction = ReadReport(), ArchiveExtraction()
    pages, originals = article_pages(warcs, read, extraction)
    if read.errors:
        raise PackageError("; ".join(read.errors))
    inputs = [*warcs, *originals]
    names = [p.name for p in inputs]
    if len(set(names)) != len(names):  # py-wacz stores each as archive/<file name>
        raise PackageError(f"two WARC files share a name: {sorted(n for n in names if names.count(n) > 1)}")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    pages_file = output.with_name(output.name + ".pages.jsonl")
    header = {"format": "json-pages-1.0", "id": "pages", "title": title}
    if description:
        header["description"] = description
    pages_file.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in [header, *pages]),
                          encoding="utf-8")
    try:
        options = ["--title", title, *(["--desc", description] if description else []),
                   *(["-p", str(pages_file)] if pages else [])]
        code, printed = _wacz("create", "-o", str(partial), *options, *map(str, inputs))
        if code != 0:
            raise PackageError(f"wacz create failed: {printed.strip()[-2000:]}")
        packaged = _packaged_pages(partial)
        if packaged != len(pages):
            raise PackageError(f"{len(pages)} article pages, {packaged} in the package's page list: {printed[-2000:]}")
        code, validation = _wacz("validate", "-f", str(partial))
        if code != 0:
            raise PackageError(f"wacz validate failed on {partial}: {validation.strip()}")
        with partial.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, output)
        fsync_dir(output.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        pages_file.unlink(missing_ok=True)
    return Package(output, inputs, len(pages), read, extraction, validation.strip())


def _packaged_pages(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        if PAGES_PATH not in archive.namelist():
            return 0
        lines = archive.read(PAGES_PATH).decode("utf-8").splitlines()
    return sum(1 for line in lines[1:] if line.strip())  # the first line is the header
