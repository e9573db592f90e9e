"""scrapy state rebuild | verify [--repair]: the state store against the feeds (wardcrawl/state/repair.py).

- ``rebuild``: a new state store from the feeds and the run reports; the old file is kept as
  ``state.sqlite3.damaged-<time>``. For a store that is damaged, missing or emptied.
- ``verify``: every feed line whole and valid against the schema, the state store against the
  feeds; exit 0 when they agree, 3 when something is damaged or differs. ``--repair`` moves
  damaged lines into ``<feed>.damaged`` and resets the articles concerned, so the next run
  fetches them again.

Both hold the data dir's lock (75 when a run holds it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from wardcrawl.commands.exitcodes import FAILED, LOCKED, OK
from wardcrawl.state.lock import AlreadyRunning, lock_path, run_lock
from wardcrawl.state import SqliteStateStore, StateDamaged
from wardcrawl.state.repair import rebuild, recover_journals, state_path, verify

MAX_LISTED = 50


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "rebuild | verify [--repair]"

    def short_desc(self) -> str:
        return "Rebuild the state store from the feeds, or verify feeds and state (and repair them)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--data-dir", default=None, help="the data dir (default DATA_DIR, 'data')")
        parser.add_argument("--repair", action="store_true", help="with verify, move damaged lines out of the feeds "
                                                                  "and reset the articles concerned")

    def run(self, args, opts) -> None:
        if args not in (["rebuild"], ["verify"]):
            raise UsageError("expected: rebuild, or verify [--repair]")
        if opts.data_dir:
            self.settings.set("DATA_DIR", opts.data_dir, priority="cmdline")
        data_dir = Path(self.settings.get("DATA_DIR", "data"))
        if not data_dir.is_dir():
            raise UsageError(f"no data dir {data_dir}")
        try:
            with run_lock(lock_path(data_dir), f"scrapy state {args[0]}"):
                self.exitcode = self._rebuild(data_dir) if args[0] == "rebuild" else self._verify(data_dir, opts.repair)
        except AlreadyRunning as exc:
            print(f"wardcrawl: {exc}", file=sys.stderr)
            self.exitcode = LOCKED
        except OSError as exc:
            print(f"wardcrawl: cannot write in {data_dir}: {exc}", file=sys.stderr)
            self.exitcode = FAILED

    def _rebuild(self, data_dir: Path) -> int:
        path = state_path(self.settings)
        result = rebuild(data_dir, path)
        print(f"state rebuilt: {path}: {result.articles} articles ({result.versions} versions) from the feeds, "
              f"{result.runs} site runs from the reports; every site's next run walks all its listing pages")
        if result.old_store:
            print(f"the old store is kept as {result.old_store}")
        for line in result.damaged_lines[:MAX_LISTED]:
            print(f"damaged line (left out; `scrapy state verify --repair` moves it aside): {line}")
        return OK

    def _verify(self, data_dir: Path, repair: bool) -> int:
        path = state_path(self.settings)
        if not path.exists():
            print(f"wardcrawl: no state store at {path}: run `scrapy state rebuild`", file=sys.stderr)
            return FAILED
        try:
            store = SqliteStateStore(path)
        except StateDamaged as exc:
            print(f"wardcrawl: {exc}", file=sys.stderr)
            return FAILED
        try:
            if repair:
                recover_journals(data_dir, store)
            result = verify(data_dir, store, repair=repair)
        finally:
            store.close()
        print(f"verified {result.lines} feed lines: {len(result.damaged)} damaged, "
              f"{len(result.problems)} differences between the state and the feeds")
        for line in result.damaged[:MAX_LISTED]:
            print(f"damaged: {line.path}:{line.number}: {line.problem}")
        for problem in result.problems[:MAX_LISTED]:
            print(f"differs: {problem}")
        if repair and not result.ok:
            print(f"repaired: damaged lines moved to <feed>.damaged; {result.repaired} articles reset, to be "
                  "fetched again by the next run")
            return OK
        if not result.ok:
            print("run `scrapy state verify --repair` to repair", file=sys.stderr)
        return OK if result.ok else FAILED
