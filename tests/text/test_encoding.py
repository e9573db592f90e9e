"""Tests for wardcrawl.text.encoding and legacy_fonts (facts: /work/shared/reference/text-and-inputs.md).

Every byte string is built here from a known Unicode sentence, so each test
states what the page really said. The legacy-font encoders below are the
inverse of the module's tables; the tables themselves are checked against
independent sources (glibc's TCVN5712-1 and well-known VNI/TCVN3 phrases).
"""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wardcrawl.text.encoding import Decoded, decode_html
from wardcrawl.text.legacy_fonts import TCVN3_TO_UNICODE, VNI_TO_UNICODE, convert_legacy_font, detect_legacy_font

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "encoding"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "mirror" / "data"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]

SENTENCE = "Đồng chí Vũ Thị Thân làm việc với Đảng ủy phường Thượng Thanh"
WARD = "Đảng ủy phường Thượng Thanh"
LONG_SENTENCE = (
    "Ngày 28/9/2021, đồng chí Vũ Thị Thân về làm việc với Đảng ủy phường Thượng Thanh "
    "về tình hình triển khai thực hiện nhiệm vụ 9 tháng đầu năm 2021, công tác phòng, "
    "chống dịch Covid-19 và một số nhiệm vụ trọng tâm những tháng cuối năm."
)

REASONS = {"declared", "bom", "utf8-despite-header", "meta", "detected", "lossy"}
LEGACY_REASONS = {"legacy-font-tcvn3", "legacy-font-vni"}

# --- Independent description of the alphabet -----------------------------------

TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VOWELS = "aăâeêioôơuưy"
LOWER_LETTERS = sorted(
    {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONE_MARKS} - set("aeiouy") | {"đ"}
)
UPPER_LETTERS = sorted(ch.upper() for ch in LOWER_LETTERS)
ALL_LETTERS = LOWER_LETTERS + UPPER_LETTERS
# The capitals TCVN3 (VN3) has; VN1's extra capitals in 0xA0-0xFF are read too.
TCVN3_CAPITALS = set("ĂÂÊÔƠƯĐ")
VN1_UPPER_HALF_CAPITALS = set("ẰẲẴẮẦẨẪẤỀỂỄẾỒỔỖỐ")

TONES = "\u0300\u0301\u0303\u0309\u0323"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# --- Test-side encoders ------------------------------------------------------------


