"""Named boilerplate rules for article bodies: small, pure, each counted by name.

A body arrives as paragraphs (already normalised). ``line`` rules drop a paragraph that
is only furniture; ``tail`` rules mark where the article ends and page furniture begins
(post lists, comment forms), dropping that paragraph and all after it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from wardcrawl.text.unicode import has_lossy_mojibake


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # "line" or "tail"
    pattern: re.Pattern

    def matches(self, paragraph: str) -> bool:
        return bool(self.pattern.search(paragraph))


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_BUTTON = r"(?:In bài viết|In bài|In trang|Bản in|In|Quay lại|Trở về|Gửi email|Gửi e-mail|Về đầu trang|Lên đầu trang|Đầu trang)"
RULES: tuple[Rule, ...] = (
    Rule("date_line", "line", _rx(r"^(?:Ngày đăng|Đăng ngày|Ngày cập nhật)\s*:?\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{4}"
                                 r"(?:\s*\|?\s*\d{1,2}:\d{2})?(?:\s*\|\s*(?:Lượt xem|View count)\s*:\s*[\d.,]+)?\s*\|?$")),
    Rule("view_count", "line", _rx(r"^(?:Lượt xem|View count|Số lượt xem)\s*:\s*[\d.,]+$")),
    Rule("print_back_links", "line", _rx(rf"^{_BUTTON}(?:\s*[|/-]?\s*{_BUTTON})*\s*\|?$")),
    Rule("font_size_buttons", "line", _rx(r"^(?:Xem với cỡ chữ|Cỡ chữ)\b.*$|^A-\s*A\+?$|^A\+\s*A-$")),
    Rule("share_buttons", "line", _rx(r"^(?:Chia sẻ(?: Zalo| Facebook)?|Share|Tweet)\s*:?\s*$")),
    Rule("related_list", "tail", _rx(r"^(?:Tin khác|Tin liên quan|Tin cùng chuyên mục|Các tin khác|Bài liên quan)\s*:?$")),
    Rule("post_lists", "tail", _rx(r"^(?:Các bài mới đăng|Các bài đã đăng|Bài viết Xem)\s*:?\s*$")),
    Rule("footer", "tail", _rx(r"^(?:Cơ quan chủ quản|Bản quyền thuộc về|Copyright\b|©|Ghi rõ nguồn)")),
    Rule("comment_form", "tail", _rx(r"^(?:Viết bình luận|Ý kiến bạn đọc|Gửi bình luận|Bình luận)\s*:?$"
                                     r"|^(?:Họ tên|Họ và tên|Số điện thoại|Email|Tiêu đề|Nội dung)\s*:\s*(?:\(\*\))?\s*$"
                                     r"|^Mã xác nhận\s*:")),
)
# Lossy-garbled captcha text ("L?y l?i m� b?o m?t") at the end of a page is furniture.
CAPTCHA = re.compile(r"^(?:Mã xác nhận\s*:?\s*)?(?:Lấy lại mã bảo mật|L\?y l\?i m.{0,2} b\?o m\?t)", re.IGNORECASE)
GALLERY_INTRO = re.compile(r"^(?:Hình ảnh|Một số hình ảnh|Một số hình ảnh tại|Ảnh)\b.*:\s*$|^.{0,80}:\s*$", re.IGNORECASE)


# Page furniture is short; a longer paragraph is content and skips the rule checks.
MAX_FURNITURE_CHARS = 300
# Any rule or the captcha, in one search: most short paragraphs are content and need no rule-by-rule look.
ANY_FURNITURE = re.compile("|".join(f"(?:{p.pattern})" for p in (*(rule.pattern for rule in RULES), CAPTCHA)),
                           re.IGNORECASE)


def strip_boilerplate(paragraphs: list[str]) -> tuple[list[str], Counter]:
    """Paragraphs without furniture, and how many each rule removed."""
    removed: Counter = Counter()
    kept: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if len(paragraph) > MAX_FURNITURE_CHARS:
            kept.append(paragraph)
            continue
        furniture = ANY_FURNITURE.search(paragraph) is not None
        rule = next((r for r in RULES if r.matches(paragraph)), None) if furniture else None
        if rule and rule.kind == "tail":
            removed[rule.name] += len(paragraphs) - index
            break
        if rule:
            removed[rule.name] += 1
        elif (furniture and CAPTCHA.search(paragraph)) or (index == len(paragraphs) - 1 and len(paragraph) < 60
                                                          and has_lossy_mojibake(paragraph)):
            removed["captcha"] += 1
        else:
            kept.append(paragraph)
    return kept, removed


def take_gallery_intro(paragraphs: list[str], has_images: bool) -> tuple[list[str], str | None]:
    """Move a closing gallery intro line ("Hình ảnh buổi làm việc :") out of the body.

    It heads the photo gallery, so it belongs with the images; only the last paragraph
    qualifies, and only when the article has images.
    """
    if has_images and paragraphs and GALLERY_INTRO.match(paragraphs[-1]):
        return paragraphs[:-1], paragraphs[-1]
    return paragraphs, None
