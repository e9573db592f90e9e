"""Regenerate the gazetteer's data files from the ``vietnamadminunits`` package (MIT).

    pip install --no-deps vietnamadminunits==1.0.4   # requirements-gazetteer.txt
    python -m wardcrawl.places.regenerate             # or: make gazetteer

Reads only the package's data files (``data/dataset.db`` and ``data/converter_2025.json``),
without importing it (its geo stack is not needed), and writes Hanoi's rows to
``wardcrawl/places/data/``: ``units.csv`` (the 30 old districts, their 526 wards and
communes, and the 126 units of 1 July 2025), ``successions.csv`` (old ward or commune ->
new unit) and ``earlier_names.csv`` (names of units merged away before 2025). Field meanings and sources: wardcrawl/places/data/README.md. The crawler never
imports this module.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

DATA = Path(__file__).with_name("data")
PACKAGE = "vietnamadminunits"
HANOI = "thanhphohanoi"  # the package's key for Thành phố Hà Nội
UNIT_COLUMNS = ("id", "era", "level", "type", "code", "name", "parent")
SUCCESSION_COLUMNS = ("old_id", "new_id", "whole", "split", "default")
EARLIER_COLUMNS = ("unit_id", "type", "key")
# The package's alias keys carry the type word glued on, without diacritics ("phuongkimgiang").
TYPE_PREFIXES = {"thitran": "thị trấn", "phuong": "phường", "xa": "xã"}


def package_data() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # finds the package without running its __init__
    if spec is None or spec.origin is None:
        sys.exit(f"{PACKAGE} is not installed: pip install --no-deps -r requirements-gazetteer.txt")
    return Path(spec.origin).parent / "data"


def _rows(db: Path, sql: str) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, (HANOI,))]


# The package tells two same-named units of one district apart with a suffix ("Yên Viên (Thị trấn)",
# "Yên Viên (Xã)"); the official names have none: the type word already tells them apart.
TYPE_SUFFIX = re.compile(r" \((?:Thị trấn|Xã|Phường)\)$")


def official_name(name: str) -> str:
    """The package's name as the official lists write it: no type suffix, every syllable capitalised
    ("Đại áng" -> "Đại Áng"; numbers and the dash of "Văn Miếu - Quốc Tử Giám" kept)."""
    name = TYPE_SUFFIX.sub("", name)
    return " ".join(w[:1].upper() + w[1:] for w in name.split(" "))


def units(db: Path) -> tuple[list[dict], dict[str, str], dict[str, str]]:
    """Unit rows, and the package's keys -> our ids (old: province_district_ward key; new: ward key)."""
    old = _rows(db, "SELECT DISTINCT districtCode, districtShort, districtType, districtKey, wardCode, wardShort, "
                    "wardType, wardKey, wardAlias FROM admin_units_legacy WHERE provinceKey = ? ORDER BY wardCode")
    new = _rows(db, "SELECT DISTINCT wardCode, wardShort, wardType, wardKey FROM admin_units "
                    "WHERE provinceKey = ? ORDER BY wardCode")
    rows: list[dict] = []
    districts: dict[str, dict] = {}
    old_keys: dict[str, str] = {}
    for r in old:
        district_id = f"old:{r['districtCode']}"
        districts.setdefault(district_id, {"id": district_id, "era": "old", "level": "district",
                                           "type": r["districtType"].lower(), "code": r["districtCode"],
                                           "name": official_name(r["districtShort"]), "parent": ""})
        ward_id = f"old:{r['wardCode']}"
        rows.append({"id": ward_id, "era": "old", "level": "ward-commune", "type": r["wardType"].lower(),
                     "code": r["wardCode"], "name": official_name(r["wardShort"]), "parent": district_id})
        old_keys[f"{HANOI}_{r['districtKey']}_{r['wardKey']}"] = ward_id
    new_keys = {}
    for r in new:
        rows.append({"id": f"new:{r['wardCode']}", "era": "new", "level": "ward-commune", "type": r["wardType"].lower(),
                     "code": r["wardCode"], "name": official_name(r["wardShort"]), "parent": ""})
        new_keys[r["wardKey"]] = f"new:{r['wardCode']}"
    ordered = sorted(districts.values(), key=lambda d: d["code"]) + rows
    return ordered, old_keys, new_keys


def earlier_names(db: Path) -> list[dict]:
    """Names of units merged away before 2025 (Kim Giang into Hạ Đình, Sài Đồng into Phúc Lợi) as the
    package keeps them: a diacritic-free key of the name, with the old unit that absorbed it."""
    rows = []
    for r in _rows(db, "SELECT DISTINCT wardCode, wardType, wardKey, wardAlias FROM admin_units_legacy "
                       "WHERE provinceKey = ? AND wardAlias != '' ORDER BY wardCode"):
        for alias in json.loads(r["wardAlias"]):
            prefix = next((p for p in TYPE_PREFIXES if alias.startswith(p)), None)
            if prefix is None or alias == r["wardKey"]:
                continue  # only the typed form: the bare key ("kimgiang") says nothing of the type
            row = {"unit_id": f"old:{r['wardCode']}", "type": TYPE_PREFIXES[prefix], "key": alias[len(prefix):]}
            if row not in rows:
                rows.append(row)
    return rows


def successions(converter: dict, old_keys: dict[str, str], new_keys: dict[str, str]) -> list[dict]:
    """Old ward/commune -> new unit: ``whole`` when all of it went to one new unit (the package's
    NO_DIVIDED table), else one row per new unit that received part of it (DIVIDED, ``split``)."""
    rows = []
    for new_key, old_list in converter["DICT_PROVINCE_WARD_NO_DIVIDED"][HANOI].items():
        for old_key in old_list:
            rows.append({"old_id": old_keys[old_key], "new_id": new_keys[new_key], "whole": 1, "split": 0, "default": 1})
    for old_key, parts in converter["DICT_PROVINCE_WARD_DIVIDED"].get(HANOI, {}).items():
        for part in parts:
            rows.append({"old_id": old_keys[old_key], "new_id": new_keys[part["newWardKey"]], "whole": 0,
                         "split": int(len(parts) > 1), "default": int(part["isDefaultNewWard"])})
    return sorted(rows, key=lambda r: (r["old_id"], r["new_id"]))


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    source = package_data()
    rows, old_keys, new_keys = units(source / "dataset.db")
    converter = json.loads((source / "converter_2025.json").read_text(encoding="utf-8"))
    links = successions(converter, old_keys, new_keys)
    missing = set(old_keys.values()) - {r["old_id"] for r in links}
    if missing:
        sys.exit(f"old units without a successor in {PACKAGE}'s converter: {sorted(missing)}")
    write_csv(DATA / "units.csv", UNIT_COLUMNS, rows)
    write_csv(DATA / "successions.csv", SUCCESSION_COLUMNS, links)
    earlier = earlier_names(source / "dataset.db")
    write_csv(DATA / "earlier_names.csv", EARLIER_COLUMNS, earlier)
    (DATA / "provenance.json").write_text(json.dumps({
        "package": PACKAGE, "version": metadata.version(PACKAGE), "license": "MIT",
        "files": ["data/dataset.db (tables admin_units_legacy, admin_units)", "data/converter_2025.json"],
        "province_key": HANOI}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} units, {len(links)} successions and {len(earlier)} earlier names from {PACKAGE} {metadata.version(PACKAGE)}")


if __name__ == "__main__":
    main()
