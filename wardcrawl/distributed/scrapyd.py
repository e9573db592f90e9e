"""A scrapyd node, through its JSON API (schedule.json, listjobs.json, daemonstatus.json, cancel.json).

Plain urllib: the coordinator needs four calls, not a client library. Every call has a
timeout; a node that does not answer raises ``NodeUnreachable``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin

PROJECT = "wardcrawl"


class NodeUnreachable(OSError):
    pass


class NodeError(RuntimeError):
    """The node answered, with ``status: error``."""


@dataclass
class Jobs:
    """One listjobs.json answer: job ids by state."""

    pending: set[str] = field(default_factory=set)
    running: set[str] = field(default_factory=set)
    finished: set[str] = field(default_factory=set)

    def __contains__(self, job: str) -> bool:
        return job in self.pending or job in self.running or job in self.finished


class ScrapydNode:
    def __init__(self, url: str, timeout: float = 30.0, project: str = PROJECT):
        self.url = url if url.endswith("/") else url + "/"
        self.timeout = timeout
        self.project = project

    def __repr__(self) -> str:
        return f"ScrapydNode({self.url})"

    def _call(self, endpoint: str, query: dict | None = None, form: list[tuple[str, str]] | None = None,
              timeout: float | None = None) -> dict:
        url = urljoin(self.url, endpoint) + (f"?{urlencode(query)}" if query else "")
        data = urlencode(form).encode() if form is not None else None
        try:
            with urllib.request.urlopen(url, data=data, timeout=timeout or self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise NodeError(f"{url}: HTTP {exc.code}") from exc
        except (OSError, ValueError) as exc:  # refused, reset, timed out, not JSON
            raise NodeUnreachable(f"{url}: {exc}") from exc
        if answer.get("status") != "ok":
            raise NodeError(f"{url}: {answer.get('message', answer)}")
        return answer

    def daemonstatus(self) -> dict:
        """{"pending": n, "running": n, "finished": n, ...}: every project's jobs on the node."""
        return self._call("daemonstatus.json")

    def listspiders(self, timeout: float = 120.0) -> list[str]:
        """The spiders of the deployed egg. The node runs `scrapy list` for it once per egg version,
        which can take a while; schedule.json reuses the answer."""
        return self._call("listspiders.json", {"project": self.project}, timeout=timeout)["spiders"]

    def listjobs(self) -> Jobs:
        answer = self._call("listjobs.json", {"project": self.project})
        return Jobs(*({job["id"] for job in answer.get(state, [])} for state in ("pending", "running", "finished")))

    def schedule(self, spider: str, job: str, settings: dict[str, str], args: dict[str, str]) -> str:
        form = [("project", self.project), ("spider", spider), ("jobid", job)]
        form += [("setting", f"{name}={value}") for name, value in settings.items()]
        form += list(args.items())
        return self._call("schedule.json", form=form)["jobid"]

    def cancel(self, job: str) -> None:
        self._call("cancel.json", form=[("project", self.project), ("job", job)])
