"""The StateStore semantics, on both backends: SQLite (the default) and PostgreSQL (a real server,
tests/services.py). Versions, idempotent replay, aliases, walks, run reports, deferrals, locks."""

from __future__ import annotations

import time

import pytest
from scrapy.settings import Settings

from wardcrawl.state import DeferredRequest, SqliteStateStore, open_store


@pytest.fixture(params=["sqlite", "postgres"])
def opener(request, tmp_path):
    """A function opening a store on one shared backend (call it twice: two processes' stores)."""
    if request.param == "sqlite":
        settings = Settings({"DATA_DIR": str(tmp_path)})
    else:
        settings = Settings({"STATE_URL": request.getfixturevalue("postgres_url")})
    stores = []

    def open_one():
        stores.append(open_store(settings))
        return stores[-1]

    yield open_one
    for store in stores:
        store.close()


@pytest.fixture
def store(opener):
    return opener()


def test_the_backend_is_the_one_asked_for(opener, request):
    kind = type(opener()).__name__
    assert kind == ("SqliteStateStore" if "sqlite" in request.node.name else "PostgresStateStore")


def test_versions_and_idempotent_replay(store):
    assert store.classify("s:1", "a").kind == "new"
    store.remember("s:1", "a", 1, "2025-01-02T08:00:00+07:00", "2025-01-03T00:00:00+07:00")
    assert store.classify("s:1", "a").kind == "unchanged"
    updated = store.classify("s:1", "b")
    assert (updated.kind, updated.version, updated.previous_sha256) == ("updated", 2, "a")
    store.remember("s:1", "b", 2, None, "2025-01-04T00:00:00+07:00")
    store.remember("s:1", "a", 1, None, "2025-01-05T00:00:00+07:00")  # a replayed older journal line: ignored
    known = store.get("s:1")
    assert (known.sha256, known.version, known.first_seen, known.last_seen, known.published_at) == (
        "b", 2, "2025-01-03T00:00:00+07:00", "2025-01-04T00:00:00+07:00", "2025-01-02T08:00:00+07:00")
    store.touch("s:1", "2025-01-06T00:00:00+07:00")
    assert store.get("s:1").last_seen == "2025-01-06T00:00:00+07:00"
    assert store.get("s:2") is None


def test_known_articles_by_site_with_aliases(store):
    store.remember("s:1", "a", 1, "2025-01-02", "t")
    store.remember("s:2", "b", 1, None, "t")
    store.remember("sx:1", "c", 1, "2025-01-09", "t")  # another site whose slug starts alike
    store.alias("s:t:title-one", "s:1")
    store.alias("s:t:title-one", "s:1")  # twice: one alias
    store.alias("s:t:orphan", "s:9")  # an alias of an article not archived: not known
    assert store.known_articles("s") == {"s:1": "2025-01-02", "s:2": None, "s:t:title-one": "2025-01-02"}
    assert store.known_articles("sx") == {"sx:1": "2025-01-09"}


def test_walks_and_run_reports(store):
    assert not store.walk_complete("s")
    store.set_walk_complete("s", True)
    assert store.walk_complete("s")
    store.set_walk_complete("s", False)
    assert not store.walk_complete("s")
    store.save_run("s", "20250101T000000", {"n": 1, "text": "Hà Nội"})
    store.save_run("s", "20250102T000000", {"n": 2})
    store.save_run("s", "20250102T000000.2", {"n": 3})  # a second attempt of a run (docs/distributed.md)
    store.save_run("s", "20250102T000000", {"n": 4})  # saved again: replaced
    assert store.run_report("s", "20250101T000000") == {"n": 1, "text": "Hà Nội"}
    assert store.run_report("s", "20250102T000000") == {"n": 4}
    assert store.run_report("t", "20250102T000000") is None
    assert store.previous_run("s", "20250102T000000") == {"n": 1, "text": "Hà Nội"}
    assert store.previous_run("s", "20250103T000000") == {"n": 3}
    assert store.previous_run("s", "20250101T000000") is None
    store.save_run("a", "20250102T000000", {"n": 5})
    assert store.runs() == [("s", "20250101T000000", {"n": 1, "text": "Hà Nội"}), ("a", "20250102T000000", {"n": 5}),
                            ("s", "20250102T000000", {"n": 4}), ("s", "20250102T000000.2", {"n": 3})]


