"""pywb, the Webrecorder's wayback machine, as a real replay server on loopback.

pywb pins versions that clash with ours (its own warcio, gevent, redis...), so it lives in its
own venv, ``.venv-pywb/``, built from ``requirements-pywb.txt`` (``make pywb``, or the first
``ensure_venv()``) and rebuilt only when that file changes. This module runs in our venv and
drives pywb's command-line tools as subprocesses:

- ``make_collection(root, name, warcs)``: a pywb archive directory with one collection, the
  WARCs added and indexed by ``wb-manager add`` (which indexes POST requests by their form body);
- ``running_wayback(root)``: pywb's wayback app on a free loopback port (``mirror/pywb_server.py``
  inside the pywb venv), stopped on exit. Replay: ``<url>/<coll>/<timestamp>id_/<original URL>``
  gives the archived payload as it was; the CDX server: ``<url>/<coll>/cdx?url=...``.

Used by the replay tests, and as a stand-in for a web archive's wayback and CDX servers.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import selectors
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mirror.server import stop_process

REPO_ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = REPO_ROOT / "requirements-pywb.txt"
VENV = REPO_ROOT / ".venv-pywb"
STAMP = VENV / ".installed"  # holds the SHA-256 of the requirements it was built from
SERVER_SCRIPT = Path(__file__).resolve().with_name("pywb_server.py")
PYTHON = os.environ.get("PYWB_PYTHON", "python3.11")
START_TIMEOUT = 60  # seconds for pywb to load and listen


class PywbUnavailable(RuntimeError):
    """pywb's venv could not be built (no Python 3.11, no package index...): the reason."""


def _requirements_digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def venv_bin(name: str) -> Path:
    return VENV / "bin" / name


def ensure_venv() -> Path:
    """The pywb venv, built (once, under a lock) if it is missing or its requirements changed."""
    wanted = _requirements_digest()
    if STAMP.is_file() and STAMP.read_text().strip() == wanted:
        return VENV
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(REPO_ROOT / ".venv-pywb.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; the others wait and reuse it
        if STAMP.is_file() and STAMP.read_text().strip() == wanted:
            return VENV
        python = shutil.which(PYTHON) or (sys.executable if sys.version_info[:2] == (3, 11) else None)
        if python is None:
            raise PywbUnavailable(f"no {PYTHON} to build {VENV} with")
        shutil.rmtree(VENV, ignore_errors=True)
        steps = [[python, "-m", "venv", str(VENV)],
                 [str(venv_bin("python")), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                  "-r", str(REQUIREMENTS)]]
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True, timeout=900)
            if result.returncode != 0:
                shutil.rmtree(VENV, ignore_errors=True)
                raise PywbUnavailable(f"{' '.join(step[:4])} failed: {(result.stderr or result.stdout)[-1500:]}")
        STAMP.write_text(wanted + "\n")
    return VENV


def _run(root: Path, tool: str, *args: str) -> None:
    result = subprocess.run([str(venv_bin(tool)), *args], cwd=root, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"{tool} {' '.join(args[:2])} failed: {(result.stderr or result.stdout)[-2000:]}")


def make_collection(root: Path, name: str, warcs: list[Path]) -> Path:
    """A pywb archive directory at ``root`` with collection ``name`` holding ``warcs`` (copied
    and indexed by ``wb-manager``). Returns the collection's directory."""
    ensure_venv()
    root.mkdir(parents=True, exist_ok=True)
    if not (root / "collections" / name).is_dir():
        _run(root, "wb-manager", "init", name)
    if warcs:
        _run(root, "wb-manager", "add", name, *map(str, warcs))
    return root / "collections" / name


@dataclass
class RunningWayback:
    url: str  # "http://127.0.0.1:<port>"
    process: subprocess.Popen

    def replay_url(self, collection: str, timestamp: str, url: str, modifier: str = "id_") -> str:
        """``<server>/<collection>/<timestamp><modifier>/<url>``: ``id_`` is the payload as archived."""
        return f"{self.url}/{collection}/{timestamp}{modifier}/{url}"

    def cdx_url(self, collection: str) -> str:
        return f"{self.url}/{collection}/cdx"


@contextlib.contextmanager
def running_wayback(root: Path, log: Path | None = None) -> Iterator[RunningWayback]:
    """pywb's wayback app serving the collections under ``root`` on a free loopback port."""
    ensure_venv()
    log = log or root / "wayback.log"
    with log.open("ab") as err:  # -P: not mirror/ on sys.path, where this module would shadow pywb
        proc = subprocess.Popen([str(venv_bin("python")), "-P", str(SERVER_SCRIPT)], cwd=root, stdout=subprocess.PIPE,
                                stderr=err, text=True)
        try:
            address = _address(proc, START_TIMEOUT)
            if address is None:
                raise RuntimeError(f"pywb failed to start (exit code {proc.poll()}); see {log}")
            yield RunningWayback(f"http://{address}", proc)
        finally:
            stop_process(proc)


def _address(proc: subprocess.Popen, timeout: float) -> str | None:
    """The address from the server's ``listening <address>`` line (pywb may print notes before
    it); None if it exits or does not say it within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0 and selector.select(left):
            line = proc.stdout.readline()
            if not line:
                return None  # it exited
            words = line.split()
            if len(words) == 2 and words[0] == "listening":
                return words[1]
    return None
