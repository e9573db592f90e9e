"""Start-up of one crawl job: where a `scrapy crawl <site>` process spends its time outside the crawl.

A distributed night (docs/distributed.md) is one process per site, and the tests start many
crawls: what a process costs before its first request and after its last one is paid per job.
This times one small site's incremental crawl (the demo mirror, no download delay) run two ways:

- **project**: ``python -m scrapy crawl <site>`` from the checkout, as cron and the tests run it;
- **egg**: ``python -m scrapyd.runner crawl <site>`` with the egg ``scrapyd-deploy --build-egg``
  builds, from a node directory, as a scrapyd node launches a job.

Each: one first run (fills the state), then ``--runs`` incremental runs; medians of wall and
CPU (wait4) and of the phases read from the job's own log, timestamped by ``%(created)``:
process start -> Scrapy's first log line (interpreter, imports, command loading, settings)
-> spider opened (crawler, extensions, middlewares, pipelines, spider: registry, state store,
locks) -> spider closed (the crawl itself) -> process exit (stats, report, teardown).
``--imports`` adds the slowest top-level imports of one run (``-X importtime``).

    .venv/bin/python benchmarks/startup.py [--site longbien] [--runs 5] [--imports]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import Child, median, say, table  # noqa: E402
from mirror.server import running_mirror  # noqa: E402
from tests.services import node_environment, project_copy, scrapyd_deploy  # noqa: E402

LOG_FORMAT = "%(created).3f %(name)s %(message)s"
MARKS = {"scrapy": "Scrapy .* started", "opened": "Spider opened", "closed": "Spider closed"}
NODE_CONF = "[scrapyd]\neggs_dir = {eggs}\n"


def phases(log_text: str, started: float, ended: float) -> dict[str, float]:
    """Seconds per phase, from the first log line matching each mark."""
    at = {}
    for line in log_text.splitlines():
        stamp, _, rest = line.partition(" ")
        for mark, pattern in MARKS.items():
            if mark not in at and re.search(pattern, rest):
                try:
                    at[mark] = float(stamp)
                except ValueError:
                    pass
    if len(at) < len(MARKS):
        return {}
    return {"to Scrapy": at["scrapy"] - started, "to spider opened": at["opened"] - at["scrapy"],
            "crawl": at["closed"] - at["opened"], "to exit": ended - at["closed"]}


def build_egg(work: Path) -> Path:
    """The egg as `scrapyd-deploy` builds it (from a copy of the project), in a node's eggs dir."""
    eggs = work / "node" / "eggs" / "wardcrawl"
    eggs.mkdir(parents=True)
    egg = eggs / "1.egg"
    result = scrapyd_deploy(project_copy(work), "--build-egg", str(egg))
    if result.returncode != 0 or not egg.exists():
        raise RuntimeError(f"scrapyd-deploy --build-egg failed: {result.stdout}\n{result.stderr}")
    (work / "node" / "scrapyd.conf").write_text(NODE_CONF.format(eggs=work / "node" / "eggs"), encoding="utf-8")
    return egg


def commands(kind: str, site: str, data_dir: Path, work: Path, mirror_address: str) -> tuple[list[str], dict, Path]:
    settings = ["-s", f"DATA_DIR={data_dir}", "-s", "LOG_LEVEL=INFO", "-s", f"LOG_FORMAT={LOG_FORMAT}"]
    if kind == "project":
        env = {k: v for k, v in os.environ.items() if k != "SCRAPY_PROJECT"}
        env.update({"SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror", "WARDCRAWL_MIRROR": mirror_address,
                    "PYTHONPATH": str(REPO)})
        return [sys.executable, "-m", "scrapy", "crawl", site, *settings], env, REPO
    env = {**node_environment(mirror_address, work), "SCRAPY_PROJECT": "wardcrawl",
           "SCRAPY_SETTINGS_MODULE": "wardcrawl.settings.mirror"}
    return [sys.executable, "-m", "scrapyd.runner", "crawl", site, "-a", "_job=startup", *settings], env, work / "node"


def run_once(cmd: list[str], env: dict, cwd: Path, log: Path) -> dict:
    log.write_text("")
    started = time.time()
    child = _run_in(cmd, env, cwd, log)
    ended = started + child.wall
    if child.exitcode != 0:
        raise RuntimeError(f"{cmd[2:5]} exited {child.exitcode}; see {log}")
    return {"wall": child.wall, "cpu": child.cpu, **phases(log.read_text(errors="replace"), started, ended)}


def _run_in(cmd: list[str], env: dict, cwd: Path, log: Path):
    """common.run_child, from ``cwd`` (a scrapyd node runs its jobs from its own directory)."""
    with log.open("ab") as out:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    return Child(time.monotonic() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                 os.waitstatus_to_exitcode(status))


def slowest_imports(cmd: list[str], env: dict, cwd: Path, count: int = 12) -> list[tuple[str, float]]:
    """(module, cumulative s) of the slowest imports that nothing else being imported pulled in."""
    result = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], env=env, cwd=cwd, capture_output=True,
                            text=True, timeout=300)
    found = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = line[len("import time:"):].split("|", 2)
            if not name.startswith("  "):  # top level: imported by running code, not by another import
                found.append((name.strip(), int(cumulative) / 1e6))
    return sorted(found, key=lambda item: -item[1])[:count]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", default="longbien")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--imports", action="store_true", help="print the slowest top-level imports of one run")
    opts = parser.parse_args(argv)
    load = os.getloadavg()
    rows, imports = [], {}
    with tempfile.TemporaryDirectory(prefix="wardcrawl-startup-") as tmp:
        work = Path(tmp)
        egg = build_egg(work)
        with running_mirror(work / "access.log") as mirror:
            for kind in ("project", "egg"):
                data_dir = work / f"data-{kind}"
                cmd, env, cwd = commands(kind, opts.site, data_dir, work, mirror.address)
                say(f"{kind}: first run, then {opts.runs} incremental runs")
                first = run_once(cmd, env, cwd, work / f"{kind}-first.log")
                runs = [run_once(cmd, env, cwd, work / f"{kind}-{i}.log") for i in range(opts.runs)]
                if opts.imports:
                    imports[kind] = slowest_imports(cmd, env, cwd)
                keys = ["wall", "cpu", "to Scrapy", "to spider opened", "crawl", "to exit"]
                rows.append([kind, "first", *(f"{first.get(k, float('nan')):.2f}" for k in keys)])
                rows.append([kind, f"incremental (median of {opts.runs})",
                             *(f"{median(r.get(k, float('nan')) for r in runs):.2f}" for k in keys)])
        egg_pyc = sum(1 for name in subprocess.run(["unzip", "-Z1", str(egg)], capture_output=True, text=True).stdout
                      .split() if name.endswith(".pyc")) if os.path.exists("/usr/bin/unzip") else "?"
    print(table(["run", "night", "wall s", "CPU s", "to Scrapy s", "to spider opened s", "crawl s", "to exit s"], rows,
                f"Start-up of `scrapy crawl {opts.site}` (demo mirror, no delay)"))
    print(f"\nload average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; egg .pyc files: {egg_pyc}; "
          f"project bytecode cache: {'yes' if (REPO / 'wardcrawl' / '__pycache__').exists() else 'no'}")
    for kind, found in imports.items():
        print(table(["module", "cumulative s"], [[m, f"{s:.3f}"] for m, s in found], f"Slowest top-level imports ({kind})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
