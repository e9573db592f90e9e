"""Real servers for the distributed tests and benchmark: PostgreSQL and scrapyd, on loopback.

- ``postgres_server()``: Debian's PostgreSQL (``apt-get install postgresql``), a cluster made
  by initdb in a temp dir (as the ``postgres`` user when we are root: PostgreSQL refuses to
  run as root), listening only on a unix socket in that dir; stopped and removed after.
- ``scrapyd_node()``: a scrapyd daemon (PyPI) in its own dir with its own scrapyd.conf
  (a free loopback port, ``max_proc``), stopped with its jobs after.
- ``deploy()``: `scrapyd-deploy` builds the egg from a copy of the project and deploys it
  to every node, as docs/distributed.md does it.

``Unavailable`` says why a server cannot be started here (the tests skip with that reason).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mirror.static_server import free_port

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class Unavailable(RuntimeError):
    pass


def skip_unavailable(what: str, exc: Exception | str) -> None:
    """Skip, saying why where `make test` shows it (pytest -q captures prints and hides skip reasons);
    in CI (``CI`` set), which installs every component, fail instead: nothing skips there."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI, which must install it: {exc}")
    sys.__stderr__.write(f"\nSKIPPED ({what}): {exc}\n")
    pytest.skip(f"{what}: {exc}")


# ---- PostgreSQL ------------------------------------------------------------------------------
def postgres_bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


@dataclass
class PostgresServer:
    root: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://wardcrawl@/{database}?host={self.root}&port={self.port}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def postgres_server(durable: bool = False) -> Iterator[PostgresServer]:
    """``durable``: fsync as in production (the benchmark); the tests run without it."""
    bindir = postgres_bindir()
    if bindir is None:
        raise Unavailable("PostgreSQL is not installed (apt-get install postgresql; .ci/run does)")
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise Unavailable(f"psycopg is not installed ({exc})") from None
    root = Path(tempfile.mkdtemp(prefix="wardcrawl-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL will not run as root: as its own system user
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("no 'postgres' user to run PostgreSQL as (the postgresql package makes it)") from None
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()
    try:
        subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "wardcrawl", "--auth=trust",
                        "-E", "UTF8", "--locale=C", "--no-sync"], check=True, capture_output=True, timeout=120)
        options = f"-c listen_addresses='' -k {root} -p {port} -c max_connections=100"
        if not durable:
            options += " -c fsync=off -c full_page_writes=off"
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
                        "-o", options, "-w", "-t", "60", "start"], check=True, capture_output=True, timeout=90)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise Unavailable(f"PostgreSQL did not start: {exc}: {getattr(exc, 'stderr', b'')!r}") from None
    try:
        yield PostgresServer(root, port)
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


# ---- scrapyd ---------------------------------------------------------------------------------
SCRAPYD_CONF = """[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
max_proc = {max_proc}
poll_interval = {poll}
eggs_dir = {root}/eggs
logs_dir = {root}/logs
dbs_dir = {root}/dbs
jobs_to_keep = 100
finished_to_keep = 1000

[settings]
wardcrawl = {settings_module}
"""


@dataclass
class ScrapydNode:
    name: str
    root: Path
    port: int
    proc: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def call(self, endpoint: str) -> dict:
        with urllib.request.urlopen(self.url + endpoint, timeout=10) as response:
            return json.loads(response.read())

    def job_pids(self) -> list[int]:
        return children(self.proc.pid)

    def kill_9(self) -> None:
        """The node dies: its daemon and its running jobs, with SIGKILL."""
        jobs = self.job_pids()
        os.kill(self.proc.pid, signal.SIGKILL)
        for pid in jobs:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def scrapyd_available() -> None:
    try:
        import scrapyd  # noqa: F401
        import scrapyd_client  # noqa: F401
    except ImportError as exc:
        raise Unavailable(f"scrapyd / scrapyd-client are not installed ({exc}; requirements-dev.txt pins them)") from None