def encode_cp1258(text: str) -> bytes:
    """Unicode -> windows-1258: letters with vowel marks precomposed, tones combining."""
    out = bytearray()
    for ch in nfc(text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = nfc("".join(c for c in decomposed if c not in TONES))
        out += (base + "".join(c for c in decomposed if c in TONES)).encode("cp1258")
    return bytes(out)


UNICODE_TO_TCVN3 = {letter: font for font, letter in TCVN3_TO_UNICODE.items()}


def encode_tcvn3_text(text: str) -> str:
    """Unicode -> TCVN3 font characters (as a cp1252 page shows them)."""
    out = []
    for ch in nfc(text):
        if ch.isascii():
            out.append(ch)
        elif ch in UNICODE_TO_TCVN3:
            out.append(UNICODE_TO_TCVN3[ch])
        else:
            raise ValueError(f"TCVN3 cannot encode {ch!r}")
    return "".join(out)


def encode_tcvn3(text: str) -> bytes:
    return encode_tcvn3_text(text).encode("latin-1")


def _canonical_vni(sequence: str, letter: str) -> bool:
    """VNI writes marks in the case of their letter: "aù" for á, "AÙ" for Á."""
    return sequence == (sequence.lower() if letter.islower() else sequence.upper())


UNICODE_TO_VNI = {
    letter: seq for seq, letter in VNI_TO_UNICODE.items() if _canonical_vni(seq, letter)
}


def encode_vni_text(text: str) -> str:
    return "".join(UNICODE_TO_VNI.get(ch, ch) if not ch.isascii() else ch for ch in nfc(text))


def encode_vni(text: str) -> bytes:
    return encode_vni_text(text).encode("cp1252")


# --- The alphabet and the tables ------------------------------------------------


def test_alphabet_has_134_letters():
    assert len(ALL_LETTERS) == 134
    assert len(set(ALL_LETTERS)) == 134


def test_vni_table_covers_all_134_letters_one_way():
    assert set(UNICODE_TO_VNI) == set(ALL_LETTERS)
    # No sequence is claimed by two letters.
    assert len(set(UNICODE_TO_VNI.values())) == 134


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_vni_round_trip_every_letter(letter):
    encoded = encode_vni_text(letter)
    assert convert_legacy_font(encoded, "vni") == letter
    # Inside a word too (mark followed by a final consonant).
    assert convert_legacy_font(encode_vni_text(f"b{letter}ng"), "vni") == f"b{letter}ng"


def test_vni_accepts_marks_in_either_case():
    assert convert_legacy_font("Aù", "vni") == "Á"
    assert convert_legacy_font("aÙ", "vni") == "á"


@pytest.mark.parametrize(
    ("vni", "expected"),
    [
        # Well-known VNI strings (official headings, keyboard docs).
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("Ñaûng uûy phöôøng Thöôïng Thanh", WARD),
        ("khuyeán khích, tænh, möôøi, Myõ, thuî", "khuyến khích, tỉnh, mười, Mỹ, thuỵ"),
        ("aê aè aé aú aü aë", "ă ằ ắ ẳ ẵ ặ"),
    ],
)
def test_vni_known_strings(vni, expected):
    assert convert_legacy_font(vni, "vni") == expected


TCVN3_ENCODABLE = [ch for ch in ALL_LETTERS if ch.islower() or ch in TCVN3_CAPITALS | VN1_UPPER_HALF_CAPITALS]


def test_tcvn3_table_has_lowercase_and_vn3_capitals():
    assert set(LOWER_LETTERS) <= set(UNICODE_TO_TCVN3)
    assert TCVN3_CAPITALS <= set(UNICODE_TO_TCVN3)
    assert len(TCVN3_TO_UNICODE) == len(UNICODE_TO_TCVN3)  # a one-to-one table
    # Every font character is one byte in the upper half: no clash with
    # ASCII markup, nor with cp1252 punctuation in 0x80-0x9F.
    assert all(0xA0 < ord(ch) <= 0xFF for ch in TCVN3_TO_UNICODE)


@pytest.mark.parametrize("letter", TCVN3_ENCODABLE)
def test_tcvn3_round_trip_every_encodable_letter(letter):
    assert convert_legacy_font(encode_tcvn3_text(letter), "tcvn3") == letter


def test_tcvn3_capitals_with_tones_are_not_representable():
    # VN3 drew them with the .VnTimeH font from lower-case codes: documented limit.
    missing = set(UPPER_LETTERS) - set(UNICODE_TO_TCVN3)
    assert "Ệ" in missing and "Ả" in missing
    with pytest.raises(ValueError):
        encode_tcvn3_text("VIỆT NAM")


@pytest.mark.parametrize(
    ("tcvn3", "expected"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("§¶ng", "Đảng"),
        ("ViÖt Nam", "Việt Nam"),
        ("ph\xadêng Th\xadîng Thanh", "phường Thượng Thanh"),
        ("B¶o Th¾ng, M\xadêng Kh\xad¬ng, B¸t X¸t", "Bảo Thắng, Mường Khương, Bát Xát"),
    ],
)
def test_tcvn3_known_strings(tcvn3, expected):
    assert convert_legacy_font(tcvn3, "tcvn3") == expected


@pytest.mark.skipif(shutil.which("iconv") is None, reason="needs glibc iconv")
def test_tcvn3_table_agrees_with_glibc_tcvn5712_1():
    font_chars = sorted(TCVN3_TO_UNICODE)
    raw = b"\n".join(ch.encode("latin-1") for ch in font_chars)
    result = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=raw, capture_output=True, check=False
    )
    if result.returncode != 0:
        pytest.skip("iconv without TCVN5712-1")
    decoded = result.stdout.decode("utf-8").split("\n")
    assert dict(zip(font_chars, map(nfc, decoded))) == TCVN3_TO_UNICODE


@pytest.mark.parametrize("sentence", [SENTENCE, LONG_SENTENCE])
@pytest.mark.parametrize("font", ["tcvn3", "vni"])
def test_sentences_round_trip(sentence, font):
    encoded = encode_tcvn3_text(sentence) if font == "tcvn3" else encode_vni_text(sentence)
    assert encoded != sentence
    assert detect_legacy_font(encoded) == font
    assert convert_legacy_font(encoded, font) == sentence


def test_convert_rejects_unknown_encoding():
    with pytest.raises(ValueError):
        convert_legacy_font("abc", "viqr")


