"""Fault mode's spec and log (mirror/faults.py): which faults and traps there are, the
``--faults`` option parsed into a ``FaultConfig``, the one source of chance (``unit``), and the
fault log each request is appended to (``read_fault_log``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

TRANSIENT_KINDS = ("5xx", "429", "reset", "stall", "truncate", "moved", "trickle", "charset")
ARTICLE_TRAPS = ("pdf", "doc", "zip", "png", "garbage", "mangled", "huge", "huge_stream", "bomb", "redirect_loop",
                 "redirect_cycle", "redirect_offsite", "redirect_private", "retry_then_offsite", "gone404", "gone410",
                 "robots")
PAGE_TRAPS = ("links", "pagination", "calendar")
TRAP_KINDS = ARTICLE_TRAPS + PAGE_TRAPS


@dataclass(frozen=True)
class FaultLogLine:
    host: str
    method: str
    target: str
    attempt: int
    kind: str
    time: float


def read_fault_log(path: Path) -> list[FaultLogLine]:
    rows = (line.split("\t") for line in Path(path).read_text(encoding="utf-8").splitlines())
    return [FaultLogLine(h, m, t, int(a), k, float(ts)) for h, m, t, a, k, ts in rows]


def unit(*parts) -> float:
    """A number in [0, 1) fixed by ``parts``: the only source of chance in fault mode."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class FaultConfig:
    seed: int = 1
    shares: dict[str, float] = field(default_factory=dict)  # transient kind -> share of attempts
    max_failures: int = 2  # a request fails at most this many times (transient faults)
    persist: float = 0.0
    persist_max: int = 12
    long: float = 0.0
    stall_s: float = 5.0
    trickle_s: float = 1.0
    retry_after: int = 1  # seconds asked by transient 429/503
    traps: frozenset[str] = frozenset()
    huge: int = 20 * 1024 * 1024  # bytes of the huge pages (DOWNLOAD_MAXSIZE is 16 MiB)
    bomb: int = 64 * 1024 * 1024  # bytes a gzip bomb inflates to
    robots_down: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, spec: str) -> FaultConfig:
        """``"seed=7,5xx=0.1,reset=0.02,traps=all"``; unknown keys and bad values raise ValueError."""
        values: dict = {"shares": {}}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            key, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"fault option {item!r} is not key=value")
            key = key.strip()
            if key in TRANSIENT_KINDS:
                values["shares"][key] = _share(key, value)
            elif key in ("persist", "long"):
                values[key] = _share(key, value)
            elif key in ("seed", "huge", "bomb", "retry_after"):
                values[key] = int(value)
            elif key == "max":
                values["max_failures"] = int(value)
            elif key == "persist_max":
                values["persist_max"] = int(value)
            elif key in ("stall_s", "trickle_s"):
                values[key] = float(value)
            elif key == "traps":
                kinds = set(TRAP_KINDS) if value == "all" else set(filter(None, value.split("+")))
                unknown = kinds - set(TRAP_KINDS)
                if unknown:
                    raise ValueError(f"unknown traps {sorted(unknown)}; known: {', '.join(TRAP_KINDS)}")
                values["traps"] = frozenset(kinds)
            elif key == "robots_down":
                values["robots_down"] = frozenset(filter(None, value.split("+")))
            else:
                raise ValueError(f"unknown fault option {key!r}")
        if sum(values["shares"].values()) > 1:
            raise ValueError("transient fault shares add up to more than 1")
        return cls(**values)


def _share(key: str, value: str) -> float:
    share = float(value)
    if not 0 <= share <= 1:
        raise ValueError(f"{key}={value}: a share is between 0 and 1")
    return share
