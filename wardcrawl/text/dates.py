"""Publication dates in Vietnamese page text.

Generic parsers cannot be trusted here (see shared/reference/text-and-inputs.md):
dateutil's fuzzy mode flips "(GMT+7)" to -07:00 and ignores "CH" (= PM), dateparser
misses "Ngày đăng 29/09/2021 | 22:22". So this module finds dates with patterns written
for the forms seen on the target sites and builds the datetime itself:

* a *date* is day-first with a 4-digit year ("14/02/2019", "14.2.2019", "10-08-2025",
  "ngày 14 tháng 02 năm 2019") or ISO 8601 ("2019-02-14T15:31:00+07:00");
* a *time* ("15:31", "15:31:05", "10:22 CH", "15h31", "15 giờ 31 phút") belongs to a
  date only when it stands right before or after it, separated by nothing but
  punctuation and connector words ("|", ",", "-", "lúc", "ngày", a weekday, "(GMT+7)");
* the result is always expressed in Hanoi time, a fixed +07:00.

Everything is a pure function of the input string: no clock, no network, no locale.
"""

from __future__ import annotations

import bisect
import datetime
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# zoneinfo("Asia/Ho_Chi_Minh") is +08:00 before 1976; the sites mean +07:00 throughout.
HANOI_TZ = datetime.timezone(datetime.timedelta(hours=7))

MIN_YEAR = 1945
MAX_YEAR = 2100

# Longest run of separators/connector words still read as "the same date phrase";
# "21:16, Thứ bảy, 15/05/2021" needs 11, "19:55 (GMT+7) 10-08-2025" needs 9.
_MAX_GAP = 32
# How far before a phrase to look for "Cập nhật" (update-time marker).
_MODIFIED_LOOKBACK = 48


@dataclass(frozen=True)
class ParsedDate:
    iso: str            # "2021-09-29T22:22:00+07:00", or "2019-02-14" when only a date is known
    precision: str      # "minute", "second" or "day"
    raw: str            # the exact substring of the (NFC-normalised) input that was recognised
    modified: bool      # True when the text marks it as an update time ("Cập nhật", "cập nhật lúc")
    time_unknown: bool  # True when a time was printed but treated as unknown (00:00 with zero_time_unknown=True)


# --------------------------------------------------------------------------- patterns
# [0-9] rather than \d everywhere: \d also matches Arabic-Indic and other Unicode digits.

# Day-first numeric date with the same separator twice and a 4-digit year. The
# look-behinds stop a match inside digit groups ("48.464.636.129", "1/14/02/2019",
# "13-14/02/2019"); the look-ahead stops "14.02.2019.5". Two-digit years never match.
_DMY_RE = re.compile(
    r"(?<![0-9./])(?<![0-9]-)"
    r"(?P<d>[0-9]{1,2})(?P<sep>[/.\-])(?P<m>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4})"
    r"(?![0-9])(?![./][0-9])"
)

# Document style "ngày 14 tháng 02 năm 2019". "ngày" is required: "3 tháng 2 năm 2019"
# without it is as likely a duration as a date, and "9 tháng đầu năm 2021" is a period.
_VI_LONG_RE = re.compile(
    r"(?<!\w)ngày\s+(?P<d>[0-9]{1,2})\s+tháng\s+(?P<m>[0-9]{1,2})"
    r"(?:\s*,\s*|\s+)năm\s+(?P<y>[0-9]{4})(?![0-9])",
    re.IGNORECASE,
)

# ISO 8601 (meta tags, <time datetime>): year first is unambiguous, so it is allowed
# despite the day-first rule. The optional time and offset are part of the token.
_ISO_RE = re.compile(
    r"(?<![0-9./\-])(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[T ](?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,][0-9]+)?)?"
    r"(?P<off>Z|[+-][0-9]{2}:?[0-9]{2})?)?"
    r"(?![0-9])"
)

# "15:31", "15:31:05", "10:22 CH" / "10:22 SA" (Vietnamese PM / AM), "15:31+07:00".
# A bare offset must start with "+": "08:00-11:00" is a time range, not UTC-11.
_CLOCK_RE = re.compile(
    r"(?<![0-9:.])"
    r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?"
    r"(?![0-9]|:[0-9])"
    r"(?:\s?(?P<ampm>SA|CH|AM|PM)(?!\w))?"
    r"(?P<off>\+[0-9]{2}:?[0-9]{2}(?![0-9]))?",
    re.IGNORECASE,
)

# "15h31", "15h" (= 15:00). No space before "h": "15 ha" is an area.
_H_RE = re.compile(r"(?<![0-9:.])(?P<h>[0-9]{1,2})h(?P<m>[0-9]{2})?(?!\w)", re.IGNORECASE)

