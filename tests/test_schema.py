"""The compiled validator and jsonschema agree on what breaks the published schema."""

from __future__ import annotations

import fastjsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import fixture_pages
from tests.parsers.test_articles import extract_page
from wardcrawl.schema import _fast_validator, article_validator, validation_errors

RECORD = extract_page(next(p for p in fixture_pages("liferay") if p.name == "longbien-seed-000")).record
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=6)
VALUES = st.one_of(JSON, st.sampled_from(["2021-09-29", "2021-09-29T22:22:00+07:00", "2021-09-29T22:22:00Z",
                                          "29/09/2021", "longbien:1", "a" * 64, "0" * 64, "sha1:" + "A" * 32]))


def _fast_ok(record) -> bool:
    try:
        _fast_validator()(record)
        return True
    except fastjsonschema.JsonSchemaValueException:
        return False


def test_a_real_record_is_valid():
    assert validation_errors(RECORD) == []


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(sorted(RECORD) + ["extra_field"]), value=VALUES)
def test_both_validators_agree(field, value):
    record = {**RECORD, field: value}
    full_ok = not list(article_validator().iter_errors(record))
    assert _fast_ok(record) == full_ok
    assert (validation_errors(record) == []) == full_ok


def test_missing_required_field_is_named():
    record = {k: v for k, v in RECORD.items() if k != "published_at"}
    assert validation_errors(record)[0][1] == "'published_at' is a required property"


def test_to_record_equals_asdict_and_shares_no_mutable_state():
    from dataclasses import asdict

    from wardcrawl.items import Article

    article = Article(id="s:1", site="s", url="u", canonical_url="u", title="t", body="b", authors=["A"],
                      images=[{"url": "i", "caption": None}], unit={"slug": "x", "name": "X", "level": "city"},
                      quality=["q"], keywords=["k"])
    record = article.to_record()
    assert record == asdict(article) and list(record) == list(asdict(article))
    record["images"][0]["caption"] = "changed"
    record["authors"].append("B")
    record["unit"]["name"] = "Y"
    assert article.images[0]["caption"] is None and article.authors == ["A"] and article.unit["name"] == "X"


def _record_with_places():
    for family in ("hanoicms", "liferay", "thanhuy"):
        for page in fixture_pages(family):
            record = extract_page(page).record
            if record and any(p["became"] or p["formed_from"] for p in record["places"]):
                return record
    raise AssertionError("no fixture record names a place with successors")


PLACED = _record_with_places()
PLACE_PATHS = [("id",), ("type",), ("parent",), ("era",), ("became",), ("formed_from",),
               ("became", 0, "id"), ("became", 0, "type"), ("formed_from", 0, "id"), ("candidates",), ("code",)]


@settings(max_examples=300, deadline=None)
@given(path=st.sampled_from(PLACE_PATHS), value=st.one_of(VALUES, st.sampled_from(
    ["old:1", "new:99", "new:", "phường", "xã", "quận", "Phường", None])))
def test_both_validators_agree_inside_places(path, value):
    """The compiled validator gets the schema with its $defs inlined: nested unit ids and type words
    are still held to the same rules."""
    import copy

    record = copy.deepcopy(PLACED)
    place = next(p for p in record["places"] if p["became"] or p["formed_from"])
    target = place
    for step in path[:-1]:
        if not target[step]:
            return  # this place has no such list entry
        target = target[step]
    target[path[-1]] = value
    full_ok = not list(article_validator().iter_errors(record))
    assert _fast_ok(record) == full_ok