TCVN3_ALPHABET = TCVN3_ENCODABLE + list("abcdeghiklmnopqrstuvxy ,.")
VNI_ALPHABET = ALL_LETTERS + list("abcdeghiklmnopqrstuvxyABCDGHKLMNOPQRSTVXY ,.")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(TCVN3_ALPHABET), max_size=40))
def test_tcvn3_round_trip_property(text):
    assert convert_legacy_font(encode_tcvn3_text(text), "tcvn3") == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(VNI_ALPHABET), max_size=40))
def test_vni_round_trip_property(text):
    assert convert_legacy_font(encode_vni_text(text), "vni") == text


# --- Legacy detection: positives and false positives ------------------------------------


@pytest.mark.parametrize(
    ("text", "font"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3"),
        ("§¶ng ñy ph\xadêng", "tcvn3"),
        ("Sö dông tµi nguyªn cña m¸y", "tcvn3"),
        ('<font face=".VnTime">Th\xadîng Thanh, ngµy 28</font>', "tcvn3"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni"),
        ('<font face="VNI-Times">Ñaûng uûy phöôøng</font>', "vni"),
    ],
)
def test_detect_legacy_font_positives(text, font):
    assert detect_legacy_font(text) == font


@pytest.mark.parametrize(
    ("word", "hinted", "font"),
    [
        ("ViÖt Nam", '<font face=".VnTime">ViÖt Nam</font>', "tcvn3"),
        ("§¶ng", "<span style=\"font-family: .VnTimeH\">§¶ng</span>", "tcvn3"),
        ("Vieät Nam", '<font face="VNI-Times">Vieät Nam</font>', "vni"),
    ],
)
def test_one_word_needs_a_font_name(word, hinted, font):
    # One converted word is too little evidence ("Meán", "poäng" would pass).
    assert detect_legacy_font(word) is None
    assert detect_legacy_font(hinted) == font


FALSE_POSITIVE_SAMPLES = [
    SENTENCE,
    LONG_SENTENCE,
    "Bao giờ xong? Hòa Bình, Hoà Bình, Gia Thụy, Gia Thuỵ, khuỷu tay, người, quyết, giữa.",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM - Độc lập - Tự do - Hạnh phúc",
    "Có lẽ là nó đó, bà ấy nói thế. Tôi ở đây, còn ông về nhà à?",
    "The quick brown fox jumps over the lazy dog. Copyright © 2021 · All rights reserved®.",
    "Particles of 5 µm and 10 µm; dose 3 µg.",
    "café",
    "Noël",
    "Le café de Noël à Paris était très agréable, où l'on mange des crêpes à la crème.",
    "Où est-il? Le goût et le coût du maïs; la naïveté de Loïc; déjà vu; garçon; hôtel; forêt.",
    "Où? Goût, coût, août, Loïc, maïs, naïf, sûr, dû, mûr.",
    "Não, põe, lições, mãe; søster, København.",
    "Müller aß Käse in Zürich; schön, über, Öl, Ärger, Straße.",
    "El niño y la señora en España; año, mañana, qué, más, sí, tú, José, Perú.",
    "Så är det på Öland; många små hus i Åre.",
    "Meán Fómhair",
    "Meán-Ghaeilge (900-1200)",
    "poäng",
    "Engadindo usuario «%s» ao grupo «%s» ... Niestandardowy %s×%s",
    "E29: Aún no ha insertado texto; Raúl, baúl.",
    "Vi&#7879;t Nam uses font .VnTime and VNI-Times in the CSS, but the text is English.",
    "§ 3 Abs. 2; ¶ 12; « guillemets » ; ½ + ¼ = ¾; 25 °C ± 2; × ÷",
]


@pytest.mark.parametrize("text", FALSE_POSITIVE_SAMPLES)
def test_detect_legacy_font_no_false_positive(text):
    assert detect_legacy_font(text) is None


@pytest.mark.parametrize("seed", SEED_TEXTS, ids=[f"seed{i}" for i in range(len(SEED_TEXTS))])
def test_detect_legacy_font_none_on_real_pages(seed):
    assert detect_legacy_font(seed) is None
    assert detect_legacy_font(unicodedata.normalize("NFD", seed)) is None
    assert detect_legacy_font(seed.upper()) is None


# Real Vietnamese words, each on its own (no context to outvote a mistake).
VOCABULARY = (
    "à á ạ ả ã ấy ở ừ ý ỷ ể là có nó đó bà ấy tôi ông về nhà gì già giữa giếng quà quý quyết "
    "quyền khuya khuỷu người nước được hoà hòa thuỷ thủy khoẻ khỏe hoàng hoạch toán tuần "
    "thuế huệ thuở muốn buồn yến yêu hiểu ngoài xoay chuối rượu khuấy nguyễn huyện xoong "
    "nghiêng đầu tháng năm công tác phòng chống dịch và một số nhiệm vụ trọng tâm"
).split()


@pytest.mark.parametrize("word", VOCABULARY)
def test_single_vietnamese_words_are_not_legacy(word):
    for form in (word, word.capitalize(), word.upper()):
        assert detect_legacy_font(form) is None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY + ["Hà Nội", "Long Biên", "2021", "Covid-19"]), max_size=30))
