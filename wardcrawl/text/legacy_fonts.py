"""Legacy Vietnamese font encodings: TCVN3/ABC (".VnTime" fonts) and VNI ("VNI-Times").

Old government pages were typed with font encodings, not charsets. Their bytes arrive as
cp1252/latin-1 (or as UTF-8 of those characters) and are converted here with tables
(`convert_legacy_font`) once the text is recognised as such (`detect_legacy_font`).

Recognition works per word: a word votes for a legacy encoding when it is not a Vietnamese
syllable as it stands but becomes one after conversion ("ViÖt" -> "Việt", "Vieät" -> "Việt").
Real Vietnamese, English and French words do not change into syllables that way, which keeps
false positives out (see `_legacy_tally`). Pure functions, standard library only; used by
wardcrawl/text/encoding.py.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from wardcrawl.text.syllables import NFC, TONE_MARKS, is_syllable

TCVN3 = "tcvn3"
VNI = "vni"
LEGACY_FONTS = (TCVN3, VNI)

# WHATWG windows-1252: cp1252 where defined, latin-1 for the 5 holes. Used
# to read bytes as font bytes, exactly as a browser showed them with the font.
FONT_BYTE_TABLE = {b: (bytes([b]).decode("cp1252", "ignore") or chr(b)) for b in range(256)}


def font_byte_view(body: bytes) -> str:
    return "".join(map(FONT_BYTE_TABLE.__getitem__, body))


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
        as_is = is_syllable(word, check_case=True)
        for font in LEGACY_FONTS:
            converted = convert_legacy_font(word, font)
            fixed = converted != word and is_syllable(converted)
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


def detect_font(text: str, hint_text: str) -> str | None:
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
    return detect_font(text, text)


# Named/numeric entities for the font characters ("&sect;", "&#182;"): old
# editors wrote some of them that way. Only those are unescaped, so markup
# (&lt; &amp;) is untouched.
ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
FONT_CHARACTERS = frozenset(TCVN3_TO_UNICODE) | frozenset("".join(VNI_TO_UNICODE))


def unescape_font_entities(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = html.unescape(match.group(0))
        return char if char in FONT_CHARACTERS else match.group(0)

    return ENTITY_RE.sub(replace, text)
