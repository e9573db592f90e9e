"""scrapy extract: re-extract saved pages offline with the crawl's parser and cleaning.

- ``scrapy extract <site> <file.html> --url <url>``: one saved page; prints its record.
- ``scrapy extract [--site SLUG] [--host-map FROM=TO] <file.warc.gz|dir> ...``: WARC files
  (this crawler's or other crawlers'); the site is chosen per record by URL from the
  registry. A WARC whose URIs do not name the site (captured through a loopback address
  or a proxy) is read with ``--host-map`` (the URI's host to the real one), the ``Host``
  header of each response's request record (when the URI's host is an IP literal) and
  ``--site`` (the site of every record whose URI still names none). ``scrapy extract SLUG
  <file.warc.gz>`` is ``--site SLUG``. Prints one JSON line per record (``source`` is
  ``warc-file``, or ``wayback``/``commoncrawl`` for a capture ``scrapy recover`` fetched from a web
  archive); a summary (records per site by source, what was skipped) goes to stderr.
"""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import datetime
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from wardcrawl.commands.exitcodes import FAILED, LOCKED
from wardcrawl.state.lock import AlreadyRunning, lock_path, run_lock
from wardcrawl.archive.extract import ArchiveExtraction, Hosts, extract, extract_archived, make_response
from wardcrawl.report.console import source_line
from wardcrawl.sites import registry
from wardcrawl.archive.read import ReadReport, UnfinishedWarc, is_warc_path, iter_archived_responses, warc_paths


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "<site> <file.html> --url <url>  |  [--site SLUG] <file.warc.gz|directory> [...]"

    def short_desc(self) -> str:
        return "Re-extract saved pages (an HTML file, or WARC files) offline with the sites' parsers; print JSON"

    # No ':' in help texts: Scrapy's formatter takes a help block whose wrapped last line
    # ends in one for a heading, and underlines it.
    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="(HTML file) the URL the page was fetched from")
        parser.add_argument("--encoding", help="(HTML file) override the page's declared encoding")
        parser.add_argument("--fetched-at", help="(HTML file) ISO 8601 capture time, now when not given")
        parser.add_argument("--site", metavar="SLUG",
                            help="(WARC files) the registry site of records whose URI names no registry host, "
                                 "as in another crawler's capture through a loopback address or a proxy")
        parser.add_argument("--host-map", action="append", default=[], metavar="FROM=TO",
                            help="(WARC files) read URIs on host FROM (or host:port) as on host TO; repeatable")
        parser.add_argument("--data-dir", help="(WARC files) warc_file is given relative to this directory, "
                                               "DATA_DIR ('data') when not given")
        parser.add_argument("--output", "-O", dest="output_file",
                            help="(WARC files) write the JSON lines to this file instead of stdout")

    def run(self, args, opts) -> None:
        if len(args) >= 2 and args[0] in registry() and all(is_warc_path(a) for a in args[1:]):
            if opts.site and opts.site != args[0]:
                raise UsageError(f"two sites given: {args[0]} and --site {opts.site}")
            opts.site, args = args[0], args[1:]  # `extract SLUG file.warc.gz`: the site of its records
        if args and all(is_warc_path(a) for a in args):
            if opts.url:
                raise UsageError("--url is for an HTML file; a WARC names each record's URL "
                                 "(use --site or --host-map when it does not name the site)")
            try:
                self._run_warc(args, opts)
            except AlreadyRunning as exc:
                print(f"extract: {exc}", file=sys.stderr)
                self.exitcode = LOCKED
        else:
            self._run_html(args, opts)

    @staticmethod
    def _hosts(opts) -> Hosts:
        site = None
        if opts.site:
            site = registry().get(opts.site)
            if site is None:
                raise UsageError(f"unknown site {opts.site!r}; known: {', '.join(sorted(registry()))}")
        host_map = {}
        for spec in opts.host_map:
            source, sep, target = spec.partition("=")
            if not sep or not source.strip() or not target.strip():
                raise UsageError(f"--host-map {spec!r}: expected FROM=TO, e.g. 127.0.0.1:8080=longbien.hanoi.gov.vn")
            host_map[source.strip().lower()] = target.strip().lower()
        return Hosts(host_map, site)

    def _run_html(self, args, opts) -> None:
        if len(args) != 2:
            raise UsageError("expected <site> <file.html> --url <url>, or WARC files")
        slug, path = args
        site = registry().get(slug)
        if site is None:
            raise UsageError(f"unknown site {slug!r}; known: {', '.join(sorted(registry()))}")
        if not opts.url:
            raise UsageError("--url is required with an HTML file")
        page = Path(path)
        if not page.is_file():
            raise UsageError(f"{path}: no such file" if not page.exists() else f"{path} is not a file")
        limit = self.settings.getint("DOWNLOAD_MAXSIZE", 16 * 1024 * 1024)
        if page.stat().st_size > limit:
            print(f"extract: {path} is {page.stat().st_size} bytes, over DOWNLOAD_MAXSIZE ({limit}): a crawl "
                  "would not have read it either; not parsed", file=sys.stderr)
            self.exitcode = FAILED
            return
        body = page.read_bytes()
        fetched_at = datetime.fromisoformat(opts.fetched_at) if opts.fetched_at else None
        result = extract(site, make_response(opts.url, body, encoding=opts.encoding), fetched_at)
        if result.record is not None:
            print(json.dumps(result.record, ensure_ascii=False, indent=2))
        for error in result.errors:
            print(f"error: {error}", file=sys.stderr)
        self.exitcode = 0 if result.record is not None and not result.errors else 1

    def _run_warc(self, args, opts) -> None:
        try:
            paths = warc_paths(args)
        except UnfinishedWarc as exc:
            raise UsageError(str(exc)) from exc
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise UsageError(f"no such file: {', '.join(missing)}")
        hosts = self._hosts(opts)
        data_dir = Path(opts.data_dir or self.settings.get("DATA_DIR", "data"))
        output = Path(opts.output_file).resolve() if opts.output_file else None
        # Writing into a data dir: under its lock, like every run that writes one.
        with run_lock(lock_path(data_dir)) if output and output.is_relative_to(data_dir.resolve()) \
                else contextlib.nullcontext():
            self._write_warc_records(paths, opts, data_dir, hosts)

    def _write_warc_records(self, paths, opts, data_dir: Path, hosts: Hosts) -> None:
        read, report = ReadReport(), ArchiveExtraction()
        out = open(opts.output_file, "w", encoding="utf-8") if opts.output_file else sys.stdout
        try:
            for record in extract_archived(iter_archived_responses(paths, read), report, data_dir, hosts):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        finally:
            if out is not sys.stdout:
                out.close()
        self._summary(paths, read, report)
        self.exitcode = 1 if read.errors else 0

    @staticmethod
    def _summary(paths, read: ReadReport, report: ArchiveExtraction) -> None:
        err = sys.stderr
        counts = read.counts + report.counts
        skipped = {k: v for k, v in sorted(counts.items()) if k not in ("records", "response_records",
                                                                        "revisit_records")}
        print(f"extract: {counts['records']} records from {counts['response_records']} response and "
              f"{counts['revisit_records']} revisit records in {len(paths)} WARC files", file=err)
        for slug, sources in sorted(report.sources.items()):  # as a run's summary says it (live, wayback...)
            print(f"extract: {source_line(slug, dict(sources.most_common()))}", file=err)
        if skipped:
            print("extract: not emitted: " + ", ".join(f"{k} {v}" for k, v in skipped.items()), file=err)
        if report.unknown_hosts:
            print(f"extract: skipped {sum(report.unknown_hosts.values())} records of hosts no registry site "
                  "serves: " + ", ".join(f"{h} ({n})" for h, n in report.unknown_hosts.most_common())
                  + " (--site SLUG or --host-map FROM=TO says which site a WARC is)", file=err)
        for line in report.rejected:
            print(f"rejected: {line}", file=err)
        for error in read.errors:
            print(f"error: {error}", file=err)