def test_vietnamese_sentences_are_never_legacy(words):
    assert detect_legacy_font(" ".join(words)) is None


# --- decode_html: the rules --------------------------------------------------------


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin-1", "windows-1252", "us-ascii", '"iso-8859-1"'])
def test_utf8_body_under_latin1_header_is_utf8(label):
    body = f"<p>{WARD}</p>".encode("utf-8")
    decoded = decode_html(body, f"text/html; charset={label}")
    assert decoded.text == f"<p>{WARD}</p>"
    assert decoded.used == "utf-8"
    assert decoded.reason == "utf8-despite-header"
    assert decoded.declared in {"iso-8859-1", "windows-1252", "us-ascii"}


def test_scrapy_way_would_destroy_the_letters():
    # Why the rule exists: cp1252 with errors='replace' loses Đ (0x90) and ờ (0x9D).
    assert "\ufffd" in WARD.encode("utf-8").decode("cp1252", errors="replace")


def test_declared_name_is_normalised():
    body = WARD.encode("utf-8")
    assert decode_html(body, "text/html; charset=latin-1").declared == "iso-8859-1"
    assert decode_html(body, "text/html; charset=UTF8").declared == "utf-8"
    assert decode_html(encode_cp1258(WARD), "text/html; Charset=Windows-1258").declared == "windows-1258"


def test_cp1258_body_under_wrong_utf8_header_is_detected():
    decoded = decode_html(encode_cp1258(SENTENCE), "text/html; charset=utf-8")
    assert decoded == Decoded(SENTENCE, "utf-8", "windows-1258", "detected")


def test_cp1258_declared_comes_back_nfc():
    raw = encode_cp1258("Việt Nam")
    assert b"\xf2" in raw  # the dot below really is a combining byte
    decoded = decode_html(raw, "text/html; charset=windows-1258")
    assert decoded.text == nfc("Việt Nam")
    assert unicodedata.is_normalized("NFC", decoded.text)
    assert (decoded.used, decoded.reason) == ("windows-1258", "declared")


@pytest.mark.parametrize("seed", SEED_TEXTS, ids=[f"seed{i}" for i in range(len(SEED_TEXTS))])
def test_real_cp1258_page_is_not_taken_for_a_legacy_font(seed):
    seed = seed.replace("\ufffd", "?")  # seed 004 ends with a lossy line; cp1258 has no U+FFFD
    declared = decode_html(encode_cp1258(seed), "text/html; charset=windows-1258")
    assert declared.text == nfc(seed)
    assert declared.used == "windows-1258"
    undeclared = decode_html(encode_cp1258(seed))
    assert (undeclared.text, undeclared.used, undeclared.reason) == (nfc(seed), "windows-1258", "detected")


@pytest.mark.parametrize(
    ("bom", "codec", "header"),
    [
        (codecs.BOM_UTF8, "utf-8", "text/html; charset=iso-8859-1"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "text/html; charset=utf-8"),
        (codecs.BOM_UTF16_BE, "utf-16-be", None),
    ],
)
def test_bom_wins(bom, codec, header):
    decoded = decode_html(bom + SENTENCE.encode(codec), header)
    assert decoded.text == SENTENCE
    assert (decoded.used, decoded.reason) == (codec, "bom")


def test_meta_charset_without_header():
    body = b'<html><head><meta charset="windows-1258"></head><body>' + encode_cp1258(WARD) + b"</body></html>"
    decoded = decode_html(body, "text/html")
    assert WARD in decoded.text
    assert decoded == Decoded(decoded.text, "windows-1258", "windows-1258", "meta")


def test_meta_http_equiv_without_header():
    body = (
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
        + encode_cp1258(SENTENCE)
    )
    decoded = decode_html(body, None)
    assert SENTENCE in decoded.text
    assert (decoded.declared, decoded.reason) == ("windows-1258", "meta")


