"""`scrapy cron --scrapyd URL[,URL…]`: the nightly job spread over scrapyd nodes.

One scrapyd job per site (`scrapy crawl <site>` inside the deployed egg), each on the least
loaded node that has no job waiting in its queue; the PostgreSQL state store is what every
job and the coordinator share. The coordinator:

- holds the store's ``coordinator`` lock for the whole run (a second coordinator, on any
  machine, exits 75);
- polls every node (daemonstatus.json, listjobs.json) each POLL seconds; a node that fails
  NODE_FAILURES polls in a row is dead, and its sites go back in the queue;
- takes a site as done when its report is in the state store (the job saves it at its end,
  ``wardcrawl.distributed.jobreport``); a job that finished without one (killed, crashed, or
  refused because another process holds the site's lock) is tried again, up to
  ``--attempts`` times, each attempt under its own run id (``<run>``, ``<run>.2``, …) so
  that the next attempt recovers the journal a killed one left (wardcrawl/state/journal.py);
- writes one run report (``runner.combine_reports``) and returns the one-machine job's exit
  status: 0 healthy, 1 a site unhealthy, 3 a site never reported (every attempt failed,
  or no node left), 75 locked.

Scheduling is scrapyd's; this module only decides which node gets which site, and when.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from wardcrawl.distributed.scrapyd import Jobs, NodeError, NodeUnreachable, ScrapydNode
from wardcrawl.runner import combine_reports
from wardcrawl.state import lock_is_free
from wardcrawl.text.dates import HANOI_TZ

logger = logging.getLogger(__name__)

EX_FAILED = 3
COORDINATOR_LOCK = "coordinator"
NODE_FAILURES = 3  # polls in a row a node may miss before its sites go elsewhere
LOST_AFTER = 30.0  # seconds a scheduled job may be missing from its node's lists before it counts as lost
RETRY_DELAY = 5.0  # seconds before a failed site is tried again (a lock holder may still be finishing)


@dataclass
class Attempt:
    site: str
    run_id: str
    node: ScrapydNode
    job: str
    scheduled: float


@dataclass
class NodeState:
    node: ScrapydNode
    alive: bool = True
    failures: int = 0
    pending: int = 0
    running: int = 0
    jobs: Jobs | None = None  # the last listjobs.json answer
    scheduled: int = 0  # jobs this run scheduled here


@dataclass
class Plan:
    """What is left to do: sites waiting (with the time they may start), attempts under way, done."""

    waiting: dict[str, float] = field(default_factory=dict)
    running: dict[str, Attempt] = field(default_factory=dict)
    attempts: dict[str, list[str]] = field(default_factory=dict)  # site -> "run id @ node: outcome"
    run_ids: dict[str, list[str]] = field(default_factory=dict)  # site -> every run id it was scheduled under
    reports: dict[str, dict] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


class Coordinator:
    def __init__(self, store, urls: list[str], run_id: str, job_settings: dict[str, str],
                 spider_args: dict[str, str], attempts: int = 3, poll: float = 1.0, out=None):
        self.store = store
        self.nodes = [NodeState(ScrapydNode(url)) for url in urls]
        self.run_id = run_id
        self.job_settings = {**job_settings, "STATE_SITE_REPORT": "True"}
        self.spider_args = spider_args
        self.max_attempts = attempts
        self.poll = poll
        self.out = out

    def _say(self, message: str) -> None:
        logger.info(message)
        if self.out is not None:
            print(message, file=self.out, flush=True)

    # ---- the loop ------------------------------------------------------------------------
    def longest_first(self, slugs: list[str]) -> list[str]:
        """The sites in the order to start them: the longest last night first (a long site started
        last would keep one node busy while the others idle); sites without a report, in the order
        given, ahead of them all (their length is unknown)."""
        def last_duration(slug: str) -> float:
            previous = self.store.previous_run(slug, self.run_id) or {}
            return previous.get("duration_s", float("inf"))

        return sorted(slugs, key=last_duration, reverse=True)

    def run(self, slugs: list[str]) -> dict:
        started, clock = datetime.now(HANOI_TZ), time.monotonic()
        slugs = self.longest_first(slugs)
        plan = Plan(waiting={slug: 0.0 for slug in slugs}, attempts={slug: [] for slug in slugs},
                    run_ids={slug: [] for slug in slugs})
        self._check_nodes(slugs)
        while plan.waiting or plan.running:
            self._poll_nodes(plan)
            self._collect(plan)
            if not any(n.alive for n in self.nodes):
                for slug in [*plan.waiting, *plan.running]:
                    plan.failed[slug] = "no scrapyd node left"
                break
            self._schedule(plan)
            if plan.waiting or plan.running:
                time.sleep(self.poll)
        report = combine_reports(self.run_id, started, time.monotonic() - clock, plan.reports)
        if plan.failed:
            report["healthy"] = False
            report["unhealthy"].update({slug: [f"not_run: {why}"] for slug, why in plan.failed.items()})
        report["failed_sites"] = plan.failed
        report["nodes"] = {n.node.url: {"alive": n.alive, "jobs": n.scheduled} for n in self.nodes}
        report["attempts"] = plan.attempts
        return report

    def _check_nodes(self, slugs: list[str]) -> None:
        """Every node must answer and have an egg with every site; one that does not is left out."""
        for state in self.nodes:
            try:
                missing = set(slugs) - set(state.node.listspiders())
            except (NodeUnreachable, NodeError) as exc:
                state.alive = False
                self._say(f"node {state.node.url} left out: {exc}")
                continue
            if missing:
                state.alive = False
                self._say(f"node {state.node.url} left out: its egg lacks {', '.join(sorted(missing))} (deploy again)")

    def _poll_nodes(self, plan: Plan) -> None:
        for state in self.nodes:
            if not state.alive:
                continue
            try:
                status = state.node.daemonstatus()
                state.jobs = state.node.listjobs()
            except (NodeUnreachable, NodeError) as exc:
                state.failures += 1
                if state.failures >= NODE_FAILURES:
                    state.alive = False
                    self._say(f"node {state.node.url} is gone ({exc}); its sites go to the other nodes")
                    for attempt in [a for a in plan.running.values() if a.node is state.node]:
                        self._retry(plan, attempt, "node gone", delay=0.0)
                continue
            state.failures = 0
            state.pending, state.running = status["pending"], status["running"]

    def _state_of(self, node: ScrapydNode) -> NodeState:
        return next(s for s in self.nodes if s.node is node)

    def _collect(self, plan: Plan) -> None:
        """Reports saved since the last poll; attempts that ended without one. Node lists are read
        before the store: a job saves its report before its process ends, so "finished, no report"
        is final. Every run id a site was tried under is looked up: a job on a node thought dead
        may still finish."""
        for slug in [*plan.running, *plan.waiting]:
            report = next(filter(None, (self.store.run_report(slug, run_id) for run_id in plan.run_ids[slug])), None)
            if report is not None:
                plan.reports[slug] = report
                plan.waiting.pop(slug, None)
                attempt = plan.running.pop(slug, None)
                if attempt:
                    plan.attempts[slug].append(f"{attempt.run_id} @ {attempt.node.url}: report")
        for slug, attempt in list(plan.running.items()):
            jobs = self._state_of(attempt.node).jobs
            if jobs is None:
                continue
            if attempt.job in jobs.finished:
                self._retry(plan, attempt, "ended without a report")
            elif attempt.job not in jobs and time.monotonic() - attempt.scheduled > LOST_AFTER:
                self._retry(plan, attempt, "job lost by its node")

    def _retry(self, plan: Plan, attempt: Attempt, why: str, delay: float = RETRY_DELAY) -> None:
        slug = attempt.site
        plan.running.pop(slug, None)
        if not lock_is_free(self.store, f"site:{slug}"):  # not a failed attempt: someone is crawling it; wait for its report
            self._say(f"{slug}: {why} on {attempt.node.url}, and another process holds the site; waiting")
            plan.waiting[slug] = time.monotonic() + RETRY_DELAY
            return
        plan.attempts[slug].append(f"{attempt.run_id} @ {attempt.node.url}: {why}")
        if len(plan.attempts[slug]) >= self.max_attempts:
            plan.failed[slug] = f"{len(plan.attempts[slug])} attempts: " + "; ".join(plan.attempts[slug])
            self._say(f"{slug}: giving up ({why}, {len(plan.attempts[slug])} attempts)")
            return
        self._say(f"{slug}: {why} on {attempt.node.url}; trying again")
        plan.waiting[slug] = time.monotonic() + delay

    def _schedule(self, plan: Plan) -> None:
        now = time.monotonic()
        for slug in [s for s, ready in plan.waiting.items() if ready <= now]:
            free = [s for s in self.nodes if s.alive and s.jobs is not None and s.pending == 0]
            if not free:
                return
            state = min(free, key=lambda s: (s.running + s.pending, s.scheduled))
            number = len(plan.run_ids[slug]) + 1
            run_id = self.run_id if number == 1 else f"{self.run_id}.{number}"
            job = f"{slug}-{run_id}"
            # The run id is spent even if the call fails: the node may have queued the job all the same,
            # and two jobs must never share a run id (their feeds would share a name).
            plan.run_ids[slug].append(run_id)
            del plan.waiting[slug]
            plan.running[slug] = Attempt(slug, run_id, state.node, job, time.monotonic())
            state.pending += 1  # until the next poll says where it is
            state.scheduled += 1
            try:
                state.node.schedule(slug, job, self.job_settings, {**self.spider_args, "run_id": run_id})
            except (NodeUnreachable, NodeError) as exc:  # if it was not queued, it counts as lost (LOST_AFTER)
                self._say(f"{slug}: scheduling {job} on {state.node.url} failed ({exc})")
                state.failures += 1
                continue
            self._say(f"{slug}: job {job} on {state.node.url}")


def job_settings(settings, data_dir) -> dict[str, str]:
    """What every job is given: the shared store and data dir (the same path on every node), and
    the settings given to the coordinator with -s (LOG_FILE aside: scrapyd logs each job)."""
    from scrapy.settings import SETTINGS_PRIORITIES

    given = {name: str(settings[name]) for name in settings
             if settings.getpriority(name) >= SETTINGS_PRIORITIES["cmdline"] and name != "LOG_FILE"}
    return {**given, "STATE_URL": settings.get("STATE_URL"), "DATA_DIR": str(data_dir.resolve())}


def run_distributed(settings, slugs: list[str], urls: list[str], data_dir, spider_args: dict, attempts: int,
                    out) -> tuple[int, dict | None, str]:
    """The nightly job over scrapyd nodes: (exit status, run report or None, message)."""
    from wardcrawl.runner import write_report
    from wardcrawl.spiders.base import run_id_now
    from wardcrawl.state import is_postgres, open_store

    if not is_postgres(settings.get("STATE_URL")):
        return 2, None, "--scrapyd needs a shared state store: STATE_URL=postgresql://… (docs/distributed.md)"
    store = open_store(settings)
    try:
        if not store.try_lock(COORDINATOR_LOCK):
            return 75, None, "another coordinator holds the state store's coordinator lock; not starting"
        run_id = run_id_now()
        coordinator = Coordinator(store, urls, run_id, job_settings(settings, data_dir), spider_args,
                                  attempts=attempts, poll=settings.getfloat("SCRAPYD_POLL", 1.0), out=out)
        report = coordinator.run(slugs)
    finally:
        store.close()
    path = data_dir / "reports" / f"run-{run_id}.json"
    write_report(path, report)
    code = EX_FAILED if report["failed_sites"] else 0 if report["healthy"] else 1
    return code, report, f"report: {path}"
