"""What every command that writes a data dir does around its run: the data dir's lock, the checks
of the state store and of the data dir's source (live or mirror), a run id no run used, and
an exit status (wardcrawl/commands/exitcodes.py) for each way it can end."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from wardcrawl.commands.exitcodes import FAILED, LOCKED, for_report
from wardcrawl.state.lock import AlreadyRunning, data_dir_lock, run_lock
from wardcrawl.runner import new_run_id
from wardcrawl.state.guard import describe
from wardcrawl.state.repair import check_at_start

# A log file on a full disk must not print a traceback per log line: the run says what failed.
logging.raiseExceptions = False


def refuse(message: str, code: int) -> tuple[int, None]:
    print(f"wardcrawl: {message}", file=sys.stderr)
    return code, None


def guarded_run(settings, slugs: list[str], what: str, work: Callable[[str], dict]) -> tuple[int, dict | None]:
    """(exit status, report) of ``work(run_id)`` run under the data dir's lock, after the checks;
    report is None when the run did not start."""
    data_dir = Path(settings.get("DATA_DIR", "data"))
    try:
        with run_lock(data_dir_lock(settings), what):
            problem = check_at_start(settings, slugs)
            if problem:
                return refuse(problem, FAILED)
            # What is alive now (modules, settings, the registry) lives as long as the process: out of the
            # cyclic GC's way, the crawl's collections and the interpreter's exit do not walk it again (the
            # exit's collections cost ~0.4 s a process; benchmarks/startup.py). What the run creates is
            # collected as before: stores closed, files flushed at exit.
            gc.freeze()
            report = work(new_run_id(data_dir))
    except AlreadyRunning as exc:
        return refuse(str(exc), LOCKED)
    except OSError as exc:  # the data dir itself cannot be written (read-only, full, missing parent)
        return refuse(f"cannot write the data dir {data_dir} ({getattr(exc, 'filename', None) or data_dir}): "
                      f"{describe(exc)}", FAILED)
    return for_report(report), report