def test_meta_beyond_4096_bytes_is_ignored():
    body = b"<!--" + b" " * 5000 + b'--><meta charset="windows-1258">' + encode_cp1258(WARD)
    decoded = decode_html(body)
    assert decoded.declared is None
    assert WARD in decoded.text and decoded.reason == "detected"


def test_meta_latin1_with_utf8_body():
    body = b'<meta charset="iso-8859-1"><p>' + WARD.encode("utf-8") + b"</p>"
    decoded = decode_html(body)
    assert WARD in decoded.text
    assert (decoded.declared, decoded.used, decoded.reason) == ("iso-8859-1", "utf-8", "utf8-despite-header")


def test_header_beats_meta():
    body = b'<meta charset="windows-1258">' + WARD.encode("utf-8")
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert (decoded.declared, decoded.used, decoded.reason) == ("utf-8", "utf-8", "declared")


def test_wrong_utf8_header_falls_back_to_meta():
    body = b'<meta charset="windows-1258">' + encode_cp1258(SENTENCE)
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert SENTENCE in decoded.text
    assert (decoded.declared, decoded.used, decoded.reason) == ("utf-8", "windows-1258", "detected")


def test_utf8_body_under_windows_1258_header_is_utf8():
    decoded = decode_html(SENTENCE.encode("utf-8"), "text/html; charset=windows-1258")
    assert decoded == Decoded(SENTENCE, "windows-1258", "utf-8", "utf8-despite-header")


def test_unknown_header_label_falls_back_to_meta():
    body = b'<meta charset="windows-1258">' + encode_cp1258(WARD)
    decoded = decode_html(body, "text/html; charset=x-vietnamese")
    assert WARD in decoded.text
    assert (decoded.declared, decoded.used, decoded.reason) == ("x-vietnamese", "windows-1258", "meta")


def test_bom_with_broken_body_is_lossy():
    decoded = decode_html(codecs.BOM_UTF8 + b"Vi\xe1\xbb t", "text/html; charset=utf-8")
    assert (decoded.used, decoded.reason) == ("utf-8", "lossy")
    assert decoded.text.startswith("Vi\ufffd")


def test_undeclared_utf8_is_detected():
    decoded = decode_html(SENTENCE.encode("utf-8"))
    assert decoded == Decoded(SENTENCE, None, "utf-8", "detected")


def test_latin1_page_stays_latin1():
    body = "<p>Le café de Noël à Paris, où l'on mange des crêpes.</p>".encode("latin-1")
    decoded = decode_html(body, "text/html; charset=iso-8859-1")
    assert "café de Noël" in decoded.text
    assert (decoded.used, decoded.reason) == ("cp1252", "declared")
    undeclared = decode_html(body)
    assert "café de Noël" in undeclared.text and undeclared.used == "cp1252"


def test_latin1_label_with_cp1252_holes_keeps_every_byte():
    decoded = decode_html(b"caf\xe9 \x81", "text/html; charset=iso-8859-1")
    assert decoded.text == "café \x81"
    assert decoded.used == "iso-8859-1"


def test_lossy_is_never_silent():
    body = b"Xin ch\xe0o \x81\x8d\x90"  # invalid UTF-8, undefined in cp1252 and windows-1258
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert decoded.reason == "lossy"
    assert decoded.used == "utf-8"
    assert "\ufffd" in decoded.text


@pytest.mark.parametrize("label", ["base64", "rot13", "unicode_escape", "x-no-such-charset", "utf-7"])
def test_unknown_or_non_text_labels_are_ignored(label):
    decoded = decode_html(SENTENCE.encode("utf-8"), f"text/html; charset={label}")
    assert decoded.text == SENTENCE
    assert decoded.used == "utf-8"
    assert decoded.declared == label.lower()


def test_content_type_as_bytes():
    decoded = decode_html(encode_cp1258(WARD), b"text/html; charset=windows-1258")
    assert (decoded.text, decoded.reason) == (WARD, "declared")


# --- decode_html: legacy fonts ---------------------------------------------------------


def test_tcvn3_bytes_under_latin1_header():
    body = b'<font face=".VnTime">' + encode_tcvn3(SENTENCE) + b"</font>"
    decoded = decode_html(body, "text/html; charset=iso-8859-1")
    assert decoded.text == f'<font face=".VnTime">{SENTENCE}</font>'
    assert decoded == Decoded(decoded.text, "iso-8859-1", "tcvn3", "legacy-font-tcvn3")


