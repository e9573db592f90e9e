"""Is a word a well-formed Vietnamese syllable? The plausibility check behind charset choice and
legacy-font recognition (wardcrawl/text/encoding.py, wardcrawl/text/legacy_fonts.py). Pure, standard
library only."""

from __future__ import annotations

import unicodedata

NFC = "NFC"

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


def is_syllable(word: str, check_case: bool = False) -> bool:
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
