"""Tests for wardcrawl.text.dates: every date form from shared/reference/sites.md."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wardcrawl.text.dates import HANOI_TZ, ParsedDate, find_dates, is_future, parse_date

UTC = datetime.timezone.utc


# --------------------------------------------------------------------------- the forms table
# (text, zero_time_unknown, iso, precision, modified, time_unknown, raw)
FORMS = [
    ("Ngày đăng 29/09/2021 | 22:22  | Lượt xem: 267", False,
     "2021-09-29T22:22:00+07:00", "minute", False, False, "29/09/2021 | 22:22"),
    ("Ngày đăng 17/07/2019 | 09:15  | View count: 85", False,
     "2019-07-17T09:15:00+07:00", "minute", False, False, "17/07/2019 | 09:15"),
    ("Ngày đăng 08/07/2014 | 00:00", True,
     "2014-07-08", "day", False, True, "08/07/2014 | 00:00"),
    ("Ngày đăng 08/07/2014 | 00:00", False,
     "2014-07-08T00:00:00+07:00", "minute", False, False, "08/07/2014 | 00:00"),
    ("Phó Bí thư Thành ủy làm việc với Đảng ủy phường Kim Giang (15:31 14/02/2019)", False,
     "2019-02-14T15:31:00+07:00", "minute", False, False, "15:31 14/02/2019"),
    ("Phương Anh 09:04 16/02/2018", False,
     "2018-02-16T09:04:00+07:00", "minute", False, False, "09:04 16/02/2018"),
    ("21:08 20/07/2025", False,
     "2025-07-20T21:08:00+07:00", "minute", False, False, "21:08 20/07/2025"),
    ("Thứ Hai, ngày 12/05/2025 08:30", False,
     "2025-05-12T08:30:00+07:00", "minute", False, False, "12/05/2025 08:30"),
    ("Thứ năm, 14/02/2019 - 15:31", False,
     "2019-02-14T15:31:00+07:00", "minute", False, False, "14/02/2019 - 15:31"),
    ("Cập nhật lúc 21:16, Thứ bảy, 15/05/2021 (GMT+7)", False,
     "2021-05-15T21:16:00+07:00", "minute", True, False, "21:16, Thứ bảy, 15/05/2021 (GMT+7)"),
    ("16:24 | 25/09/2019", False,
     "2019-09-25T16:24:00+07:00", "minute", False, False, "16:24 | 25/09/2019"),
    ("10-08-2025, 19:55 (GMT+7)", False,
     "2025-08-10T19:55:00+07:00", "minute", False, False, "10-08-2025, 19:55 (GMT+7)"),
    ("Đăng ngày 15-05-2022 10:48", False,
     "2022-05-15T10:48:00+07:00", "minute", False, False, "15-05-2022 10:48"),
    ("Hà Nội, ngày 14 tháng 02 năm 2019", False,
     "2019-02-14", "day", False, False, "ngày 14 tháng 02 năm 2019"),
    ("14/02/2019 15h31", False,
     "2019-02-14T15:31:00+07:00", "minute", False, False, "14/02/2019 15h31"),
    ("15h31 ngày 14/02/2019", False,
     "2019-02-14T15:31:00+07:00", "minute", False, False, "15h31 ngày 14/02/2019"),
    ("14/02/2019 15 giờ 31 phút", False,
     "2019-02-14T15:31:00+07:00", "minute", False, False, "14/02/2019 15 giờ 31 phút"),
    ("10:22 CH 14/02/2019", False,
     "2019-02-14T22:22:00+07:00", "minute", False, False, "10:22 CH 14/02/2019"),
    ("14/02/2019 10:22 CH", False,
     "2019-02-14T22:22:00+07:00", "minute", False, False, "14/02/2019 10:22 CH"),
    ("14/02/2019 10:22 SA", False,
     "2019-02-14T10:22:00+07:00", "minute", False, False, "14/02/2019 10:22 SA"),
    ("14/02/2019 12:05 SA", False,
     "2019-02-14T00:05:00+07:00", "minute", False, False, "14/02/2019 12:05 SA"),
    ("14/02/2019 12:05 CH", False,
     "2019-02-14T12:05:00+07:00", "minute", False, False, "14/02/2019 12:05 CH"),
    ("14/02/2019 15:31:05", False,
     "2019-02-14T15:31:05+07:00", "second", False, False, "14/02/2019 15:31:05"),
    ("14/02/2019", False, "2019-02-14", "day", False, False, "14/02/2019"),
    ("14/2/2019", False, "2019-02-14", "day", False, False, "14/2/2019"),
    ("14.02.2019", False, "2019-02-14", "day", False, False, "14.02.2019"),
    # Beyond the listed forms: ISO 8601 (meta tags), other offsets, update markers.
    ("2019-02-14T15:31:00+07:00", False,
     "2019-02-14T15:31:00+07:00", "second", False, False, "2019-02-14T15:31:00+07:00"),
    ("2019-02-14T08:31:00Z", False,
     "2019-02-14T15:31:00+07:00", "second", False, False, "2019-02-14T08:31:00Z"),
    ("2019-02-14", False, "2019-02-14", "day", False, False, "2019-02-14"),
    ("14/02/2019 15:31 (UTC+7)", False,
     "2019-02-14T15:31:00+07:00", "minute", False, False, "14/02/2019 15:31 (UTC+7)"),
    ("14/02/2019 15:31+07:00", False,
     "2019-02-14T15:31:00+07:00", "minute", False, False, "14/02/2019 15:31+07:00"),
    ("14/02/2019 08:31 (GMT+0)", False,
     "2019-02-14T15:31:00+07:00", "minute", False, False, "14/02/2019 08:31 (GMT+0)"),
    ("14/02/2019 20:00 GMT", False,
     "2019-02-15T03:00:00+07:00", "minute", False, False, "14/02/2019 20:00 GMT"),
    ("14/02/2019 22:00 (GMT-5)", False,
     "2019-02-15T10:00:00+07:00", "minute", False, False, "14/02/2019 22:00 (GMT-5)"),
    ("Ngày cập nhật: 15/05/2021", False, "2021-05-15", "day", True, False, "15/05/2021"),
    ("14/02/2019 15 giờ 00", False,
     "2019-02-14T15:00:00+07:00", "minute", False, False, "14/02/2019 15 giờ 00"),
    ("Thứ 7, 16/02/2019 | 8h", False,
     "2019-02-16T08:00:00+07:00", "minute", False, False, "16/02/2019 | 8h"),
    ("12:00 SA 14/02/2019", True, "2019-02-14", "day", False, True, "12:00 SA 14/02/2019"),
    ("14/02/2019 15:31 CH", False,  # 24-hour value with a consistent marker
     "2019-02-14T15:31:00+07:00", "minute", False, False, "14/02/2019 15:31 CH"),
    ("14/02/2019 00:30 SA", False,
     "2019-02-14T00:30:00+07:00", "minute", False, False, "14/02/2019 00:30 SA"),
    ("Từ 08:00-11:00 ngày 14/02/2019", False,  # a range, not UTC-11: nearest time wins
     "2019-02-14T11:00:00+07:00", "minute", False, False, "11:00 ngày 14/02/2019"),
    ("14/02/2019 15:31 GMT+25", False,  # impossible zone: ignored, not part of raw
     "2019-02-14T15:31:00+07:00", "minute", False, False, "14/02/2019 15:31"),
]


@pytest.mark.parametrize(
    "text, zero_unknown, iso, precision, modified, time_unknown, raw", FORMS,
    ids=[f"{i}:{f[0][:40]}" for i, f in enumerate(FORMS)],
)
def test_forms(text, zero_unknown, iso, precision, modified, time_unknown, raw):
    assert parse_date(text, zero_time_unknown=zero_unknown) == ParsedDate(
        iso=iso, precision=precision, raw=raw, modified=modified, time_unknown=time_unknown)


# --------------------------------------------------------------------------- no date
NO_DATE = [
    "",
    "31/02/2021",
    "32/01/2020",
    "14/13/2019",
    "00/01/2020",
    "31/04/2021 10:00",
    "29/02/2019",
    "25:00",
    "14/02/2019 25:00",
    "25:00 14/02/2019",
    "14/02/2019 10:75",
    "14/02/2019 15:31 SA",       # SA (AM) contradicts hour 15
    "Sáng 14/02",
    "HNP - Sáng 14/02, Phó Bí thư Thành ủy Đào Đức Toàn đã làm việc",
    "Ngày 28/9, đồng chí Vũ Thị Thân",
    "Tết Nguyên đán Kỷ Hợi 2019",
    "dịp Tết Nguyên đán Kỷ Hợi 2019.",
    "năm 2019",
    "kết quả công tác năm 2018",
    "2 giờ trước",
    "15:31",
    "thu ngân sách trên địa bàn phường là: 48.464.636.129 đồng",
    "chi ngân sách 9 tháng đầu năm 2021 là: 14.472.146.949 đồng",
    "9 tháng đầu năm 2021",
    "14/02/19",                  # 2-digit year
    "14/02/1900",                # implausible year
    "14/02/2101",
    "14/02/20190",
    "1/14/02/2019x",
    "ngày 15/01/2019 (âm lịch)",
    "ngày 15 tháng 01 năm 2019 âm lịch",
    "ngày 15/01/2019 (AL)",
    "2019-02-14T25:00:00",
    "2019-02-30",
    "14/02/2019 00:30 CH",
    "ngày 14 tháng 13 năm 2019",
    "lorem ipsum dolor sit amet",
    "////----....::::",
    "٣١/٠١/٢٠٢١",               # Arabic-Indic digits are not read as a date
]


@pytest.mark.parametrize("text", NO_DATE)
def test_no_date(text):
    assert parse_date(text) is None
    assert find_dates(text) == []


# --------------------------------------------------------------------------- pairing
def test_far_time_does_not_pair():
    parsed = parse_date("Hội nghị bắt đầu lúc 15:31 với nhiều đại biểu. Báo cáo ngày 14/02/2019")
    assert parsed.iso == "2019-02-14" and parsed.precision == "day"
    assert parse_date("14/02/2019 có 300 đại biểu dự, khai mạc 08:00").precision == "day"


def test_blank_line_breaks_the_phrase():
    assert parse_date("Tin lúc 10:00\n\n14/02/2019").precision == "day"
    assert parse_date("10:00\n14/02/2019").iso == "2019-02-14T10:00:00+07:00"


def test_duration_is_not_a_time():
    assert parse_date("Ngày 14/02/2019, 24 giờ qua").iso == "2019-02-14"
    assert parse_date("14/02/2019 24h qua").iso == "2019-02-14"


def test_full_page_line_is_leftmost():
    text = ("Hoạt động các phường\nLãnh đạo quận làm việc với phường Thượng Thanh\n"
            "Ngày đăng 29/09/2021 | 22:22  | Lượt xem: 267\n"
            "Ngày 28/9/2021, đồng chí Vũ Thị Thân về làm việc; 9 tháng đầu năm 2021 thu "
            "48.464.636.129 đồng.")
    assert parse_date(text).iso == "2021-09-29T22:22:00+07:00"
    assert [d.iso for d in find_dates(text)] == ["2021-09-29T22:22:00+07:00", "2021-09-28"]


def test_listing_of_time_first_items():
    text = "Tin A 21:08 20/07/2025 Tin B 21:10 21/07/2025 Tin C 06:00 22/07/2025"
    assert [d.iso for d in find_dates(text)] == [
        "2025-07-20T21:08:00+07:00", "2025-07-21T21:10:00+07:00", "2025-07-22T06:00:00+07:00"]
    packed = "21:08 20/07/2025 21:10 21/07/2025"
    assert [d.raw for d in find_dates(packed)] == ["21:08 20/07/2025", "21:10 21/07/2025"]


def test_listing_of_date_first_items():
    text = "20/07/2025 21:08 | 21/07/2025 21:10"
    assert [d.iso for d in find_dates(text)] == [
        "2025-07-20T21:08:00+07:00", "2025-07-21T21:10:00+07:00"]


def test_published_then_modified():
    text = "Đăng ngày 14/02/2019 10:00 | Cập nhật: 15/02/2019 11:30"
    found = find_dates(text)
    assert [(d.iso, d.modified) for d in found] == [
        ("2019-02-14T10:00:00+07:00", False), ("2019-02-15T11:30:00+07:00", True)]
    assert parse_date(text).modified is False


def test_invalid_date_is_skipped_not_fatal():
    assert parse_date("31/02/2021 rồi 14/02/2019 15:31").iso == "2019-02-14T15:31:00+07:00"


# --------------------------------------------------------------------------- normalisation
def test_nfd_input():
    text = unicodedata.normalize("NFD", "Cập nhật lúc 21:16, Thứ bảy, 15/05/2021 (GMT+7)")
    parsed = parse_date(text)
    assert parsed.iso == "2021-05-15T21:16:00+07:00"
    assert parsed.modified is True
    assert parsed.raw == "21:16, Thứ bảy, 15/05/2021 (GMT+7)"
    assert parsed.raw in unicodedata.normalize("NFC", text)
    nfd_long = unicodedata.normalize("NFD", "Hà Nội, ngày 14 tháng 02 năm 2019")
    assert parse_date(nfd_long).iso == "2019-02-14"


def test_nbsp_and_zero_width():
    text = "Ngày đăng\u00a029/09/2021\u00a0|\u00a022:22\u00a0\u00a0| Lượt xem: 267"
    parsed = parse_date(text)
    assert parsed.iso == "2021-09-29T22:22:00+07:00"
    assert parsed.raw == "29/09/2021\u00a0|\u00a022:22"
    assert parse_date("14/02/2019\u200b15:31").iso == "2019-02-14T15:31:00+07:00"


def test_upper_case_and_eth():
    assert parse_date("HÀ NỘI, NGÀY 14 THÁNG 02 NĂM 2019").iso == "2019-02-14"
    assert parse_date("\u00d0ăng ngày 15-05-2022 10:48").iso == "2022-05-15T10:48:00+07:00"


# --------------------------------------------------------------------------- is_future
def test_is_future_minute_precision():
    parsed = parse_date("21:08 20/07/2025")
    assert not is_future(parsed, datetime.datetime(2025, 7, 20, 20, 30, tzinfo=HANOI_TZ))
    assert is_future(parsed, datetime.datetime(2025, 7, 20, 20, 0, tzinfo=HANOI_TZ))
    # Same instant from UTC: 21:08+07 = 14:08Z
    assert is_future(parsed, datetime.datetime(2025, 7, 20, 13, 0, tzinfo=UTC))
    assert not is_future(parsed, datetime.datetime(2025, 7, 20, 13, 30, tzinfo=UTC))
    assert is_future(parsed, datetime.datetime(2025, 7, 20, 21, 0, tzinfo=HANOI_TZ),
                     slack=datetime.timedelta(0))


def test_is_future_day_precision_counts_from_start_of_day():
    parsed = parse_date("20/07/2025")
    assert is_future(parsed, datetime.datetime(2025, 7, 19, 22, 30, tzinfo=HANOI_TZ))
    assert not is_future(parsed, datetime.datetime(2025, 7, 19, 23, 30, tzinfo=HANOI_TZ))
    unknown = parse_date("Ngày đăng 20/07/2025 | 00:00", zero_time_unknown=True)
    assert is_future(unknown, datetime.datetime(2025, 7, 19, 22, 30, tzinfo=HANOI_TZ))


def test_is_future_needs_aware_reference():
    with pytest.raises(ValueError):
        is_future(parse_date("20/07/2025"), datetime.datetime(2025, 7, 19))


# --------------------------------------------------------------------------- round trips
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def _ampm(dt: datetime.datetime) -> str:
    hour12 = dt.hour % 12 or 12
    return f"{hour12:02d}:{dt.minute:02d} {'SA' if dt.hour < 12 else 'CH'}"


def _dmy(dt) -> str:
    return f"{dt:%d/%m/%Y}"


# Every supported form that carries a time to the minute.
MINUTE_FORMS = [
    lambda d: f"Ngày đăng {_dmy(d)} | {d:%H:%M}  | Lượt xem: 267",
    lambda d: f"Ngày đăng {_dmy(d)} | {d:%H:%M}  | View count: 85",
    lambda d: f"Ngày đăng {_dmy(d)} | {d:%H:%M}",
    lambda d: f"Some title ({d:%H:%M} {_dmy(d)})",
    lambda d: f"Phương Anh {d:%H:%M} {_dmy(d)}",
    lambda d: f"{d:%H:%M} {_dmy(d)}",
    lambda d: f"{WEEKDAYS[d.weekday()]}, ngày {_dmy(d)} {d:%H:%M}",
    lambda d: f"{WEEKDAYS[d.weekday()]}, {_dmy(d)} - {d:%H:%M}",
    lambda d: f"Cập nhật lúc {d:%H:%M}, {WEEKDAYS[d.weekday()]}, {_dmy(d)} (GMT+7)",
    lambda d: f"{d:%H:%M} | {_dmy(d)}",
    lambda d: f"{d:%d-%m-%Y}, {d:%H:%M} (GMT+7)",
    lambda d: f"Đăng ngày {d:%d-%m-%Y} {d:%H:%M}",
    lambda d: f"{_dmy(d)} {d:%H}h{d:%M}",
    lambda d: f"{d:%H}h{d:%M} ngày {_dmy(d)}",
    lambda d: f"{_dmy(d)} {d:%H} giờ {d:%M} phút",
    lambda d: f"{_ampm(d)} {_dmy(d)}",
    lambda d: f"{_dmy(d)} {_ampm(d)}",
    lambda d: f"{d.day}/{d.month}/{d.year} {d.hour}:{d:%M}",
    lambda d: f"{d:%d.%m.%Y} {d:%H:%M}",
    lambda d: f"{d:%Y-%m-%dT%H:%M}+07:00",
    lambda d: f"{_dmy(d)} {d:%H:%M} (UTC+7)",
]

# Forms that carry only a date.
DAY_FORMS = [
    lambda d: f"Hà Nội, ngày {d:%d} tháng {d:%m} năm {d:%Y}",
    lambda d: f"ngày {d.day} tháng {d.month} năm {d.year}",
    lambda d: _dmy(d),
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d:%d.%m.%Y}",
    lambda d: f"{d:%d-%m-%Y}",
    lambda d: f"{d:%Y-%m-%d}",
]

minute_datetimes = st.datetimes(
    min_value=datetime.datetime(1990, 1, 1), max_value=datetime.datetime(2060, 12, 31, 23, 59),
).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=HANOI_TZ))


@settings(max_examples=150, deadline=None)
@given(minute_datetimes)
def test_round_trip_minute_forms(dt):
    for index, form in enumerate(MINUTE_FORMS):
        text = form(dt)
        parsed = parse_date(text)
        assert parsed is not None, (index, text)
        assert (parsed.iso, parsed.precision) == (dt.isoformat(), "minute"), (index, text)
        assert parsed.raw in text
        assert parsed.modified == text.startswith("Cập nhật"), (index, text)
        assert parsed.time_unknown is False


@settings(max_examples=100, deadline=None)
@given(minute_datetimes)
def test_round_trip_day_forms(dt):
    for form in DAY_FORMS:
        text = form(dt)
        assert parse_date(text) == ParsedDate(dt.date().isoformat(), "day", text.removeprefix("Hà Nội, "),
                                              False, False), text


@settings(max_examples=100, deadline=None)
@given(minute_datetimes, st.integers(0, 59))
def test_round_trip_seconds(dt, second):
    dt = dt.replace(second=second)
    for text in (f"{_dmy(dt)} {dt:%H:%M:%S}", f"{dt:%H:%M:%S} {_dmy(dt)}", dt.isoformat(),
                 f"{_dmy(dt)} {dt.hour} giờ {dt.minute} phút {dt.second} giây"):
        parsed = parse_date(text)
        assert (parsed.iso, parsed.precision) == (dt.isoformat(), "second"), text


@settings(max_examples=100, deadline=None)
@given(minute_datetimes, st.integers(-11, 14))
def test_round_trip_other_offsets(dt, hours):
    zone = datetime.timezone(datetime.timedelta(hours=hours))
    local = dt.astimezone(zone)
    sign = "+" if hours >= 0 else "-"
    for text in (f"{_dmy(local)} {local:%H:%M} (GMT{sign}{abs(hours)})", local.isoformat()):
        parsed = parse_date(text)
        assert parsed.iso == dt.isoformat(), text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(minute_datetimes, st.integers(0, len(MINUTE_FORMS) - 1)), min_size=1, max_size=5))
def test_find_dates_in_concatenated_text(items):
    # Stamps separated by ordinary words are found one by one, in order.
    text = " Tin tiếp theo ở đây. ".join(MINUTE_FORMS[i](dt) for dt, i in items)
    assert [d.iso for d in find_dates(text)] == [dt.isoformat() for dt, _ in items]


@settings(max_examples=100, deadline=None)
@given(minute_datetimes.map(lambda d: d.replace(hour=0, minute=0)))
def test_midnight_flag(dt):
    text = f"Ngày đăng {_dmy(dt)} | 00:00"
    assert parse_date(text, zero_time_unknown=True) == ParsedDate(
        dt.date().isoformat(), "day", f"{_dmy(dt)} | 00:00", False, True)
    assert parse_date(text).iso == dt.isoformat()


# --------------------------------------------------------------------------- robustness
# Fragments that look like parts of dates, glued in random order: reaches the deep
# paths (pairing, zones, 12-hour markers, lunar check) far more often than st.text().
DATEISH = st.lists(
    st.sampled_from(list("0123456789/.-:|,() \n\u00a0hHTZ+") + [
        "ngày", "tháng", "năm", "giờ", "phút", "giây", "lúc", "SA", "CH", "GMT", "UTC",
        "Thứ", "bảy", "Cập nhật", "âm lịch", "2019", "14/02/", "15:31", "\u0300", "\u0323"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), DATEISH))
def test_never_raises(text):
    found = find_dates(text)
    first = parse_date(text)
    assert first == (found[0] if found else None)
    nfc = unicodedata.normalize("NFC", text)
    for parsed in found:
        assert parsed.raw in nfc
        assert parsed.precision in ("minute", "second", "day")
        if parsed.precision == "day":
            datetime.date.fromisoformat(parsed.iso)
        else:
            assert datetime.datetime.fromisoformat(parsed.iso).utcoffset() == datetime.timedelta(hours=7)
