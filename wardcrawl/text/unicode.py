"""Unicode clean-up, mojibake checks and matching keys for Vietnamese text.

Pure functions, standard library + ftfy only. Facts behind the rules are in
/work/shared/reference/text-and-inputs.md (sections Mojibake and Unicode):

* stored text is NFC, with Ð/ð mapped to Đ/đ, Unicode spaces made plain and
  zero-width characters dropped (`normalize_text`, `normalize_inline`);
* repairable mojibake (UTF-8 read as latin-1/cp1252) is fixed with ftfy
  (`repair_mojibake`); lossy mojibake ('?' or U+FFFD in place of letters)
  cannot be repaired and is only detected (`has_lossy_mojibake`);
* stored text is never rewritten for matching: "hòa"/"hoà" and
  "Thụy"/"Thuỵ" are both legitimate, so matching uses separate keys
  (`match_key` keeps vowel marks, `fold_key` drops every mark).
"""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy

__all__ = [
    "normalize_text",
    "normalize_inline",
    "normalize_paragraphs",
    "has_lossy_mojibake",
    "repair_mojibake",
    "may_have_mojibake",
    "label_key",
    "match_key",
    "fold_key",
]

NFC = "NFC"
NFD = "NFD"
REPLACEMENT_CHAR = "\ufffd"

# Icelandic eth looks exactly like Vietnamese Đ and is what some legacy
# converters and keyboards emit; Vietnamese never uses the eth.
ETH_TO_D_STROKE = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})

# Invisible characters that only split words for search and dedup.
ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
ZERO_WIDTH_TABLE = str.maketrans(dict.fromkeys(ZERO_WIDTH_CHARS))

# Line and paragraph separators other than "\n" (CR LF, old Mac CR, NEL,
# Unicode line/paragraph separators, vertical tab, form feed).
CRLF_RE = re.compile(r"\r\n?")
LINE_BREAK_TABLE = str.maketrans(
    {
        "\u0085": "\n",
        "\u2028": "\n",
        "\u2029": "\n\n",
        "\v": "\n",
        "\f": "\n",
    }
)

# Inline spaces are whatever str.split() splits on (str.isspace(): tab, NBSP U+00A0,
# U+202F, U+2007 and the other Unicode space separators), "\n" being split off first.
BLANK_LINES_RE = re.compile(r"\n{3,}")
PARAGRAPH_BREAK = "\n\n"

# Only semicolon-terminated entities: html.unescape alone would also turn
# "&copy" or "&not" inside plain text or a query string into symbols.
HTML_ENTITY_RE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")

# Each clean-up step can expose work for another (an entity may decode to a
# zero-width char or a combining mark; dropping a zero-width char may
# complete an entity), so the pipeline runs to a fixed point. Real text
# settles in one pass; the cap only guards against pathological input.
MAX_NORMALIZE_PASSES = 8
# What can make one pass expose work for the next: zero-width characters (an entity split
# by one) and combining marks an entity may produce next to them.
CASCADE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


# Any character one of the tables above maps, or a carriage return.
CHAR_FIXES_RE = re.compile("[" + re.escape("".join(chr(c) for c in {*ZERO_WIDTH_TABLE, *ETH_TO_D_STROKE,
                                                                    *LINE_BREAK_TABLE, ord("\r")})) + "]")


def _unescape_entities(text: str) -> str:
    """Decode leftover HTML entities, including double-escaped ones (&amp;nbsp;)."""
    while True:
        decoded = HTML_ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
        if decoded == text:
            return text
        text = decoded


def _normalize_chars(text: str) -> str:
    """Character-level clean-up: NFC, entities, zero-width, Ð, line breaks."""
    text = unicodedata.normalize(NFC, text)
    if "&" in text:
        text = _unescape_entities(text)
    if not CHAR_FIXES_RE.search(text):
        return text  # the common case: nothing to map (str.translate walks every character)
    text = text.translate(ZERO_WIDTH_TABLE)
    text = text.translate(ETH_TO_D_STROKE)
    text = CRLF_RE.sub("\n", text)
    return text.translate(LINE_BREAK_TABLE)


def _normalize_layout(text: str) -> str:
    """One space between words, stripped lines, at most one blank line."""
    # " ".join(line.split()) collapses every run of inline spaces (several times faster than a regex).
    # Most text is laid out already: printable (so no whitespace but " ": str.split() splits only on
    # non-printable characters and " "), single-spaced and trimmed. Checking that allocates nothing.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    if "\n" not in text:
        return " ".join(text.split())
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    if "\n\n\n" in text:
        text = BLANK_LINES_RE.sub(PARAGRAPH_BREAK, text)
    return text.strip()


