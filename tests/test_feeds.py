"""Feeds reach their final name only complete: a crash leaves a .part file, never a torn line."""

from __future__ import annotations


from wardcrawl.feeds import AtomicFileFeedStorage
from wardcrawl.state.journal import Journal, complete_lines, recover


def test_feed_is_written_aside_then_renamed(tmp_path):
    final = tmp_path / "site" / "site-run.jsonl"
    storage = AtomicFileFeedStorage(str(final), feed_options={"overwrite": True})
    handle = storage.open(None)
    handle.write(b'{"id": "a"}\n')
    assert not final.exists()  # a crash here leaves only the .part file
    assert (tmp_path / "site" / "site-run.jsonl.part").exists()
    storage.store(handle)
    assert final.read_bytes() == b'{"id": "a"}\n'
    assert not (tmp_path / "site" / "site-run.jsonl.part").exists()


def test_append_mode_keeps_the_old_lines(tmp_path):
    final = tmp_path / "out.jsonl"
    final.write_bytes(b'{"id": "old"}\n')
    storage = AtomicFileFeedStorage(str(final), feed_options={"overwrite": False})
    handle = storage.open(None)
    handle.write(b'{"id": "new"}\n')
    assert final.read_bytes() == b'{"id": "old"}\n'
    storage.store(handle)
    assert final.read_bytes() == b'{"id": "old"}\n{"id": "new"}\n'


def test_journal_creates_nothing_when_empty_and_renames_on_close(tmp_path):
    path = tmp_path / "r.jsonl"
    empty = Journal(path)
    empty.close()
    assert not path.exists()
    journal = Journal(path)
    journal.append({"x": "Đ"})
    assert not path.exists() and (tmp_path / "r.jsonl.part").read_text(encoding="utf-8") == '{"x": "Đ"}\n'
    journal.close()
    assert path.read_text(encoding="utf-8") == '{"x": "Đ"}\n'


def test_recovery_keeps_whole_lines_drops_a_torn_tail_and_replays(tmp_path):
    partial = tmp_path / "s-1.jsonl.part"
    partial.write_bytes(b'{"id": "s:1"}\n{"id": "s:2"}\n{"id": "s:3", "ti')
    assert complete_lines(partial) == ['{"id": "s:1"}', '{"id": "s:2"}']
    replayed = []
    assert recover(partial, replayed.append) == 2
    assert replayed == [{"id": "s:1"}, {"id": "s:2"}]
    assert not partial.exists()
    assert (tmp_path / "s-1.jsonl").read_text(encoding="utf-8") == '{"id": "s:1"}\n{"id": "s:2"}\n'
