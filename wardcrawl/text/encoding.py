"""Decode raw HTML bytes robustly, converting pages typed in legacy Vietnamese font encodings.

Pure functions, standard library only. Facts behind the rules are in
/work/shared/reference/text-and-inputs.md ("How Scrapy picks a response's
encoding", "Mojibake", "Unicode"):

* Scrapy maps ascii/latin-1/iso-8859-1 to cp1252 decoded with
  errors='replace', which destroys UTF-8 "Đ", "ề", "ọ", ... when a server
  wrongly says latin-1. `decode_html` re-decodes from the raw bytes: a body
  that is valid UTF-8 with non-ASCII bytes is UTF-8 whatever a single-byte
  label says (random single-byte text is practically never valid UTF-8).
* windows-1258 spells tones as combining marks: the result is always NFC.
* Old government pages were typed with font encodings, not charsets
  (TCVN3/ABC, VNI): recognised and converted by wardcrawl/text/legacy_fonts.py.
  Candidate decodings are judged by how well they read as Vietnamese
  syllables (wardcrawl/text/syllables.py).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from wardcrawl.text.legacy_fonts import (
    WORD_RE, convert_legacy_font, detect_font, font_byte_view, unescape_font_entities,
)
from wardcrawl.text.syllables import NFC, is_syllable

__all__ = ["Decoded", "decode_html", "declared_charset"]

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
            score += 1 if is_syllable(word) else -1
    return score - len(NOISE_RE.findall(sample))


def _reads_as_vietnamese(text: str) -> bool:
    """Words with letters only Vietnamese uses (ă, ơ, ư, đ, ạ, ả, ...) are
    mostly syllables, and at least two differ. windows-1258 read on an
    Italian page makes "Ciò" a syllable ("Cị") but "però" no ("perọ")."""
    sample = unicodedata.normalize(NFC, text[:SCORE_SAMPLE_CHARS])
    words = {w.lower() for w in WORD_RE.findall(sample) if VIETNAMESE_ONLY_RE.search(w)}
    good = sum(map(is_syllable, words))
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
    view = font_byte_view(payload) if codec in FONT_VIEW_CODECS else text
    view = unescape_font_entities(view)
    font = detect_font(view, f"{view} {declared or ''}")
    if font is None:
        return None
    converted = convert_legacy_font(view, font)
    # Last guard: the conversion must read as better Vietnamese than the
    # ordinary decoding (a real windows-1258 page read as font bytes does not).
    if _vietnamese_score(converted) <= _vietnamese_score(text):
        return None
    return converted, font