def _normalize_once(text: str) -> str:
    return _normalize_layout(_normalize_chars(text))


def normalize_text(text: str) -> str:
    """Normalize multi-line text (article bodies), keeping paragraph breaks.

    Lines are separated by "\\n" and paragraphs by one blank line "\\n\\n".
    """
    cleaned = _normalize_once(text)
    if "&" not in text and not CASCADE_RE.search(text):
        return cleaned  # without entities or zero-width characters one pass is a fixed point
    for _ in range(MAX_NORMALIZE_PASSES - 1):
        if cleaned == text:
            break
        text, cleaned = cleaned, _normalize_once(cleaned)
    return cleaned


def normalize_paragraphs(paragraphs: list[str]) -> list[str]:
    """``[normalize_text(p) for p in paragraphs]``, with the character checks done once for all.

    Most bodies hold no entity, zero-width character, eth or odd line break: then each paragraph
    needs only NFC and spacing (NFC never creates one of those characters, so checking the raw
    text decides the same)."""
    joined = "\n".join(paragraphs)
    if "&" in joined or CHAR_FIXES_RE.search(joined):
        return [normalize_text(p) for p in paragraphs]
    return [_normalize_layout(unicodedata.normalize(NFC, p)) for p in paragraphs]


def normalize_inline(text: str) -> str:
    """Normalize a one-line value (title, caption, name): newlines become spaces."""
    return " ".join(normalize_text(text).split())  # every whitespace run (newlines too) to one space


# --- Mojibake ---------------------------------------------------------------

LETTER = r"[^\W\d_]"

# '?' with a letter on both sides ("L?y", "b?o"). The next letter must be
# lowercase, which leaves a missing space after a question ("không?Không")
# alone.
QUESTION_MARK_INSIDE_WORD_RE = re.compile(rf"(?<={LETTER})\?({LETTER})")

# '?' opening a word and followed by a letter ("?ng" for "ứng").
QUESTION_MARK_WORD_START_RE = re.compile(rf"(?:^|(?<=[\s(\[{{\"'“‘«]))\?{LETTER}")

# A '?' in a URL, a path or a query string is legitimate: mask such tokens
# before looking for lossy '?' ("http://x.vn/a?b=1", "index.php?id=3").
URL_LIKE_TOKEN_RE = re.compile(
    r"\S*(?:://|www\.)\S*"  # absolute URL or bare www. host
    r"|\S*/\S*\?\S*"  # path followed by a query
    r"|\S*\?[^\s=]*=\S*"  # ?key=value query string
)


def has_lossy_mojibake(text: str) -> bool:
    """True if text lost characters irreparably (U+FFFD, '?' for letters).

    Such text cannot be repaired: drop it (boilerplate) or flag it (content)
    and keep the raw bytes. Legitimate '?' ends a sentence or sits in a URL.
    """
    if REPLACEMENT_CHAR in text:
        return True
    if "?" not in text:
        return False
    # NFC so that a decomposed letter next to '?' still counts as a letter.
    text = unicodedata.normalize(NFC, text)
    # A '?' in a URL-like token does not count. Only the few '?' that look lossy have their token
    # checked (a URL_LIKE_TOKEN_RE pass over a whole body costs more than everything else here).
    return any(_looks_lossy_at(text, pos) and not URL_LIKE_TOKEN_RE.fullmatch(_token_at(text, pos))
               for pos in _question_marks(text))


def _question_marks(text: str):
    pos = text.find("?")
    while pos >= 0:
        yield pos
        pos = text.find("?", pos + 1)


def _looks_lossy_at(text: str, pos: int) -> bool:
    """Whether the '?' at ``pos`` stands for a letter: inside a word before a lowercase letter, or
    opening a word. The patterns are matched at the '?' only (their lookbehinds see before it)."""
    inside = QUESTION_MARK_INSIDE_WORD_RE.match(text, pos)
    return bool(inside and inside.group(1).islower()) or QUESTION_MARK_WORD_START_RE.match(text, pos) is not None


def _token_at(text: str, pos: int) -> str:
    """The whitespace-delimited token around ``text[pos]``."""
    start, end = pos, pos
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


