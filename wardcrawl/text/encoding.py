"""Decode raw HTML bytes robustly, and convert legacy Vietnamese font encodings.

Pure functions, standard library only. Facts behind the rules are in
/work/shared/reference/text-and-inputs.md ("How Scrapy picks a response's
encoding", "Mojibake", "Unicode"):

* Scrapy maps ascii/latin-1/iso-8859-1 to cp1252 decoded with
  errors='replace', which destroys UTF-8 "Đ", "ề", "ọ", ... when a server
  wrongly says latin-1. `decode_html` re-decodes from the raw bytes: a body
  that is valid UTF-8 with non-ASCII bytes is UTF-8 whatever a single-byte
  label says (random single-byte text is practically never valid UTF-8).
* windows-1258 spells tones as combining marks: the result is always NFC.
* Old government pages were typed with font encodings, not charsets:
  TCVN3/ABC (".VnTime" fonts) and VNI ("VNI-Times"). Their bytes arrive
  as cp1252/latin-1 (or as UTF-8 of those characters) and are converted
  here with tables (`convert_legacy_font`) once the text is recognised as
  such (`detect_legacy_font`).

Recognition works per word: a word votes for a legacy encoding when it is
not a Vietnamese syllable as it stands but becomes one after conversion
("ViÖt" -> "Việt", "Vieät" -> "Việt"). Real Vietnamese, English and French
words do not change into syllables that way, which keeps false positives
out (see `_legacy_tally`).
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "Decoded",
    "decode_html",
    "detect_legacy_font",
    "convert_legacy_font",
    "TCVN3",
    "VNI",
]

NFC = "NFC"
TCVN3 = "tcvn3"
VNI = "vni"
LEGACY_FONTS = (TCVN3, VNI)

# --- Reasons (Decoded.reason) ----------------------------------------------

REASON_DECLARED = "declared"  # the Content-Type charset decoded the body strictly
REASON_BOM = "bom"  # a byte-order mark chose the codec
REASON_UTF8_DESPITE_HEADER = "utf8-despite-header"  # single-byte label, UTF-8 body
REASON_META = "meta"  # no header charset; <meta>/<?xml?> decoded the body strictly
REASON_DETECTED = "detected"  # no usable declaration: chosen by validity and score
REASON_LOSSY = "lossy"  # nothing decoded strictly: UTF-8 with U+FFFD
LEGACY_REASON_PREFIX = "legacy-font-"  # + "tcvn3" / "vni"


@dataclass(frozen=True)
class Decoded:
    text: str  # NFC text
    declared: str | None  # header charset, else <meta> charset; normalised label
    used: str  # codec used ("utf-8", "windows-1258", "cp1252", ...) or "tcvn3"/"vni"
    reason: str  # one of the REASON_* words above, or "legacy-font-<font>"


# --- Charset labels --------------------------------------------------------

UTF8 = "utf-8"
CP1252 = "cp1252"
CP1258 = "cp1258"
LATIN1 = "iso8859-1"  # Python's canonical name for latin-1

# Python canonical codec names accepted from a header or <meta>: the
# encodings a web page can really be in. An allowlist, because
# codecs.lookup also knows "base64", "rot13", "unicode_escape", "idna", ...
WEB_CODECS = frozenset(
    {
        "utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "iso8859-1",
        "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256",
        "cp1257", "cp1258", "cp874", "cp866", "koi8-r", "koi8-u", "mac-roman",
        "tis-620", "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "shift_jis",
        "cp932", "euc_jp", "iso2022_jp", "euc_kr", "cp949",
        *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16)),
    }
)
UNICODE_CODECS = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be"})

# Labels that browsers (and Scrapy) read as cp1252: a UTF-8 body under one
# of these is the wrong-header case the reference describes.
LATIN1_FAMILY = frozenset({"ascii", "iso8859-1", "cp1252"})

# One byte per character: bytes seen through these codecs can be re-read
# as font bytes (TCVN3/VNI), and valid UTF-8 under them is a wrong label.
SINGLE_BYTE_CODECS = frozenset(
    {name for name in WEB_CODECS if name.startswith(("cp12", "iso8859-", "koi8-"))}
    | {"ascii", "cp874", "cp866", "mac-roman", "tis-620"}
)

# Codecs whose pages may hold font bytes (TCVN3/VNI) read as characters.
FONT_VIEW_CODECS = LATIN1_FAMILY | {"cp1258"}

# Names reported in Decoded.declared/used, where they differ from Python's.
PREFERRED_NAMES = {"ascii": "us-ascii", "iso8859-1": "iso-8859-1", CP1258: "windows-1258"}
CP_WINDOWS_RE = re.compile(r"cp(125\d)")
ISO8859_RE = re.compile(r"iso8859-(\d+)")

# Header charset: `charset=utf-8`, `charset="UTF-8"`.
HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:+-]+)""", re.IGNORECASE)