# "15 giờ 31 phút [05 giây]", "15 giờ 00", "15 giờ". Minutes without "phút" must not be
# the day of a following date ("15 giờ 14/02/2019").
_GIO_RE = re.compile(
    r"(?<![0-9:.])(?P<h>[0-9]{1,2})\s*giờ(?!\w)"
    r"(?:\s*(?P<m>[0-9]{1,2})\s*phút(?!\w)(?:\s*(?P<s>[0-9]{1,2})\s*giây(?!\w))?"
    r"|\s+(?P<m2>[0-9]{2})(?![0-9]|[/.:\-][0-9]))?",
    re.IGNORECASE,
)

# "GMT+7", "(UTC+07:00)", "GMT" (= +0). Groupless form for use inside _GAP_RE.
_TZ_NAME = r"(?:GMT|UTC)(?![A-Za-z])"
_TZ_PLAIN = _TZ_NAME + r"(?:\s*[+-]\s*[0-9]{1,2}(?::?[0-9]{2})?)?"
_TZ_RE = re.compile(
    _TZ_NAME + r"(?:\s*(?P<sign>[+-])\s*(?P<oh>[0-9]{1,2})(?::?(?P<om>[0-9]{2}))?)?",
    re.IGNORECASE,
)
# A zone written just after a phrase: "15/05/2021 (GMT+7)", "19:55 GMT+7".
_TZ_TRAIL_RE = re.compile(r"[ \t,]*(?:\(\s*" + _TZ_PLAIN + r"\s*\)|" + _TZ_PLAIN + ")", re.IGNORECASE)

# What may stand between a time and its date: punctuation, "lúc" (at), "vào" (on),
# "ngày" (day), weekday names ("Thứ bảy", "Thứ 7", "T7", "Chủ nhật", "CN") and a zone.
_CONNECTOR = (
    r"[\s|,;/()·•\-–—]"
    r"|(?:lúc|vào|ngày)(?!\w)"
    r"|(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|CN|T[2-7])(?!\w)"
    r"|" + _TZ_PLAIN
)
_GAP_RE = re.compile(r"(?:" + _CONNECTOR + r")*", re.IGNORECASE)
_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")

# "Cập nhật lúc 21:16, …", "Ngày cập nhật: 15/05/2021": an update time, not publication.
_MODIFIED_RE = re.compile(
    r"(?:cập\s*nhật|updated?|last\s+modified|sửa\s*đổi|chỉnh\s*sửa)(?!\w)(?:\s*lần\s*cuối)?"
    r"(?:[:.]|" + _CONNECTOR + r")*\Z",
    re.IGNORECASE,
)

# "ngày 15/01/2019 (âm lịch)", "… (ÂL)": a lunar calendar date is not a Gregorian one.
# (One leading \s* only: two adjacent optional runs would backtrack quadratically.)
_LUNAR_AFTER_RE = re.compile(r"\s*(?:\(\s*(?:âm\s*lịch|ÂL|AL)\s*\)|(?:,\s*)?âm\s*lịch(?!\w))", re.IGNORECASE)

# 1:1 character replacements, so match offsets in the cleaned text are offsets in the
# NFC text too (raw is sliced from the NFC text). NBSP and friends become spaces,
# zero-width characters become spaces (never glue two numbers), Icelandic eth -> Đ.
_CHAR_MAP = str.maketrans({
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
    "\u200b": " ", "\u200c": " ", "\u200d": " ", "\u2060": " ", "\ufeff": " ",
    "\u00d0": "\u0110", "\u00f0": "\u0111",
})


# --------------------------------------------------------------------------- tokens
@dataclass(frozen=True)
class _Clock:
    start: int
    end: int
    hms: tuple[int, int, int | None] | None  # None: looks like a time but is impossible (25:00)
    offset: datetime.timedelta | None = None


@dataclass(frozen=True)
class _DateToken:
    start: int
    end: int
    day: datetime.date
    clock: _Clock | None = None  # ISO tokens carry their own time


def _make_date(y: str, m: str, d: str) -> datetime.date | None:
    year = int(y)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return datetime.date(year, int(m), int(d))
    except ValueError:  # 31/02, month 13, day 32
        return None


def _make_offset(sign: str, hours: str, minutes: str | None) -> datetime.timedelta | None:
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m > 59:
        return None
    delta = datetime.timedelta(hours=h, minutes=m)
    return -delta if sign == "-" else delta


