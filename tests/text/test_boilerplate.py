"""Each named boilerplate rule, on the lines that real pages carry, and its false positives."""

from __future__ import annotations

import pytest

from wardcrawl.text.boilerplate import RULES, strip_boilerplate, take_gallery_intro

BODY = ["Ngày 28/9/2021, đồng chí Vũ Thị Thân về làm việc với Đảng ủy phường Thượng Thanh.",
        "Tại buổi làm việc, 07 ý kiến của các đồng chí dự hội nghị đã được nêu."]

# rule name -> furniture lines it must remove
CASES = {
    "date_line": ["Ngày đăng 29/09/2021 | 22:22 | Lượt xem: 267", "Ngày đăng 08/07/2014 | 00:00",
                  "Ngày đăng 17/07/2019 | 09:15 | View count: 85"],
    "view_count": ["Lượt xem: 1656", "View count: 85"],
    "print_back_links": ["In bài viết | Quay lại", "In bài viết", "Quay lại", "Gửi email | In bài", "Về đầu trang"],
    "font_size_buttons": ["Xem với cỡ chữ A- A+", "A- A+"],
    "share_buttons": ["Chia sẻ:", "Chia sẻ Zalo"],
}
TAILS = {
    "related_list": ["Tin khác", "Tin liên quan", "TIN CÙNG CHUYÊN MỤC"],
    "post_lists": ["Các bài mới đăng", "Các bài đã đăng :", "Bài viết Xem"],
    "comment_form": ["Viết bình luận", "Họ tên:(*)", "Ý kiến bạn đọc"],
    "footer": ["Cơ quan chủ quản: Ủy ban nhân dân quận Long Biên", "© Bản quyền thuộc về UBND quận Ba Đình",
               "Ghi rõ nguồn \"Cổng thông tin điện tử quận Long Biên\" khi phát hành lại thông tin từ website này."],
}


def test_every_rule_has_cases():
    assert {r.name for r in RULES} == set(CASES) | set(TAILS)


@pytest.mark.parametrize("rule, line", [(r, line) for r, lines in CASES.items() for line in lines])
def test_line_rule_removes_only_that_line(rule, line):
    kept, removed = strip_boilerplate([BODY[0], line, BODY[1]])
    assert kept == BODY
    assert removed == {rule: 1}


@pytest.mark.parametrize("rule, line", [(r, line) for r, lines in TAILS.items() for line in lines])
def test_tail_rule_cuts_the_rest_of_the_page(rule, line):
    kept, removed = strip_boilerplate([*BODY, line, "Tin A (12/01/2024)", "Tin B (11/01/2024)"])
    assert kept == BODY
    assert removed == {rule: 3}


def test_seed_004_tail_goes_entirely():
    tail = ["Huy Kiên", "Các bài mới đăng", "Các bài đã đăng :", "Bài viết Xem", "Viết bình luận", "Họ tên:(*)",
            "Số điện thoại:", "Tiêu đề:(*)", "Nội dung:(*)", "Mã xác nhận: L?y l?i m\ufffd b?o m?t"]
    kept, removed = strip_boilerplate([*BODY, *tail])
    assert kept == [*BODY, "Huy Kiên"]
    assert sum(removed.values()) == 9


def test_garbled_captcha_alone_at_the_end_is_removed():
    kept, removed = strip_boilerplate([*BODY, "L?y l?i m\ufffd b?o m?t"])
    assert kept == BODY and removed == {"captcha": 1}


@pytest.mark.parametrize("line", [
    "Ngày đăng ký kết hôn 29/09/2021 tại phường, người dân đã đến làm thủ tục.",
    "Quay lại với câu chuyện bảo vệ môi trường, phường đã huy động 200 người.",
    "Tin khác với mọi năm, năm nay lễ hội được tổ chức sớm hơn.",
    "Bao giờ xong? Người dân hỏi và được trả lời cụ thể.",
    "Nội dung: Hội nghị bàn về công tác giải phóng mặt bằng",
])
def test_real_sentences_are_kept(line):
    kept, removed = strip_boilerplate([BODY[0], line])
    assert kept == [BODY[0], line] and not removed


def test_gallery_intro_moves_out_only_when_last_and_images_exist():
    paragraphs = [*BODY, "Hình ảnh buổi làm việc :"]
    assert take_gallery_intro(paragraphs, has_images=True) == (BODY, "Hình ảnh buổi làm việc :")
    assert take_gallery_intro(paragraphs, has_images=False) == (paragraphs, None)
    middle = [BODY[0], "Một số hình ảnh:", BODY[1]]
    assert take_gallery_intro(middle, has_images=True) == (middle, None)
