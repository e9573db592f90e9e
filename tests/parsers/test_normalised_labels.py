"""Every family reads labels and dates however a page spells them (decomposed letters, no-break
spaces, odd spacing), and a newline inside a paragraph's source is a space (Word-pasted HTML)."""

from __future__ import annotations

import unicodedata

import pytest

from tests.conftest import fixture_pages
from wardcrawl.archive.extract import extract, make_response
from wardcrawl.parsers.html_blocks import body_blocks
from wardcrawl.sites import registry

SEED_000 = next(p for p in fixture_pages("liferay") if p.name == "longbien-seed-000")
ODD_LINES = [
    unicodedata.normalize("NFD", "Ngày đăng 29/09/2021 | 22:22  | Lượt xem: 267"),
    "Ngày\u00a0đăng\u00a029/09/2021\u00a0|\u00a022:22 |  Lượt\u00a0xem\u00a0:\u00a0267",
    unicodedata.normalize("NFD", "Ngày  đăng\n29/09/2021 |\t22:22 | Lượt  xem :267"),
]


@pytest.mark.parametrize("line", ODD_LINES)
def test_liferay_date_line_and_view_count_read_alike(line):
    html = SEED_000.html.read_text(encoding="utf-8")
    plain = "Ngày đăng 29/09/2021 | 22:22\u00a0 | Lượt xem: 267"  # as the seed prints it
    assert plain in html
    page = make_response(SEED_000.meta["url"], html.replace(plain, line).encode("utf-8"),
                         {"Content-Type": "text/html; charset=utf-8"})
    record = extract(registry()["longbien"], page).record
    assert record["published_at"] == SEED_000.expected["published_at"] == "2021-09-29T22:22:00+07:00"
    assert record["view_count"] == 267


def test_thanhuy_date_with_no_break_spaces_and_decomposed_text():
    page = next(p for p in fixture_pages("thanhuy") if p.name.endswith("city-unit"))
    raw = page.expected["published_raw"]
    html = page.html.read_text(encoding="utf-8")
    assert raw in html
    odd = unicodedata.normalize("NFD", raw.replace(" ", "\u00a0 ", 1))
    record = extract(registry()["thanhuyhanoi"], make_response(page.meta["url"], html.replace(raw, odd).encode(),
                                                               {"Content-Type": "text/html; charset=utf-8"})).record
    assert record["published_at"] == page.expected["published_at"]


@pytest.mark.parametrize("fragment, lines", [
    ("<p>Sáng 14/2, Đảng ủy phường\ntổ chức hội nghị\r\nsơ kết.</p>", ["Sáng 14/2, Đảng ủy phường tổ chức hội nghị sơ kết."]),
    ("<p class=MsoNormal><span>Theo báo\n cáo</span>\n<b>tại hội\nnghị</b></p>", ["Theo báo cáo tại hội nghị"]),
    ("<div>một\nhai<br>ba\nbốn<br/><br/>năm</div>", ["một hai", "ba bốn", "năm"]),
    ("<p>a</p>\n<p>b\n</p>", ["a", "b"]),
    ("<pre>dòng 1\ndòng 2</pre>", ["dòng 1", "dòng 2"]),
])
def test_a_source_newline_inside_a_paragraph_is_a_space(fragment, lines):
    assert [b.text for b in body_blocks(fragment, "https://hanoi.gov.vn/")] == lines