@contextlib.contextmanager
def scrapyd_node(root: Path, name: str, env: dict[str, str], max_proc: int = 1, poll: float = 0.3,
                 settings_module: str = "wardcrawl.settings.mirror") -> Iterator[ScrapydNode]:
    """A scrapyd daemon in ``root/name``. Its cwd is its own dir, so its jobs import wardcrawl only
    from the deployed egg; ``env`` reaches the jobs (scrapyd passes its environment on)."""
    scrapyd_available()
    home = root / name
    home.mkdir(parents=True)
    port = free_port()
    (home / "scrapyd.conf").write_text(SCRAPYD_CONF.format(port=port, max_proc=max_proc, poll=poll, root=home,
                                                          settings_module=settings_module), encoding="utf-8")
    log = (home / "scrapyd.out").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "scrapyd", "--pidfile", str(home / "twistd.pid")], cwd=home,
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    node = ScrapydNode(name, home, port, proc)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if node.call("daemonstatus.json").get("status") == "ok":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"scrapyd {name} did not start: {(home / 'scrapyd.out').read_text()[-2000:]}")
            time.sleep(0.2)
        yield node
    finally:
        jobs = node.job_pids() if proc.poll() is None else []
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for pid in jobs:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        log.close()


def node_environment(mirror_address: str, workdir: Path) -> dict[str, str]:
    """The nodes' environment: the mirror's address, and the mirror package (test scaffolding,
    not in the egg) importable from a dir that holds nothing else of the repository."""
    extra = workdir / "pythonpath"
    extra.mkdir(exist_ok=True)
    if not (extra / "mirror").exists():
        (extra / "mirror").symlink_to(REPO_ROOT / "mirror")
    env = {k: v for k, v in os.environ.items() if k not in ("SCRAPY_SETTINGS_MODULE", "PYTHONPATH")}
    return {**env, "WARDCRAWL_MIRROR": mirror_address, "PYTHONPATH": str(extra)}


def project_copy(workdir: Path, nodes: list[ScrapydNode] = ()) -> Path:
    """What a checkout holds for scrapyd-deploy (setup.py, scrapy.cfg, wardcrawl/), with the
    nodes as deploy targets in its scrapy.cfg."""
    src = workdir / "project"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "setup.py", src)
    shutil.copytree(REPO_ROOT / "wardcrawl", src / "wardcrawl", ignore=shutil.ignore_patterns("__pycache__"))
    targets = "".join(f"\n[deploy:{n.name}]\nurl = {n.url}\nproject = wardcrawl\n" for n in nodes)
    (src / "scrapy.cfg").write_text((REPO_ROOT / "scrapy.cfg").read_text(encoding="utf-8") + targets, encoding="utf-8")
    return src


def scrapyd_deploy(src: Path, *args: str) -> subprocess.CompletedProcess:
    # Without PYTHONDONTWRITEBYTECODE, as a deploy from a workstation: bdist_egg then puts bytecode in
    # the egg. Modules imported from a zip cannot be cached, so an egg without it has every job compile
    # wardcrawl's sources anew (~0.5 s of CPU a job; benchmarks/startup.py).
    env = {k: v for k, v in os.environ.items() if k not in ("SCRAPY_SETTINGS_MODULE", "PYTHONDONTWRITEBYTECODE")}
    return subprocess.run([str(BIN / "scrapyd-deploy"), *args], cwd=src, env=env, capture_output=True, text=True,
                          timeout=180)


def deploy(nodes: list[ScrapydNode], workdir: Path) -> str:
    """`scrapyd-deploy -a`: build the egg from a copy of the project, deploy it to every node."""
    result = scrapyd_deploy(project_copy(workdir, nodes), "-a", "-p", "wardcrawl", "--version", "1")
    if result.returncode != 0 or result.stdout.count('"status": "ok"') != len(nodes):
        raise RuntimeError(f"scrapyd-deploy failed: {result.stdout}\n{result.stderr}")
    return result.stdout