def test_deferred_table_counts_runs_and_forgets_what_was_answered(store):
    request = DeferredRequest("s", "GET", "http://s/a", "", "article", "s:1", "http_503", last_run="20250101T000000")
    assert store.defer(request).runs == 1
    assert store.defer(request).runs == 1  # twice in one run: one run
    again = store.defer(DeferredRequest("s", "GET", "http://s/a", "", "article", "s:1", "timeout",
                                        last_run="20250102T000000"))
    assert (again.runs, again.reason, again.first_run) == (2, "timeout", "20250101T000000")
    store.defer(DeferredRequest("s", "POST", "http://s/api", "p=2", "listing", None, "timeout", last_run="20250102T000000"))
    assert [d.url for d in store.deferred("s")] == ["http://s/a", "http://s/api"]
    assert store.resolve_deferred_listings("s", "20250102T000000") == 0  # deferred by the run itself: kept
    assert store.resolve_deferred_listings("s", "20250103T000000") == 1
    store.resolve_deferred("s", [("GET", "http://s/a", "")])
    assert store.deferred("s") == []
    store.mark_gone("s", "http://s/b", 404, "20250103T000000")
    store.mark_gone("s", "http://s/b", 410, "20250104T000000", "s:2")
    assert store.gone("s") == {"http://s/b": 410}


def test_locks_are_held_until_the_store_closes(opener):
    first, second = opener(), opener()
    assert first.try_lock("site:s")
    assert first.try_lock("site:s")  # held already: still ours
    assert not second.try_lock("site:s")  # another process's store: refused
    assert second.try_lock("site:t")
    first.unlock("site:s")
    assert second.try_lock("site:s")
    second.close()  # its locks go with it (PostgreSQL frees them when the backend has ended: a moment later)
    deadline = time.monotonic() + 10
    while not first.try_lock("site:s") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.try_lock("site:s") and first.try_lock("site:t")


def test_two_stores_share_what_they_record(opener):
    first, second = opener(), opener()
    first.remember("s:1", "a", 1, None, "t")
    assert second.classify("s:1", "a").kind == "unchanged"


def test_sqlite_is_the_default(tmp_path):
    store = open_store(Settings({"DATA_DIR": str(tmp_path)}))
    assert isinstance(store, SqliteStateStore) and store.path == tmp_path / "state.sqlite3"
    store.close()
    store = open_store(Settings({"STATE_URL": f"sqlite://{tmp_path}/other.sqlite3"}))
    assert store.path == tmp_path / "other.sqlite3"
    store.close()
    with pytest.raises(ValueError, match="STATE_URL"):
        open_store(Settings({"STATE_URL": "redis://localhost"}))


def test_a_recoverys_index_pages_and_captures_done_survive_the_process(opener):
    """What a killed recovery had (wardcrawl/spiders/recovery.py): the index pages read, with the
    resumeKey of the next, and the captures done with; another store (a resumed run) reads them."""
    first = opener()
    first.save_archive_page("s", "wayback", "q1", 0, "key-1", '[{"a": 1}]')
    first.save_archive_page("s", "wayback", "q1", 1, None, "[]")
    first.save_archive_page("s", "commoncrawl", "q2", 0, None, "[]")
    first.capture_done("s", "wayback", "http://s.vn/a", "20240101000000")
    first.capture_done("s", "wayback", "http://s.vn/a", "20240101000000")  # twice: idempotent
    resumed = opener()
    assert resumed.archive_pages("s", "wayback") == [("q1", 0, "key-1", '[{"a": 1}]'), ("q1", 1, None, "[]")]
    assert resumed.captures_done("s", "wayback") == {("http://s.vn/a", "20240101000000")}
    assert resumed.captures_done("s", "commoncrawl") == set()
    resumed.clear_archive_pages("s", "wayback")  # a recovery finished: the next lists afresh
    assert resumed.archive_pages("s", "wayback") == [] and len(resumed.archive_pages("s", "commoncrawl")) == 1
    assert resumed.captures_done("s", "wayback")  # captures done are kept