# UTF-8 read as latin-1/cp1252 leaves a lead byte's letter (Ã, Â, Ä, Æ, á, â...) followed by a
# continuation byte's character (U+0080-U+00BF, or the cp1252 letters in 0x80-0x9F): "á»‡", "Ä‘", "Æ°".
UTF8_AS_CP1252 = re.compile("[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                            "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
                            "\u203a\u20ac\u2122]")


def may_have_mojibake(text: str) -> bool:
    """Whether the text shows a trace of UTF-8 misread as latin-1/cp1252 (repair_mojibake does nothing without one)."""
    return UTF8_AS_CP1252.search(text) is not None


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Fix UTF-8 that was decoded as latin-1/cp1252 ("Viá»‡t" -> "Việt").

    Returns (text, changed). Only ftfy's encoding steps run: quotes,
    ligatures, width and normalization are left alone, so clean text comes
    back unchanged. Lossy input (U+FFFD already present) may be only partly
    repaired; check the result with `has_lossy_mojibake`.
    """
    if not may_have_mojibake(text):
        return text, False  # no trace of misread UTF-8: leave ftfy's guesses alone ("Â " is not NBSP)
    fixed = ftfy.fix_encoding(text)
    return fixed, fixed != text


# --- Matching keys ----------------------------------------------------------

# Vietnamese tone marks as combining characters (after NFD) and their digits.
# Vowel-quality marks (circumflex U+0302, breve U+0306, horn U+031B) are not
# listed: they distinguish letters (a/â/ă, o/ô/ơ, u/ư), not tones.
TONE_DIGITS = {
    "\u0301": "1",  # sắc (acute)
    "\u0300": "2",  # huyền (grave)
    "\u0309": "3",  # hỏi (hook above)
    "\u0303": "4",  # ngã (tilde)
    "\u0323": "5",  # nặng (dot below)
}

# A syllable is a run of letters and combining marks (NFD splits marks off). A tone mark and the
# rest of its syllable: what moves when the tone goes to the end (the letters before it stay).
TONE_AND_REST_RE = re.compile(f"([{''.join(TONE_DIGITS)}])((?:{LETTER}|[\u0300-\u036f])*)")
_DROP_TONES = str.maketrans(dict.fromkeys(TONE_DIGITS))


def _tone_to_end(match: re.Match[str]) -> str:
    """'hòa' / 'hoà' (NFD): the tone and what follows it in the syllable -> 'a2': the tone
    leaves the vowel for the end of the syllable, as a digit (several tones: in order)."""
    tone, rest = match.groups()
    bare = rest.translate(_DROP_TONES)
    if len(bare) == len(rest):
        return rest + TONE_DIGITS[tone]
    return bare + TONE_DIGITS[tone] + "".join(TONE_DIGITS[ch] for ch in rest if ch in TONE_DIGITS)


def match_key(text: str) -> str:
    """Key that ignores where the tone mark sits but keeps the tone.

    match_key("Gia Thụy") == match_key("Gia Thuỵ") == "gia thuy5";
    "Hòa Bình" and "Hoa Bình" keep different keys. Punctuation is kept.
    """
    lowered = normalize_inline(text).lower()
    decomposed = unicodedata.normalize(NFD, lowered)
    moved = TONE_AND_REST_RE.sub(_tone_to_end, decomposed)  # the regex skips to tone marks: one per syllable at most
    return unicodedata.normalize(NFC, moved)


def label_key(text: str) -> str:
    """Key for matching page labels ("Từ khóa:", "Lượt xem"): ``match_key`` (NFC, any tone placement,
    no-break and odd spaces made one plain space, lowercase) without the closing colon and spaces.

    label_key("Từ\u00a0khoá :") == label_key("Từ khóa") (decomposed or not)."""
    return match_key(text).rstrip(" :")


class _MarkDropper(dict):
    """str.translate table dropping every combining mark (Unicode category M*), filled as met."""

    def __missing__(self, codepoint: int):
        value = None if unicodedata.category(chr(codepoint)).startswith("M") else codepoint
        self[codepoint] = value
        return value


_DROP_MARKS = _MarkDropper()


def fold_key(text: str) -> str:
    """Diacritic-free key for loose matching: "Đảng ủy" -> "dang uy"."""
    lowered = normalize_inline(text).lower()
    decomposed = unicodedata.normalize(NFD, lowered)
    bare = decomposed.translate(_DROP_MARKS)
    # đ has no decomposition (the stroke is part of the letter).
    return unicodedata.normalize(NFC, bare.replace("đ", "d"))