# <meta charset="..."> and <meta http-equiv="Content-Type" content="...; charset=...">
# within the first 4096 bytes (as browsers and Scrapy look), or an XML declaration.
META_SCAN_BYTES = 4096
META_CHARSET_RE = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:+-]+)""", re.IGNORECASE
)
XML_ENCODING_RE = re.compile(
    rb"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:+-]+)""", re.IGNORECASE
)

# Byte-order marks, as the WHATWG encoding standard sniffs them (no UTF-32).
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _codec_name(label: str | None) -> str | None:
    """Python canonical codec name for a label, or None if not a web codec."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return name if name in WEB_CODECS else None


def _preferred_name(codec: str) -> str:
    """Report names: "windows-1258", "iso-8859-1", "utf-8"; cp1252 stays "cp1252"."""
    if codec in PREFERRED_NAMES:
        return PREFERRED_NAMES[codec]
    iso = ISO8859_RE.fullmatch(codec)
    if iso:
        return f"iso-8859-{iso.group(1)}"
    return codec.replace("_", "-")


def _normalise_label(label: str) -> str:
    """Declared label as a stable name; an unknown label is kept, lower-cased."""
    codec = _codec_name(label)
    if codec is None:
        return label.lower()
    windows = CP_WINDOWS_RE.fullmatch(codec)
    if windows:
        return f"windows-{windows.group(1)}"
    return _preferred_name(codec)


def _header_charset(content_type: str | bytes | None) -> str | None:
    if not content_type:
        return None
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    match = HEADER_CHARSET_RE.search(content_type)
    return match.group(1) if match else None


def _meta_charset(body: bytes) -> str | None:
    head = body[:META_SCAN_BYTES]
    match = XML_ENCODING_RE.search(head) or META_CHARSET_RE.search(head)
    return match.group(1).decode("ascii") if match else None


def declared_charset(body: bytes, content_type: str | bytes | None) -> tuple[str | None, str | None]:
    """(the declared charset, named as ``decode_html`` reports it; where: "header" or "meta"),
    (None, None) when the page declares none. The header wins over the page."""
    header = _header_charset(content_type)
    label = header or _meta_charset(body)
    if not label:
        return None, None
    return _normalise_label(label), ("header" if header else "meta")


def _meta_codec(label: str | None) -> str | None:
    """A <meta> that says UTF-16 was read as ASCII, so it means UTF-8 (WHATWG)."""
    codec = _codec_name(label)
    return UTF8 if codec in UNICODE_CODECS else codec


# --- Strict decoding helpers ----------------------------------------------


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        return None


def _is_utf8_with_non_ascii(body: bytes) -> bool:
    return not body.isascii() and _strict(body, UTF8) is not None


# A well-formed UTF-8 multi-byte sequence (RFC 3629).
UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                              rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}"
                              rb"|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}")
MOSTLY_UTF8_MIN_SEQUENCES = 20
MOSTLY_UTF8_MAX_STRAY = 0.05  # stray non-ASCII bytes per well-formed sequence


def _stray_bytes_utf8(body: bytes) -> tuple[str, str, str, bytes]:
    """UTF-8 with a few stray bytes (a widget in another charset, a damaged page): read in any other
    charset, every Vietnamese letter of it would be mojibake. The stray bytes become U+FFFD."""
    return body.decode(UTF8, "replace"), UTF8, REASON_LOSSY, body


def _mostly_utf8(body: bytes) -> bool:
    """Whether a body that is not valid UTF-8 is UTF-8 all the same, but for a few stray bytes:
    many well-formed multi-byte sequences, few non-ASCII bytes outside them. Text in a single-byte
    charset (cp1252, windows-1258) forms almost no such sequences."""
    sequences = UTF8_SEQUENCE_RE.findall(body)
    if len(sequences) < MOSTLY_UTF8_MIN_SEQUENCES:
        return False
    high = len(body) - len(body.translate(None, bytes(range(128, 256))))
    stray = high - sum(map(len, sequences))
    return stray <= MOSTLY_UTF8_MAX_STRAY * len(sequences)


def _decode_latin1_family(body: bytes) -> tuple[str, str]:
    """What browsers do with latin-1/ascii/cp1252 labels, without losing bytes.

    cp1252 first; the five bytes cp1252 leaves undefined make it fall back to
    latin-1, which maps every byte.
    """
    text = _strict(body, CP1252)
    if text is not None:
        return text, CP1252
    return body.decode(LATIN1), LATIN1


# WHATWG windows-1252: cp1252 where defined, latin-1 for the 5 holes. Used
# to read bytes as font bytes, exactly as a browser showed them with the font.
FONT_BYTE_TABLE = {b: (bytes([b]).decode(CP1252, "ignore") or chr(b)) for b in range(256)}


def _font_byte_view(body: bytes) -> str:
    return "".join(map(FONT_BYTE_TABLE.__getitem__, body))


# --- Vietnamese syllables (plausibility) ------------------------------------

# Tone marks in the order used by every table below: none, huyền (grave),
# sắc (acute), hỏi (hook above), ngã (tilde), nặng (dot below).
TONE_MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
NO_TONE = 0
VOWELS = "aăâeêioôơuưy"  # the 12 vowel letters; each takes any of the 5 tones

# Every toned vowel, lower and upper case -> (toneless lower-case vowel, tone).
TONED_VOWELS = {
    unicodedata.normalize(NFC, cased + mark): (vowel, tone)
    for vowel in VOWELS
    for cased in (vowel, vowel.upper())
    for tone, mark in enumerate(TONE_MARKS)
    if tone != NO_TONE
}
PLAIN_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzăâđêôơư")

INITIALS = sorted(
    # No bare "p": it starts only loanwords ("pin"), and Swedish "poäng" read
    # as VNI would otherwise pass as a syllable.
    "b c ch d đ g gh gi h k kh l m n ng ngh nh ph qu r s t th tr v x".split() + [""],
    key=len,
    reverse=True,
)
FINALS = ("", "c", "ch", "m", "n", "ng", "nh", "p", "t")

# Vowel nuclei -> tone positions allowed (index in the nucleus) without and
# with a final consonant; None = that shape does not occur. Both the
# traditional ("hòa", "thủy") and the reformed ("hoà", "thuỷ") placements
# are valid. Placement is what tells "các" from VNI's "caùc" (tone on u).
FIRST = (0,)
SECOND = (1,)
THIRD = (2,)
EITHER = (0, 1)
NUCLEI: dict[str, tuple[tuple[int, ...] | None, tuple[int, ...] | None]] = {
    **{v: (FIRST, FIRST) for v in VOWELS},
    # Falling diphthongs end in a semivowel: no final consonant, tone on the first.
    **{n: (FIRST, None) for n in "ai ao au ay âu ây eo êu iu oi ôi ơi ui ưi ưu ia ua ưa".split()},
    **{n: (EITHER, SECOND) for n in ("oa", "oe", "uy")},
    **{n: (SECOND, SECOND) for n in ("oă", "uâ", "uê", "uơ", "iê", "yê", "uô", "ươ", "oo")},
    **{n: (SECOND, None) for n in "iêu yêu oai oay oao oeo uôi ươi ươu uây uya uyu".split()},
    "uyê": (THIRD, THIRD),
}


def _split_tones(word: str) -> tuple[str, list[int]] | None:
    """Lower-case toneless spelling and the positions carrying a tone."""
    base: list[str] = []
    toned: list[int] = []
    for index, ch in enumerate(word.lower()):
        if ch in TONED_VOWELS:
            base.append(TONED_VOWELS[ch][0])
            toned.append(index)
        elif ch in PLAIN_LETTERS:
            base.append(ch)
        else:
            return None
    return "".join(base), toned


def _rhyme_ok(rest: str, tone_at: int | None) -> bool:
    for final in FINALS:
        if final and not rest.endswith(final):
            continue
        nucleus = rest[: len(rest) - len(final)]
        allowed = NUCLEI.get(nucleus, (None, None))[1 if final else 0]
        if allowed is not None and (tone_at is None or tone_at in allowed):
            return True
    return False


def _is_syllable(word: str, check_case: bool = False) -> bool:
    """True for a well-formed Vietnamese syllable ("Việt", "người", "thuỷ").

    check_case also requires "việt", "Việt" or "VIỆT" shapes, so a legacy
    word such as "ViÖt" does not pass as Unicode by luck.
    """
    if check_case and not (word.islower() or word.isupper() or word.istitle()):
        return False
    split = _split_tones(word)
    if split is None or len(split[1]) > 1:
        return False
    base, toned = split
    for initial in INITIALS:
        if base.startswith(initial):
            tone_at = toned[0] - len(initial) if toned else None
            if (tone_at is None or tone_at >= 0) and _rhyme_ok(base[len(initial):], tone_at):
                return True
    return False


# --- TCVN3 (TCVN 5712:1993 VN3, the ABC font encoding) -----------------------
#
# One byte per letter. Rows give the letter with tones none, huyền, sắc,
# hỏi, ngã, nặng (TONE_MARKS order) as cp1252/latin-1 bytes; checked
# against glibc's TCVN5712-1 (VN1), which uses the same positions for them.
# Limits: VN3 has only 7 capitals (Ă Â Ê Ô Ơ Ư Đ). The other capitals with
# marks were drawn with a second font (".VnTimeH") that shows the
# lower-case codes as capitals, so such text converts to lower case. VN1's
# extra capitals that sit in 0xA0-0xFF are converted too; those in
# 0x01-0x1F and 0x80-0x9F are not, since those bytes are Windows
# punctuation (’ “ ” – …) in the fonts and on the pages.
TCVN3_ROWS = {
    "a": b"a\xb5\xb8\xb6\xb7\xb9",
    "ă": b"\xa8\xbb\xbe\xbc\xbd\xc6",
    "â": b"\xa9\xc7\xca\xc8\xc9\xcb",
    "e": b"e\xcc\xd0\xce\xcf\xd1",
    "ê": b"\xaa\xd2\xd5\xd3\xd4\xd6",
    "i": b"i\xd7\xdd\xd8\xdc\xde",
    "o": b"o\xdf\xe3\xe1\xe2\xe4",
    "ô": b"\xab\xe5\xe8\xe6\xe7\xe9",
    "ơ": b"\xac\xea\xed\xeb\xec\xee",
    "u": b"u\xef\xf3\xf1\xf2\xf4",
    "ư": b"\xad\xf5\xf8\xf6\xf7\xf9",
    "y": b"y\xfa\xfd\xfb\xfc\xfe",
}
TCVN3_SINGLES = {
    "đ": 0xAE,
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    # VN1 capitals in the upper half (not in VN3 proper, harmless to read).
    "Ằ": 0xAF, "Ẳ": 0xBA, "Ẵ": 0xBF, "Ắ": 0xC0, "Ầ": 0xC1, "Ẩ": 0xC2, "Ẫ": 0xC3,
    "Ấ": 0xC4, "Ề": 0xC5, "Ể": 0xCD, "Ễ": 0xD9, "Ế": 0xDA, "Ồ": 0xDB, "Ổ": 0xE0,
    "Ỗ": 0xF0, "Ố": 0xFF,
}


def _build_tcvn3() -> dict[str, str]:
    table: dict[str, str] = {}
    for vowel, row in TCVN3_ROWS.items():
        for tone, byte in enumerate(row):
            letter = unicodedata.normalize(NFC, vowel + TONE_MARKS[tone])
            if byte >= 0x80:  # plain ASCII vowels stay as they are
                table[FONT_BYTE_TABLE[byte]] = letter
    for letter, byte in TCVN3_SINGLES.items():
        table[FONT_BYTE_TABLE[byte]] = letter
    return table


TCVN3_TO_UNICODE = _build_tcvn3()
TCVN3_TRANSLATION = str.maketrans(TCVN3_TO_UNICODE)

# --- VNI (VNI-Windows, "VNI-Times" fonts) -------------------------------------
#
# A letter is its ASCII base plus one trailing mark character, or a single
# character for ơ ư đ and the toned i ("Vieät" = Việt, "Ñaûng" = Đảng).
# Capitals use the upper-case marks ("VIEÄT"). Rows are in TONE_MARKS order.
VNI_TONES = ("", "ø", "ù", "û", "õ", "ï")  # plain vowel + tone
VNI_CIRCUMFLEX = ("â", "à", "á", "å", "ã", "ä")  # â ê ô + tone
VNI_BREVE = ("ê", "è", "é", "ú", "ü", "ë")  # ă + tone
VNI_ROWS = {
    "a": ["a" + m for m in VNI_TONES],
    "ă": ["a" + m for m in VNI_BREVE],
    "â": ["a" + m for m in VNI_CIRCUMFLEX],
    "e": ["e" + m for m in VNI_TONES],
    "ê": ["e" + m for m in VNI_CIRCUMFLEX],
    "i": ["i", "ì", "í", "æ", "ó", "ò"],
    "o": ["o" + m for m in VNI_TONES],
    "ô": ["o" + m for m in VNI_CIRCUMFLEX],
    "ơ": ["ô" + m for m in VNI_TONES],
    "u": ["u" + m for m in VNI_TONES],
    "ư": ["ö" + m for m in VNI_TONES],
    "y": ["y", "yø", "yù", "yû", "yõ", "î"],  # ỵ is one character
}
VNI_D_STROKE = "ñ"


def _build_vni() -> dict[str, str]:
    """VNI sequence -> letter, both cases, marks read in either case."""
    pairs = [(VNI_D_STROKE, "đ")]
    for vowel, row in VNI_ROWS.items():
        for tone, sequence in enumerate(row):
            pairs.append((sequence, unicodedata.normalize(NFC, vowel + TONE_MARKS[tone])))
    table: dict[str, str] = {}
    for sequence, letter in pairs:
        if sequence.isascii():
            continue
        # The base letter decides the case; pages mix mark case ("AÙ", "Aù").
        for base in (sequence[0].lower(), sequence[0].upper()):
            upper = base.isupper()
            for mark in {sequence[1:].lower(), sequence[1:].upper()}:
                table[base + mark] = letter.upper() if upper else letter
    return table


VNI_TO_UNICODE = _build_vni()
# Longest first, so "ôù" (ớ) wins over "ô" (ơ) and "aâ" (â) over "a".
VNI_RE = re.compile("|".join(sorted(map(re.escape, VNI_TO_UNICODE), key=len, reverse=True)))


def convert_legacy_font(text: str, encoding: str) -> str:
    """TCVN3 ("tcvn3") or VNI ("vni") text -> Unicode NFC Vietnamese.

    The text must show each font byte as its cp1252/latin-1 character (how
    such pages decode: "§¶ng", "Ñaûng"). Characters that are not part of the
    font's letters (ASCII, markup, punctuation) are left alone.
    """
    if encoding == TCVN3:
        converted = text.translate(TCVN3_TRANSLATION)
    elif encoding == VNI:
        converted = VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text)
    else:
        raise ValueError(f"unknown legacy font encoding: {encoding!r}")
    return unicodedata.normalize(NFC, converted)


# --- Legacy font detection ------------------------------------------------------

# Words: letters plus the non-letter characters TCVN3 uses for letters
# (§ ¶ ¸ ­ ® ...), so "§¶ng" and "ph­êng" stay one word each.
TCVN3_SYMBOLS = "".join(sorted(ch for ch in TCVN3_TO_UNICODE if not ch.isalpha()))
TCVN3_D_STROKES = "\xa7\xae"  # § Đ and ® đ: start many TCVN3 words, no Western ones
# Never between two letters in Western text: the symbols, plus ª µ º, which
# Unicode calls letters ("tªn" = tên, "lµm" = làm).
TCVN3_INNER_MARKERS = frozenset(TCVN3_SYMBOLS + "\xaa\xb5\xba")
WORD_RE = re.compile(rf"(?:[^\W\d_]|[{re.escape(TCVN3_SYMBOLS)}])+")

# Shapes that never occur in English/French/German/Spanish words but are
# typical of the font encodings ("strong" words). At least one is needed:
# ordinary words alone ("où", "goût", "Loïc" read as VNI ó, gỏt, Lọc) never
# make a page legacy.
#  TCVN3: a font symbol or ª µ º between letters ("Th©n", "lµm"; not at
#  the edges, where «quotes» and "%s×%s" put them), § or ® starting a word
#  ("§¶ng", "®ång"), or a capital with marks after a lower-case letter
#  ("ViÖt", "chÝ").
#  VNI: a vowel + huyền/ngã mark ("laøm", "Vuõ"), a/e/o + circumflex mark
#  ("Vieät", "Thaân"), a + breve mark but ú ("aê"; Spanish "aún" reads
#  as ẳn), ơ/ư + tone mark ("vôùi"). The sắc/hỏi/nặng marks ù û ï after a
#  plain vowel ("où", "goût", "Loïc"), ñ (Spanish) and the one-character
#  toned i are ordinary.
VNI_STRONG_RE = re.compile(
    r"[aeiouyAEIOUY][øõØÕ]|[aeoAEO][âàáåãäÂÀÁÅÃÄ]|[aA][êèéüëÊÈÉÜË]|[ôöÔÖ][øùûõïØÙÛÕÏ]"
)
STRONG_VOTE = 2
WEAK_VOTE = 1

# Font names in CSS / <font face>, and charset labels, that name a font encoding.
FONT_HINTS = {
    TCVN3: re.compile(r"\.Vn[A-Z]|\btcvn-?3\b", re.IGNORECASE),
    VNI: re.compile(r"\bVNI[- ][A-Za-z]|\bvni-win", re.IGNORECASE),
}

MIN_VOTES = 2  # distinct words: one word alone ("Meán", "poäng") proves nothing
MIN_STRONG_WORDS = 1
MIN_SHARE = 0.5  # of the distinct, unambiguous non-ASCII words vote for the font...
MIN_SHARE_WITH_HINT = 0.25  # ...or fewer when a font name is on the page
DETECT_SAMPLE_CHARS = 200_000  # enough of a page to judge; keeps big pages fast


def _is_strong(word: str, font: str) -> bool:
    if font == VNI:
        return VNI_STRONG_RE.search(word) is not None
    inner = word[1:-1]
    if any(ch in TCVN3_INNER_MARKERS for ch in inner) or word[0] in TCVN3_D_STROKES:
        return True
    return any(a.islower() and b.isupper() and not b.isascii() for a, b in zip(word, word[1:]))


def _counter() -> dict[str, int]:
    return dict.fromkeys(LEGACY_FONTS, 0)


@dataclass
class _Tally:
    """Distinct non-ASCII words, sorted per font by what the font does to them."""

    votes: dict[str, int] = field(default_factory=_counter)  # the font fixes them
    strong: dict[str, int] = field(default_factory=_counter)  # ...with a font-only shape
    scores: dict[str, int] = field(default_factory=_counter)  # votes weighted
    unicode: dict[str, int] = field(default_factory=_counter)  # Vietnamese as they are
    ambiguous: dict[str, int] = field(default_factory=_counter)  # both ("thóc"/"thúc")
    unexplained: dict[str, int] = field(default_factory=_counter)  # neither


def _legacy_tally(text: str) -> _Tally:
    """A repeated word ("µm", "où") counts once: it is one piece of evidence."""
    tally = _Tally()
    for word in set(WORD_RE.findall(text[:DETECT_SAMPLE_CHARS])):
        if word.isascii() or (len(word) == 1 and not word.isalpha()):
            continue  # "·", "©" alone are punctuation, not words
        as_is = _is_syllable(word, check_case=True)
        for font in LEGACY_FONTS:
            converted = convert_legacy_font(word, font)
            fixed = converted != word and _is_syllable(converted)
            if fixed and not as_is:
                strong = _is_strong(word, font)
                tally.votes[font] += 1
                tally.strong[font] += strong
                tally.scores[font] += STRONG_VOTE if strong else WEAK_VOTE
            elif fixed:
                tally.ambiguous[font] += 1
            elif as_is:
                tally.unicode[font] += 1
            else:
                tally.unexplained[font] += 1
    return tally


def _detect_font(text: str, hint_text: str) -> str | None:
    tally = _legacy_tally(unicodedata.normalize(NFC, text))
    best = max(LEGACY_FONTS, key=lambda font: tally.scores[font])
    other = next(font for font in LEGACY_FONTS if font != best)
    votes = tally.votes[best]
    against = (tally.unicode[best], tally.unexplained[best])
    hinted = FONT_HINTS[best].search(hint_text) is not None
    share = MIN_SHARE_WITH_HINT if hinted else MIN_SHARE
    if (
        (hinted or (tally.strong[best] >= MIN_STRONG_WORDS and votes >= MIN_VOTES))
        and tally.scores[best] > tally.scores[other]
        and all(votes > count for count in against)
        and votes >= share * (votes + sum(against))
    ):
        return best
    return None


def detect_legacy_font(text: str) -> str | None:
    """"tcvn3", "vni" or None for already-decoded text.

    A font wins when the words its conversion turns into Vietnamese
    syllables outscore the other font, outnumber both the words that only
    Unicode explains and the words nothing explains ("Meán Fómhair"), make
    up a large share of the non-ASCII words that are not ambiguous ("thóc"
    is Unicode thóc and TCVN3 thúc), number at least two, and include a
    word of a shape only that font produces. A font name on the page
    (".VnTime", "VNI-Times") stands in for the last two conditions and
    lowers the share needed; it never replaces the converted words.
    """
    return _detect_font(text, text)


# Named/numeric entities for the font characters ("&sect;", "&#182;"): old
# editors wrote some of them that way. Only those are unescaped, so markup
# (&lt; &amp;) is untouched.
ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
FONT_CHARACTERS = frozenset(TCVN3_TO_UNICODE) | frozenset("".join(VNI_TO_UNICODE))


def _unescape_font_entities(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = html.unescape(match.group(0))
        return char if char in FONT_CHARACTERS else match.group(0)

    return ENTITY_RE.sub(replace, text)


# --- Choosing a codec ------------------------------------------------------------

SCORE_SAMPLE_CHARS = 100_000
# Letters outside Latin-1 that Vietnamese uses: what windows-1258 adds.
VIETNAMESE_ONLY_RE = re.compile("[ăđĩũơưĂĐĨŨƠƯ\u1ea0-\u1ef9]")
MIN_CP1258_WORDS = 2  # distinct words with such letters...
MIN_CP1258_SHARE = 0.8  # ...that are mostly well-formed syllables
# Characters a real page does not contain: C0 controls (bar tab/newlines),
# C1 controls (bytes cp1252 leaves undefined, read through latin-1), U+FFFD,
# and combining marks left over after NFC: windows-1258 read on a French or
# Italian page turns "ò" into a dot below that no letter takes ("C̣rni").
NOISE_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\u0300-\u036f]")


def _vietnamese_score(text: str) -> int:
    """Well-formed Vietnamese words minus broken ones and noise."""
    sample = unicodedata.normalize(NFC, text[:SCORE_SAMPLE_CHARS])
    score = 0
    for word in WORD_RE.findall(sample):
        if not word.isascii():
            score += 1 if _is_syllable(word) else -1
    return score - len(NOISE_RE.findall(sample))


def _reads_as_vietnamese(text: str) -> bool:
    """Words with letters only Vietnamese uses (ă, ơ, ư, đ, ạ, ả, ...) are
    mostly syllables, and at least two differ. windows-1258 read on an
    Italian page makes "Ciò" a syllable ("Cị") but "però" no ("perọ")."""
    sample = unicodedata.normalize(NFC, text[:SCORE_SAMPLE_CHARS])
    words = {w.lower() for w in WORD_RE.findall(sample) if VIETNAMESE_ONLY_RE.search(w)}
    good = sum(map(_is_syllable, words))
    return good >= MIN_CP1258_WORDS and good >= MIN_CP1258_SHARE * len(words)


def _pick_by_score(body: bytes, candidates: list[str]) -> tuple[str, str] | None:
    """Best strict decoding among candidates (earlier wins ties); windows-1258
    also has to read as Vietnamese, or it only counts when nothing else decodes."""
    decoded = [(text, codec) for codec in dict.fromkeys(candidates) if (text := _strict(body, codec)) is not None]
    if not decoded:
        return None

    def rank(item: tuple[str, str]) -> tuple[bool, int]:
        text, codec = item
        return codec != CP1258 or _reads_as_vietnamese(text), _vietnamese_score(text)

    return max(decoded, key=rank)  # max keeps the first of equals


def _decode_declared(body: bytes, codec: str) -> tuple[str, str] | None:
    if codec in LATIN1_FAMILY:
        return _decode_latin1_family(body)
    text = _strict(body, codec)
    return None if text is None else (text, codec)


def _decode_bytes(
    body: bytes, header_codec: str | None, meta_codec: str | None, declared: bool
) -> tuple[str, str, str, bytes]:
    """(text, codec, reason, bytes decoded) before legacy-font handling."""
    for bom, codec in BOMS:
        if body.startswith(bom):
            payload = body[len(bom):]
            text = _strict(payload, codec)
            if text is not None:
                return text, codec, REASON_BOM, payload
            return payload.decode(codec, "replace"), codec, REASON_LOSSY, payload

    primary, primary_reason = (header_codec, REASON_DECLARED) if header_codec else (meta_codec, REASON_META)
    if primary is None or primary in SINGLE_BYTE_CODECS:
        if _is_utf8_with_non_ascii(body):
            reason = REASON_UTF8_DESPITE_HEADER if declared else REASON_DETECTED
            return body.decode(UTF8), UTF8, reason, body
        if not body.isascii() and _mostly_utf8(body):  # (not valid UTF-8: checked just above)
            return _stray_bytes_utf8(body)
    if primary is not None:
        decoded = _decode_declared(body, primary)
        if decoded is not None:
            return decoded[0], decoded[1], primary_reason, body
        if primary == UTF8 and _mostly_utf8(body):
            return _stray_bytes_utf8(body)

    # The declaration is missing or wrong: try what Vietnamese pages use.
    # cp1252 goes before windows-1258 so that windows-1258 must score higher
    # (it does whenever its combining tones build real syllables); on plain
    # Western text both give the same characters.
    candidates = [c for c in (meta_codec, UTF8, CP1252, CP1258) if c and c != primary]
    picked = _pick_by_score(body, candidates)
    if picked is not None:
        return picked[0], picked[1], REASON_DETECTED, body
    return body.decode(UTF8, "replace"), UTF8, REASON_LOSSY, body


def decode_html(body: bytes, content_type: str | bytes | None = None) -> Decoded:
    """Decode a page from its raw bytes and Content-Type header value.

    Order: BOM; a UTF-8 body under a single-byte (or missing) label; the
    header charset, else the <meta> charset; when those fail, the best of
    <meta>, UTF-8, cp1252 and windows-1258 by strict validity and Vietnamese
    plausibility ("detected"); when nothing decodes strictly, UTF-8 (or the
    BOM's codec) with U+FFFD ("lossy"). A valid UTF-8 body with no declaration at all is
    "detected". Then text in a legacy font encoding is converted
    ("legacy-font-tcvn3"/"legacy-font-vni"). The text is always NFC.
    """
    body = bytes(body)
    header_label = _header_charset(content_type)
    meta_label = _meta_charset(body)
    declared_label = header_label or meta_label
    declared = _normalise_label(declared_label) if declared_label else None
    text, codec, reason, payload = _decode_bytes(
        body, _codec_name(header_label), _meta_codec(meta_label), declared is not None
    )

    text = unicodedata.normalize(NFC, text)
    if reason != REASON_LOSSY:
        legacy = _convert_if_legacy(text, codec, payload, declared)
        if legacy is not None:
            return Decoded(legacy[0], declared, legacy[1], LEGACY_REASON_PREFIX + legacy[1])
    return Decoded(text, declared, _preferred_name(codec), reason)


def _convert_if_legacy(text: str, codec: str, payload: bytes, declared: str | None) -> tuple[str, str] | None:
    """(converted text, font) when the page is in a legacy font encoding."""
    # Font bytes are bytes: re-read latin-1/cp1252/windows-1258 pages as
    # cp1252 font bytes (windows-1258 turns some of them into combining marks).
    view = _font_byte_view(payload) if codec in FONT_VIEW_CODECS else text
    view = _unescape_font_entities(view)
    font = _detect_font(view, f"{view} {declared or ''}")
    if font is None:
        return None
    converted = convert_legacy_font(view, font)
    # Last guard: the conversion must read as better Vietnamese than the
    # ordinary decoding (a real windows-1258 page read as font bytes does not).
    if _vietnamese_score(converted) <= _vietnamese_score(text):
        return None
    return converted, font