def test_tcvn3_bytes_under_wrong_utf8_header():
    decoded = decode_html(encode_tcvn3(LONG_SENTENCE), "text/html; charset=utf-8")
    assert decoded == Decoded(LONG_SENTENCE, "utf-8", "tcvn3", "legacy-font-tcvn3")


def test_tcvn3_bytes_under_windows_1258_header():
    decoded = decode_html(encode_tcvn3(LONG_SENTENCE), "text/html; charset=windows-1258")
    assert (decoded.text, decoded.used) == (LONG_SENTENCE, "tcvn3")


def test_tcvn3_characters_saved_as_utf8():
    body = encode_tcvn3_text(SENTENCE).encode("utf-8")  # "ViÖt" typed in a UTF-8 editor
    decoded = decode_html(body, "text/html; charset=utf-8")
    assert decoded == Decoded(SENTENCE, "utf-8", "tcvn3", "legacy-font-tcvn3")


def test_tcvn3_written_as_entities():
    body = b"<p>&sect;&para;ng &ntilde;y ph&shy;&ecirc;ng Th&shy;&icirc;ng Thanh &amp; x&middot;</p>"
    decoded = decode_html(body, "text/html; charset=iso-8859-1")
    assert decoded.text == "<p>Đảng ủy phường Thượng Thanh &amp; xã</p>"
    assert decoded.used == "tcvn3"


def test_vni_bytes_under_latin1_header():
    body = b'<font face="VNI-Times">' + encode_vni(SENTENCE) + b"</font>"
    decoded = decode_html(body, "text/html; charset=iso-8859-1")
    assert SENTENCE in decoded.text
    assert (decoded.used, decoded.reason) == ("vni", "legacy-font-vni")


def test_vni_bytes_without_any_declaration():
    decoded = decode_html(encode_vni(LONG_SENTENCE))
    assert decoded == Decoded(LONG_SENTENCE, None, "vni", "legacy-font-vni")


def test_french_latin1_page_is_not_converted():
    body = "<p>Le café de Noël; où est-il? Le goût, le coût, Loïc.</p>".encode("latin-1")
    for header in ("text/html; charset=iso-8859-1", None):
        assert decode_html(body, header).used == "cp1252"


# --- Fixtures on disk ---------------------------------------------------------------------

FIXTURE_PAGES = sorted(FIXTURES.glob("*.html"))


def test_fixture_pages_exist():
    assert len(FIXTURE_PAGES) >= 3


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda p: p.stem)
def test_fixture_pages(page):
    meta = json.loads(page.with_suffix(".meta.json").read_text(encoding="utf-8"))
    decoded = decode_html(page.read_bytes(), meta["content_type"])
    assert meta["expected_text_contains"] in decoded.text
    assert decoded.used == meta["expected_used"]
    assert decoded.reason == meta["expected_reason"]
    assert "\ufffd" not in decoded.text


# --- Robustness -------------------------------------------------------------------------------

CONTENT_TYPES = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.builds(
        "text/html; charset={}".format,
        st.sampled_from(
            ["utf-8", "iso-8859-1", "windows-1258", "utf-16", "ascii", "base64", "shift_jis", "", "\x00", "utf-8\x00"]
        ),
    ),
)
BODIES = st.one_of(
    st.binary(max_size=600),
    st.builds(
        lambda head, text, tail: head + text.encode("utf-8") + tail,
        st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b'<meta charset="utf-16">']),
        st.text(max_size=100),
        st.binary(max_size=20),
    ),
)


@settings(max_examples=300, deadline=None)
@given(BODIES, CONTENT_TYPES)
def test_decode_html_never_raises(body, content_type):
    decoded = decode_html(body, content_type)
    assert isinstance(decoded.text, str)
    assert unicodedata.is_normalized("NFC", decoded.text)
    assert decoded.reason in REASONS | LEGACY_REASONS
    assert isinstance(decoded.used, str) and decoded.used
    assert decoded.declared is None or isinstance(decoded.declared, str)
    if decoded.reason == "lossy":
        assert decoded.used in {"utf-8", "utf-16-le", "utf-16-be"}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_detect_and_convert_never_raise(text):
    assert detect_legacy_font(text) in (None, "tcvn3", "vni")
    for font in ("tcvn3", "vni"):
        assert unicodedata.is_normalized("NFC", convert_legacy_font(text, font))
