"""The published JSON Schema of the Article record, and validation against it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_PATH = Path(__file__).with_name("article.schema.json")


@cache
def article_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def validation_errors(record: dict) -> list[tuple[str, str]]:
    """(field, message) for every way the record breaks the schema; empty when valid."""
    errors = sorted(article_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    return [(".".join(str(p) for p in e.absolute_path) or e.validator, e.message) for e in errors]