def _parse_bare_offset(text: str | None) -> datetime.timedelta | None:
    """Offset written as "+07:00", "+0700", "-05:00" or "Z"; None if absent or impossible."""
    if not text:
        return None
    if text.upper() == "Z":
        return datetime.timedelta(0)
    digits = text[1:].replace(":", "")
    return _make_offset(text[0], digits[:2], digits[2:])


def _resolve_hms(h: int, m: int, s: int | None, ampm: str | None) -> tuple[int, int, int | None] | None:
    """24-hour (h, m, s), or None for an impossible time. SA/AM and CH/PM as on a
    12-hour clock (12 SA = 00, 12 CH = 12); a 24-hour value with a consistent marker
    ("15:31 CH", "00:30 SA") is accepted as printed."""
    if m > 59 or (s is not None and s > 59) or h > 23:
        return None
    if ampm:
        pm = ampm.upper() in ("CH", "PM")
        if 1 <= h <= 12:
            h = (h % 12) + (12 if pm else 0)
        elif (h == 0 and pm) or (h > 12 and not pm):
            return None
    return h, m, s


def _date_tokens(work: str) -> list[_DateToken]:
    found: list[_DateToken] = []
    for rx in (_DMY_RE, _VI_LONG_RE):
        for mt in rx.finditer(work):
            day = _make_date(mt["y"], mt["m"], mt["d"])
            if day:
                found.append(_DateToken(mt.start(), mt.end(), day))
    for mt in _ISO_RE.finditer(work):
        day = _make_date(mt["y"], mt["m"], mt["d"])
        if not day:
            continue
        clock = None
        if mt["h"]:
            s = int(mt["s"]) if mt["s"] else None
            hms = _resolve_hms(int(mt["h"]), int(mt["mi"]), s, None)
            clock = _Clock(mt.start(), mt.end(), hms, _parse_bare_offset(mt["off"]))
        found.append(_DateToken(mt.start(), mt.end(), day, clock))
    return _drop_overlaps(found)


def _clock_tokens(work: str, dates: list[_DateToken]) -> list[_Clock]:
    found: list[_Clock] = []
    for mt in _CLOCK_RE.finditer(work):
        s = int(mt["s"]) if mt["s"] else None
        hms = _resolve_hms(int(mt["h"]), int(mt["m"]), s, mt["ampm"])
        # An impossible "25:00" is kept (hms=None): next to a date it voids the date.
        found.append(_Clock(mt.start(), mt.end(), hms, _parse_bare_offset(mt["off"])))
    # "24h", "48 giờ" are durations, not times: impossible h/giờ forms are just text.
    for mt in _H_RE.finditer(work):
        hms = _resolve_hms(int(mt["h"]), int(mt["m"] or 0), None, None)
        if hms:
            found.append(_Clock(mt.start(), mt.end(), hms))
    for mt in _GIO_RE.finditer(work):
        s = int(mt["s"]) if mt["s"] else None
        hms = _resolve_hms(int(mt["h"]), int(mt["m"] or mt["m2"] or 0), s, None)
        if hms:
            found.append(_Clock(mt.start(), mt.end(), hms))
    # Digits inside a date ("2019-02-14T15:31") are not a separate time.
    date_starts = [d.start for d in dates]
    found = [c for c in found if not _inside_date(c, dates, date_starts)]
    return _drop_overlaps(found)


def _inside_date(clock: _Clock, dates: list[_DateToken], date_starts: list[int]) -> bool:
    """True when `clock` overlaps a date token (dates are sorted and disjoint)."""
    i = bisect.bisect_right(date_starts, clock.start)
    # Only the date starting at or before the clock, and the next one, can overlap it.
    return any(d.start < clock.end and clock.start < d.end for d in dates[max(0, i - 1):i + 1])


def _drop_overlaps(tokens: list) -> list:
    """Sort by position; on overlap keep the earlier (then longer) token."""
    kept: list = []
    for tok in sorted(tokens, key=lambda t: (t.start, -t.end)):
        if not kept or tok.start >= kept[-1].end:
            kept.append(tok)
    return kept


# --------------------------------------------------------------------------- pairing
def _is_gap(work: str, start: int, end: int) -> bool:
    """True when work[start:end] only joins a time to its date."""
    if end - start > _MAX_GAP or _BLANK_LINE_RE.search(work, start, end):
        return False
    return _GAP_RE.fullmatch(work, start, end) is not None


