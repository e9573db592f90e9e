"""The published JSON Schema of the Article record, and validation against it.

Every record is checked with a compiled validator (fastjsonschema: ~20x faster, it runs
once per exported article); only a record that fails is run through jsonschema, for the
full list of errors. Both read the same schema file and the same date-time rule.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker

# Package data, read through importlib.resources: found inside a deployed egg too.
SCHEMA_PATH = resources.files(__package__).joinpath("article.schema.json")
# RFC 3339 date-time, as both validators check "format": "date-time".
DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
FORMAT_CHECKER = FormatChecker()
FORMAT_CHECKER.checks("date-time")(lambda value: not isinstance(value, str) or re.match(DATE_TIME, value) is not None)


@cache
def article_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def article_validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(article_schema())
    return Draft202012Validator(article_schema(), format_checker=FORMAT_CHECKER)


@cache
def _fast_validator():
    # The schema uses only keywords that draft-07 shares with 2020-12; fastjsonschema compiles draft-07.
    schema = {**_inlined(article_schema()), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(schema, formats={"date-time": DATE_TIME})


def _inlined(schema: dict) -> dict:
    """The schema with every local ``$ref`` replaced by the definition it names: the same rules.
    fastjsonschema calls a function per ``$ref`` and formats its error path eagerly on every call
    (half of a valid record's validation: places hold many unit references)."""
    defs = schema.get("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
                return resolve(defs[ref[len("#/$defs/"):]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    # Without its $id too: fastjsonschema keeps a process-wide store of schemas by $id, and would
    # resolve this one's paths in the original (as published) when both are compiled.
    return {key: resolve(value) for key, value in schema.items() if key not in ("$defs", "$id")}


def validation_errors(record: dict) -> list[tuple[str, str]]:
    """(field, message) for every way the record breaks the schema; empty when valid."""
    try:
        _fast_validator()(record)
        return []
    except fastjsonschema.JsonSchemaValueException:
        pass
    errors = sorted(article_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    found = [(".".join(str(p) for p in e.absolute_path) or e.validator, e.message) for e in errors]
    return found or [("schema", "rejected by the compiled validator")]
