"""Feeds reach their final name only complete: a crash leaves a .part file, never a torn line."""

from __future__ import annotations

import json

from wardcrawl.feeds import AtomicFileFeedStorage, AtomicJsonLines


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


def test_json_lines_writer_creates_nothing_when_empty_and_renames_on_close(tmp_path):
    path = tmp_path / "r.jsonl"
    empty = AtomicJsonLines(path)
    empty.close()
    assert not path.exists()
    writer = AtomicJsonLines(path)
    writer.write(json.dumps({"x": "Đ"}, ensure_ascii=False))
    assert not path.exists()
    writer.close()
    assert path.read_text(encoding="utf-8") == '{"x": "Đ"}\n'