def _adjacent_clock(work: str, tok: _DateToken, clocks: list[_Clock], starts: list[int],
                    claimed: set[int]) -> _Clock | None:
    """The time printed next to the date: the one just before wins ("15:31 14/02/2019"),
    else the one just after ("14/02/2019 15:31"). Checking before first keeps listings
    like "21:08 20/07/2025 21:10 21/07/2025" from shifting every time by one item."""
    i = bisect.bisect_left(starts, tok.start)
    if i > 0:
        before = clocks[i - 1]
        if before.start not in claimed and _is_gap(work, before.end, tok.start):
            return before
    if i < len(clocks):
        after = clocks[i]
        if after.start not in claimed and _is_gap(work, tok.end, after.start):
            return after
    return None


def _zone(work: str, start: int, end: int, clock: _Clock | None) -> datetime.timedelta | None:
    """Explicit UTC offset of a phrase, or None when none is written."""
    if clock is not None and clock.offset is not None:
        return clock.offset
    for mt in _TZ_RE.finditer(work, start, end):
        if not mt["sign"]:
            return datetime.timedelta(0)  # bare "GMT"
        offset = _make_offset(mt["sign"], mt["oh"], mt["om"])
        if offset is not None:
            return offset
    return None


def _trailing_zone_end(work: str, end: int) -> int:
    """Extend a phrase over a zone written after it, if that zone is a valid one."""
    mt = _TZ_TRAIL_RE.match(work, end)
    if mt and _zone(work, mt.start(), mt.end(), None) is not None:
        return mt.end()
    return end


def _stamp(day: datetime.date, clock: _Clock | None, offset: datetime.timedelta | None,
           zero_time_unknown: bool) -> tuple[str, str, bool]:
    """(iso, precision, time_unknown)."""
    if clock is None or clock.hms is None:
        return day.isoformat(), "day", False
    h, m, s = clock.hms
    if zero_time_unknown and (h, m, s or 0) == (0, 0, 0):
        # Migrated items print "| 00:00" for "no time": keep the date as printed.
        return day.isoformat(), "day", True
    tz = HANOI_TZ if offset is None else datetime.timezone(offset)
    moment = datetime.datetime(day.year, day.month, day.day, h, m, s or 0, tzinfo=tz)
    return moment.astimezone(HANOI_TZ).isoformat(), ("minute" if s is None else "second"), False


def _iter_dates(text: str, zero_time_unknown: bool) -> Iterator[ParsedDate]:
    if not text:
        return
    nfc = unicodedata.normalize("NFC", text)
    work = nfc.translate(_CHAR_MAP)
    dates = _date_tokens(work)
    if not dates:
        return
    clocks = _clock_tokens(work, dates)
    starts = [c.start for c in clocks]
    claimed: set[int] = set()
    for tok in dates:
        clock = tok.clock or _adjacent_clock(work, tok, clocks, starts, claimed)
        if clock is not None and clock.hms is None:
            continue  # "14/02/2019 25:00": a corrupt stamp gives no date at all
        start = min(tok.start, clock.start) if clock else tok.start
        end = max(tok.end, clock.end) if clock else tok.end
        end = _trailing_zone_end(work, end)
        if _LUNAR_AFTER_RE.match(work, end):
            continue
        if clock is not None:
            claimed.add(clock.start)
        iso, precision, time_unknown = _stamp(tok.day, clock, _zone(work, start, end, clock), zero_time_unknown)
        modified = _MODIFIED_RE.search(work, max(0, start - _MODIFIED_LOOKBACK), start) is not None
        yield ParsedDate(iso, precision, nfc[start:end], modified, time_unknown)


# --------------------------------------------------------------------------- public API
def parse_date(text: str, *, zero_time_unknown: bool = False) -> ParsedDate | None:
    """The first (leftmost) complete date in `text`, with its time when one is printed
    next to it, or None. `zero_time_unknown`: read a printed 00:00 as "no time"."""
    return next(_iter_dates(text, zero_time_unknown), None)


def find_dates(text: str, *, zero_time_unknown: bool = False) -> list[ParsedDate]:
    """Every complete date in `text`, left to right."""
    return list(_iter_dates(text, zero_time_unknown))


def is_future(parsed: ParsedDate, reference: datetime.datetime, *,
              slack: datetime.timedelta = datetime.timedelta(hours=1)) -> bool:
    """True when `parsed` lies after `reference` + `slack`. A day-precision date counts
    from the start of that day in Hanoi. `reference` must be timezone-aware."""
    if reference.tzinfo is None or reference.utcoffset() is None:
        raise ValueError("reference must be a timezone-aware datetime")
    if parsed.precision == "day":
        moment = datetime.datetime.combine(datetime.date.fromisoformat(parsed.iso[:10]),
                                           datetime.time(), tzinfo=HANOI_TZ)
    else:
        moment = datetime.datetime.fromisoformat(parsed.iso)
    return moment > reference + slack
