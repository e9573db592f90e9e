"""Tests for wardcrawl.text.unicode (facts: /work/shared/reference/text-and-inputs.md)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wardcrawl.text.unicode import (
    fold_key,
    has_lossy_mojibake,
    match_key,
    normalize_inline,
    normalize_text,
    repair_mojibake,
)

SEEDS_DIR = Path(__file__).resolve().parents[2] / "mirror" / "data"  # in-repo copies of the seeds
SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))

# Last line of seed 004: "Lấy lại mã bảo mật" pushed through a single-byte
# charset ('?' for missing letters) and read back as UTF-8 (U+FFFD).
CAPTCHA_LINE = "Mã xác nhận: \u00a0\u00a0\u00a0 \u00a0\u00a0\u00a0 L?y l?i m\ufffd b?o m?t"

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
UNICODE_SPACES = ["\u00a0", "\u202f", "\u2007", "\u2002", "\u2009", "\u3000", "\t"]


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# Clean Vietnamese samples (several taken from the seed pages), used to check
# that nothing "repairs" or flags correct text.
CLEAN_VIETNAMESE = [
    "Hoạt động các phường",
    "Đồng chí Vũ Thị Thân – UVTV, Trưởng ban Tổ chức Quận ủy làm việc với Đảng ủy phường Thượng Thanh",
    "Ngày đăng 29/09/2021 | 22:22  | Lượt xem: 267",
    "Đảng ủy phường Thượng Thanh",
    "Gia Thuỵ",
    "Gia Thụy",
    "Hoà",
    "Hòa Bình",
    "thuỷ lợi",
    "“vùng xanh”",
    "kinh tế – xã hội — năm 2021",
    "Phó Bí thư Thành ủy Đào Đức Toàn",
    "Nhắc lại chủ đề công tác năm 2019 của Thành phố là “Nâng cao hiệu lực, hiệu quả hoạt động của hệ thống chính trị”",
    "* Sáng cùng ngày, bộ phận “một cửa” phường",
    "Họ tên:(*)",
    "Số điện thoại:",
    "Bao giờ xong?",
    "Vì sao? Tại sao?",
    "Có phải không?Không.",
    "Lấy lại mã bảo mật",
    "Người dân phường Kim Giang đón Tết Kỷ Hợi",
    "Khuyến khích ứng dụng công nghệ",
    "Nguyễn Thị Minh Khai, ngõ 12/3, P. Ô Chợ Dừa",
    "ĐẠI HỘI ĐẢNG BỘ PHƯỜNG LẦN THỨ XXIII",
    "Ủy ban nhân dân quận Long Biên",
    "Xem thêm >>",
    "Covid-19 (SARS-CoV-2) ở mức 5%",
]


def seed_lines() -> list[str]:
    lines = []
    for path in SEED_FILES:
        lines.extend(line for line in path.read_text("utf-8").splitlines() if line.strip())
    return lines


# --- normalize_text ---------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    ["Việt Nam", "Đảng ủy phường Thượng Thanh", "Gia Thuỵ", "Hòa Bình", "Nguyễn", "ƯỚC MƠ"],
)
def test_normalize_text_nfd_becomes_nfc(word):
    decomposed = nfd(word)
    assert decomposed != word  # the test really feeds NFD
    assert normalize_text(decomposed) == nfc(word)


def test_normalize_text_maps_eth_to_d_stroke():
    assert normalize_text("Ðảng ủy") == "Đảng ủy"
    assert normalize_text("ðường") == "đường"
    assert "\u00d0" not in normalize_text("ÐÐ ðð")
    assert "\u00f0" not in normalize_text("ÐÐ ðð")


@pytest.mark.parametrize("zw", ZERO_WIDTH)
def test_normalize_text_drops_zero_width(zw):
    assert normalize_text(f"Thượng{zw} Thanh{zw}") == "Thượng Thanh"
    assert normalize_text(f"Thư{zw}ợng") == "Thượng"


def test_normalize_text_drops_bom_at_start():
    assert normalize_text("\ufeffHoạt động") == "Hoạt động"


@pytest.mark.parametrize("space", UNICODE_SPACES)
def test_normalize_text_unicode_spaces_become_space(space):
    assert normalize_text(f"Kim{space}Giang") == "Kim Giang"
    assert normalize_text(f"Kim{space}{space} {space}Giang") == "Kim Giang"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kim&nbsp;Giang", "Kim Giang"),
        ("UBND &amp; MTTQ", "UBND & MTTQ"),
        ("&#272;&#7843;ng &#273;", "Đảng đ"),
        ("&#x110;ảng", "Đảng"),
        ("Kim&amp;nbsp;Giang", "Kim Giang"),  # double-escaped
        ("a&#8203;b", "ab"),  # entity for a zero-width space
        ("u&#803;y", "ụy"),  # entity for a combining mark -> NFC
        ("&lt;b&gt;", "<b>"),
    ],
)
def test_normalize_text_unescapes_entities(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_text_leaves_non_entities_alone():
    # no semicolon: not treated as an entity (keeps query strings intact)
    assert normalize_text("x.php?a=1&copy=2") == "x.php?a=1&copy=2"
    assert normalize_text("R&D; AT&T") == "R&D; AT&T"


def test_normalize_text_collapses_spaces_and_strips_lines():
    assert normalize_text("  Kim \t  Giang  \n   phường  ") == "Kim Giang\nphường"


def test_normalize_text_keeps_paragraphs():
    raw = "Đoạn một,\ndòng hai.\n\n\n\nĐoạn hai.\n \u00a0\n\u3000\nĐoạn ba."
    assert normalize_text(raw) == "Đoạn một,\ndòng hai.\n\nĐoạn hai.\n\nĐoạn ba."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\r\n\r\n\r\nb", "a\n\nb"),
        ("a\u2028b", "a\nb"),
        ("a\u2029b", "a\n\nb"),
    ],
)
def test_normalize_text_line_breaks(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_text_strips_whole():
    assert normalize_text("\n\n  \u00a0Tiêu đề\n\n\n") == "Tiêu đề"
    assert normalize_text("") == ""
    assert normalize_text(" \u200b\u00a0\n\n ") == ""


def test_normalize_text_seed_paragraph_separators():
    # seed pages separate paragraphs with lines holding only an NBSP
    raw = "Đoạn một.\n\u00a0\nĐoạn hai."
    assert normalize_text(raw) == "Đoạn một.\n\nĐoạn hai."


@pytest.mark.parametrize("line", CLEAN_VIETNAMESE)
def test_normalize_text_keeps_clean_words(line):
    assert normalize_text(line) == " ".join(line.split())


# --- normalize_inline -------------------------------------------------------


def test_normalize_inline_joins_lines():
    assert normalize_inline("  Đảng ủy\n phường\n\n\nThượng\u00a0Thanh ") == "Đảng ủy phường Thượng Thanh"


def test_normalize_inline_applies_text_rules():
    assert normalize_inline(nfd("Ðảng&nbsp;ủy\u200b")) == "Đảng ủy"
    assert normalize_inline("\r\nTiêu\tđề\r\n") == "Tiêu đề"


# --- has_lossy_mojibake -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        CAPTCHA_LINE,
        "L?y l?i m\ufffd b?o m?t",
        "L?y l?i",  # '?' between letters, next lowercase
        "b?o m?t",
        "Vi\ufffdt Nam",  # U+FFFD anywhere
        "\ufffd",
        "Khuy?n kh?ch ?ng d?ng",
        "?ng d?ng",  # '?' starting a word
        "ph\u01b0\u1eddng ?y ban",  # '?' starting a word, mid-sentence
        "(?ng)",
        nfd("Thư?ng"),  # decomposed neighbours still count as letters
    ],
)
def test_has_lossy_mojibake_true(text):
    assert has_lossy_mojibake(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "Bao giờ xong?",
        "Vì sao? Tại sao?",
        "Có phải không?Không.",
        "http://x.vn/a?b=1",
        "Xem tại https://longbien.hanoi.gov.vn/tin-tuc?id=12&page=2 nhé",
        "www.x.vn/a?b=1",
        "index.php?id=3",
        "/web/guest/tin?p_p_id=abc",
        "(?)",
        "Sao vậy??",
        "?",
        "Hỏi: ai? Đáp: tôi.",
        "“Tại sao?” – ông hỏi.",
        "",
    ],
)
def test_has_lossy_mojibake_false_positives(text):
    assert has_lossy_mojibake(text) is False


@pytest.mark.parametrize("line", CLEAN_VIETNAMESE)
def test_has_lossy_mojibake_clean_samples(line):
    assert has_lossy_mojibake(line) is False


def test_has_lossy_mojibake_seed_lines():
    flagged = [line for line in seed_lines() if has_lossy_mojibake(line)]
    assert flagged == [CAPTCHA_LINE]


def test_seed_004_last_line_is_lossy():
    path = SEEDS_DIR / "004_3e7fb49decb3d2c2.txt"
    last = path.read_text("utf-8").rstrip("\n").splitlines()[-1]
    assert "L?y l?i m" in last
    assert has_lossy_mojibake(last) is True
    assert has_lossy_mojibake(normalize_inline(last)) is True
    assert normalize_inline(last) == "Mã xác nhận: L?y l?i m\ufffd b?o m?t"


# --- repair_mojibake --------------------------------------------------------
#
# Repairable mojibake is built as UTF-8 bytes decoded with latin-1: every byte
# maps to one character, so nothing is lost and ftfy can reverse it. cp1252
# (strict) is also reversible but fails on the bytes it leaves undefined
# (0x81 0x8D 0x8F 0x90 0x9D, e.g. in "Đ" = C4 90), so it is only used for
# strings whose bytes all decode. cp1252 with errors="replace" is lossy.

REPAIRABLE = [
    "Việt Nam",
    "Đảng ủy phường Thượng Thanh",
    "Gia Thuỵ",
    "Hòa Bình",
    "Lấy lại mã bảo mật",
    "Người dân phường Kim Giang đón Tết",
    "Phó Bí thư Thành ủy Đào Đức Toàn",
    "“vùng xanh”",
]


def test_repair_mojibake_known_example():
    assert repair_mojibake("Viá»‡t Nam") == ("Việt Nam", True)


@pytest.mark.parametrize("clean", REPAIRABLE)
def test_repair_mojibake_latin1(clean):
    garbled = clean.encode("utf-8").decode("latin-1")
    assert garbled != clean
    assert repair_mojibake(garbled) == (clean, True)


def _decodes_as_cp1252(text: str) -> bool:
    try:
        text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


CP1252_REPAIRABLE = [text for text in REPAIRABLE if _decodes_as_cp1252(text)]


def test_cp1252_cases_exist():
    assert len(CP1252_REPAIRABLE) >= 3


@pytest.mark.parametrize("clean", CP1252_REPAIRABLE)
def test_repair_mojibake_cp1252(clean):
    garbled = clean.encode("utf-8").decode("cp1252")
    assert repair_mojibake(garbled) == (clean, True)


def test_repair_mojibake_inside_clean_sentence():
    garbled = "Tin: " + "Việt Nam".encode("utf-8").decode("latin-1") + "."
    assert repair_mojibake(garbled) == ("Tin: Việt Nam.", True)


@pytest.mark.parametrize("clean", CLEAN_VIETNAMESE + [nfd("Gia Thuỵ"), "Hoà", "–", "a – b", '"quoted"'])
def test_repair_mojibake_clean_unchanged(clean):
    assert repair_mojibake(clean) == (clean, False)


def test_repair_mojibake_seed_lines_unchanged():
    changed = [line for line in seed_lines() if repair_mojibake(line)[1]]
    assert changed == []


def test_repair_mojibake_does_not_touch_quotes_ligatures_width():
    for text in ["“vùng xanh”", "ﬁ", "ＡＢＣ", "&amp;", "don’t"]:
        assert repair_mojibake(text) == (text, False)


def test_repair_mojibake_lossy_stays_lossy():
    assert repair_mojibake("L?y l?i m\ufffd b?o m?t") == ("L?y l?i m\ufffd b?o m?t", False)
    # Scrapy's cp1252 errors='replace' path destroys Đ (C4 90): still flagged
    lossy = "Đào Đức Toàn".encode("utf-8").decode("cp1252", errors="replace")
    fixed, _changed = repair_mojibake(lossy)
    assert has_lossy_mojibake(fixed)


# --- match_key / fold_key ---------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gia Thụy", "Gia Thuỵ"),
        ("hòa", "hoà"),
        ("Thủy", "Thuỷ"),
        ("Khánh Hòa", "Khánh Hoà"),
        ("HÒA", "hoà"),
        ("Gia  Thụy", "Gia\u00a0Thuỵ"),
        (nfd("Gia Thụy"), "Gia Thuỵ"),
        ("Ðảng", "Đảng"),
    ],
)
def test_match_key_equal(a, b):
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hòa Bình", "Hoa Bình"),
        ("Gia Thụy", "Gia Thủy"),
        ("ma", "mà"),
        ("má", "mả"),
        ("mã", "mạ"),
        ("an", "ân"),  # vowel quality kept
        ("ăn", "ân"),
        ("ơ", "ô"),
        ("dân", "đân"),
    ],
)
def test_match_key_different(a, b):
    assert match_key(a) != match_key(b)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gia Thuỵ", "gia thuy5"),
        ("Hòa Bình", "hoa2 binh2"),
        ("Đảng ủy", "đang3 uy3"),
        ("Nguyễn Thị Minh Khai", "nguyên4 thi5 minh khai"),
        ("Thượng Thanh", "thương5 thanh"),
        ("Lấy lại mã", "lây1 lai5 ma4"),
        ("  phường  12,  quận   3! ", "phương2 12, quân5 3!"),
        ("Việt-Nam (2021)", "viêt5-nam (2021)"),
        ("ước mơ", "ươc1 mơ"),
    ],
)
def test_match_key_values(text, expected):
    assert match_key(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đảng ủy", "dang uy"),
        ("Gia Thuỵ", "gia thuy"),
        ("Gia Thụy", "gia thuy"),
        ("Hòa Bình", "hoa binh"),
        ("Ðường  Nguyễn\u00a0Trãi", "duong nguyen trai"),
        ("ƯỚC MƠ", "uoc mo"),
        ("Ô Chợ Dừa, P. 12", "o cho dua, p. 12"),
        (nfd("Thượng Thanh"), "thuong thanh"),
    ],
)
def test_fold_key_values(text, expected):
    assert fold_key(text) == expected


# --- properties -------------------------------------------------------------

VN_BASE_VOWELS = "aăâeêioôơuưy"
VN_CONSONANTS = "bcdđghklmnpqrstvx"
VN_TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
# every toned vowel (ắ, ệ, ự, ...) plus consonants; f j w z appear in loanwords
VN_LOWER = sorted(
    {nfc(vowel + tone) for vowel in VN_BASE_VOWELS for tone in VN_TONES}
    | set(VN_CONSONANTS + "fjwz")
)
VN_LETTERS = VN_LOWER + [c.upper() for c in VN_LOWER]

vietnamese_words = st.text(alphabet=st.sampled_from(VN_LETTERS + [" "]), max_size=40)

# Text rich in the characters the normalizer cares about.
NOISY_PIECES = VN_LETTERS + ZERO_WIDTH + UNICODE_SPACES + [
    " ", "\n", "\r\n", "\r", "\u2028", "\u2029", "&nbsp;", "&amp;", "&#273;", "&#x110;",
    "&#8203;", "&", ";", "#", "amp", "Ð", "ð", "\u0301", "\u0323", "\u0302", "\u031b",
    "?", "\ufffd", "x", "1",
]
noisy_text = st.lists(st.sampled_from(NOISY_PIECES), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=200), noisy_text, vietnamese_words)

FORBIDDEN_AFTER_NORMALIZE = set(ZERO_WIDTH) | {"\u00a0", "\u202f", "\u2007", "\u00d0", "\u00f0", "\r"}


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_normalize_text_properties(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not FORBIDDEN_AFTER_NORMALIZE & set(once)
    assert "\n\n\n" not in once
    assert once == once.strip()


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_normalize_inline_properties(text):
    once = normalize_inline(text)
    assert "\n" not in once
    assert "  " not in once
    assert normalize_inline(once) == once
    assert unicodedata.is_normalized("NFC", once)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_other_functions_never_raise(text):
    assert isinstance(has_lossy_mojibake(text), bool)
    fixed, changed = repair_mojibake(text)
    assert changed == (fixed != text)
    assert isinstance(match_key(text), str)
    assert isinstance(fold_key(text), str)


@settings(max_examples=300, deadline=None)
@given(st.one_of(vietnamese_words, any_text))
def test_match_key_ignores_normal_form(text):
    assert match_key(nfd(text)) == match_key(nfc(text))
    assert fold_key(nfd(text)) == fold_key(nfc(text))


@settings(max_examples=300, deadline=None)
@given(vietnamese_words)
def test_fold_key_ascii_for_vietnamese(text):
    key = fold_key(text)
    assert key.isascii()
    assert key == key.lower()


@settings(max_examples=200, deadline=None)
@given(vietnamese_words)
def test_vietnamese_words_are_clean(text):
    # clean Vietnamese letters are never flagged nor "repaired"
    assert has_lossy_mojibake(text) is False
    assert repair_mojibake(text) == (text, False)


# The layout rule as first written with regexes: the fast version must agree with it exactly.
def _layout_by_regex(text: str) -> str:
    import re

    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(list("ab đ\n\t\r\u00a0\u2007\u202f\u3000\u1680\x1c\x0b\x0c.?"))))
def test_layout_agrees_with_its_regex_definition(text):
    from wardcrawl.text.unicode import _normalize_layout

    assert _normalize_layout(text) == _layout_by_regex(text)


def _lossy_by_masking(text: str) -> bool:
    """has_lossy_mojibake as first written: URL-like tokens blanked out, then the two patterns."""
    from wardcrawl.text.unicode import (QUESTION_MARK_INSIDE_WORD_RE, QUESTION_MARK_WORD_START_RE,
                                        URL_LIKE_TOKEN_RE)

    if "\ufffd" in text:
        return True
    if "?" not in text:
        return False
    text = URL_LIKE_TOKEN_RE.sub(" ", unicodedata.normalize("NFC", text))
    if any(m.group(1).islower() for m in QUESTION_MARK_INSIDE_WORD_RE.finditer(text)):
        return True
    return QUESTION_MARK_WORD_START_RE.search(text) is not None


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(list("ab Lyđ?=/:.w(\u201c\n\u00a0") + ["://", "www.", "a?b", "?ng", "\ufffd"])))
def test_lossy_check_agrees_with_its_masking_definition(pieces):
    text = "".join(pieces)
    assert has_lossy_mojibake(text) == _lossy_by_masking(text)


@settings(max_examples=500)
@given(st.lists(st.lists(st.sampled_from(list("ab đ\n\t\u00a0\u200b&;#x41ÐðÃ\u2028\r\u0301") + ["&amp;", "&nbsp;"]))
                .map("".join)))
def test_normalize_paragraphs_equals_normalize_text_each(paragraphs):
    from wardcrawl.text.unicode import normalize_paragraphs

    assert normalize_paragraphs(paragraphs) == [normalize_text(p) for p in paragraphs]


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("ab đ\n\t\u00a0\u2028\u200b&;\r"))))
def test_normalize_inline_is_normalize_text_on_one_line(text):
    import re

    assert normalize_inline(text) == re.sub(r"\s+", " ", normalize_text(text))


def _match_key_by_syllables(text: str) -> str:
    """match_key as first written: every syllable rebuilt, its tones moved to the end as digits."""
    import re

    from wardcrawl.text.unicode import LETTER, TONE_DIGITS

    def move(match):
        syllable = match.group(0)
        return "".join(c for c in syllable if c not in TONE_DIGITS) + "".join(TONE_DIGITS[c] for c in syllable
                                                                           if c in TONE_DIGITS)

    decomposed = unicodedata.normalize("NFD", normalize_inline(text).lower())
    return unicodedata.normalize("NFC", re.sub(rf"(?:{LETTER}|[\u0300-\u036f])+", move, decomposed))


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(list("aouyhđ ư2-\u0300\u0301\u0303\u0309\u0323\u0302\u031b") + ["ộ", "ừ", "Thuỵ"])))
def test_match_key_agrees_with_its_syllable_by_syllable_definition(pieces):
    text = "".join(pieces)
    assert match_key(text) == _match_key_by_syllables(text)


def test_no_whitespace_but_the_space_is_printable():
    """_normalize_layout's fast path rests on this: str.split() splits only on " " and
    non-printable characters, whatever the Unicode version."""
    import sys

    assert not [hex(i) for i in range(sys.maxunicode + 1)
                if chr(i).isspace() and chr(i) != " " and chr(i).isprintable()]
