"""Bylines: a name alone on the last line of an article is its author, not its text."""

from __future__ import annotations

import re

# A Vietnamese personal name: 2 to 5 capitalised syllables ("Huy Kiên", "Nguyễn Thị Minh Hồng").
_SYLLABLE = r"[A-ZÀ-ỸĐ][a-zà-ỹđ]*"
NAME = re.compile(rf"{_SYLLABLE}(?: {_SYLLABLE}){{1,4}}")
# Optional role in brackets after the name: "Huy Kiên (tổng hợp)", "Minh Anh (TTXVN)".
BYLINE = re.compile(rf"^(?:Tin, ảnh: |Tin và ảnh: |Bài, ảnh: |Bài và ảnh: )?({NAME.pattern}(?:\s*[-–,]\s*{NAME.pattern})*)"
                    r"(?:\s*\([^()]{1,40}\))?$")
MAX_BYLINE_CHARS = 80


def parse_byline(line: str) -> list[str] | None:
    """Author names when the line is a byline, else None."""
    if len(line) > MAX_BYLINE_CHARS:
        return None
    match = BYLINE.match(line.strip())
    if not match:
        return None
    return [name.strip() for name in re.split(r"\s*[-–,]\s*", match.group(1)) if name.strip()]


def take_byline(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Move a closing byline out of the body: (paragraphs, authors)."""
    if len(paragraphs) >= 2:
        authors = parse_byline(paragraphs[-1])
        if authors:
            return paragraphs[:-1], authors
    return paragraphs, []
