from __future__ import annotations

import pytest

from wardcrawl.text.bylines import parse_byline, take_byline


@pytest.mark.parametrize("line, authors", [
    ("Huy Kiên", ["Huy Kiên"]),
    ("Nguyễn Thị Minh Hồng", ["Nguyễn Thị Minh Hồng"]),
    ("Huy Kiên - Minh Anh", ["Huy Kiên", "Minh Anh"]),
    ("Tin, ảnh: Phương Anh", ["Phương Anh"]),
    ("Đức Trung (tổng hợp)", ["Đức Trung"]),
])
def test_bylines(line, authors):
    assert parse_byline(line) == authors


@pytest.mark.parametrize("line", [
    "Kết luận buổi làm việc, đồng chí đánh giá cao.", "HNP - Sáng 14/02",
    "Hình ảnh buổi làm việc :", "* Sáng cùng ngày, Phó Bí thư Thành ủy tới thăm.", "Huy",
    "Đảng Bộ Phường Kim Giang Tổ Chức Hội Nghị Tổng Kết Công Tác Năm",
])
def test_not_bylines(line):
    assert parse_byline(line) is None


def test_take_byline_only_from_the_last_line_of_a_real_body():
    body = ["HNP - Sáng 14/02, đoàn công tác làm việc với phường.", "Huy Kiên"]
    assert take_byline(body) == (body[:1], ["Huy Kiên"])
    assert take_byline(["Huy Kiên"]) == (["Huy Kiên"], [])
    assert take_byline(["Huy Kiên", "Đoạn cuối."]) == (["Huy Kiên", "Đoạn cuối."], [])
