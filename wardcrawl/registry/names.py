"""Names the registry derives from a unit's name: host labels, slugs, thanhuyhanoi.vn category slugs.

``Việt Hưng`` -> host label ``viethung`` (``viethung.hanoi.gov.vn``, as the ward portals are named)
and category slug ``phuong-viet-hung`` (``thanhuyhanoi.vn/tin-tuc/phuong-viet-hung``).
"""

from __future__ import annotations

import unicodedata

# Type words as thanhuyhanoi.vn spells them in category slugs (quan-long-bien, huyen-gia-lam, xa-hat-mon).
TYPE_SLUGS = {"quận": "quan", "huyện": "huyen", "thị xã": "thi-xa", "phường": "phuong", "xã": "xa",
              "thị trấn": "thi-tran"}
# The party committee of a unit, as thanhuyhanoi.vn names its section ("Quận ủy Long Biên").
PARTY_COMMITTEES = {"quận": "Quận ủy", "huyện": "Huyện ủy", "thị xã": "Thị ủy", "phường": "Đảng ủy phường",
                    "xã": "Đảng ủy xã", "thị trấn": "Đảng ủy thị trấn"}


def ascii_words(name: str) -> list[str]:
    """The name's syllables without diacritics, lowercase: "Đông Anh" -> ["dong", "anh"]."""
    name = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in name if not unicodedata.combining(c))
    return ["".join(c for c in word if c.isalnum()).lower() for word in plain.split() if any(c.isalnum() for c in word)]


def host_label(name: str) -> str:
    """The label of a unit's host under hanoi.gov.vn: "Việt Hưng" -> "viethung"."""
    return "".join(ascii_words(name))


def type_slug(type_word: str) -> str:
    return TYPE_SLUGS[type_word]


def party_section_slug(type_word: str, name: str) -> str:
    """thanhuyhanoi.vn's category slug for a unit's party committee: "phuong-viet-hung"."""
    return "-".join([type_slug(type_word), *ascii_words(name)])
