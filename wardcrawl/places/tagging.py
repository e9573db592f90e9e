"""Which of Hanoi's units an article is about: ``places`` of a record, across the July 2025 reform.

A unit is found only with its type word before the name ("phường Bồ Đề", "P. Bồ Đề", "xã Phù
Đổng", "Quận ủy Long Biên", "Đảng ủy phường Việt Hưng", "thị trấn Trạm Trôi"), so "phố Kim
Giang" (a street) and a bare "Long Biên" never match. Names match on the tone-placement-
insensitive key ("Gia Thụy" = "Gia Thuỵ"), every syllable capitalised (or all in capitals after
a type word in capitals), longest name first. A list after one type word ("các phường Bồ Đề,
Việt Hưng và Phúc Lợi") gives every name in it when it is plural or closed by "và".

A name merged away before 2025 ("phường Kim Giang", into Hạ Đình in January 2025) is known to
the source only without diacritics: it is matched on that key, after every real name, and
stands for the old unit that absorbed it.

Which unit a name means is decided, never guessed:
- the era: a district named right after it ("phường Bồ Đề, quận Long Biên") or "(cũ)" means the
  old unit; otherwise the publication date (before 1 July 2025: old units; from then: new ones),
  falling back to the other era when the name exists only there;
- among old units of one name in several districts: a district named in the same sentence,
  else in the article, else the site's own district, else the district of the thanhuyhanoi.vn
  unit whose section it is; if none settles it the place is left ambiguous, with its candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from wardcrawl.places import gazetteer
from wardcrawl.places.gazetteer import REFORM_DATE, Unit
from wardcrawl.text.unicode import fold_key, match_key

FIELDS = ("title", "lead", "body")

# A type word, or a party committee's form of it ("Quận ủy", "Huyện uỷ", "Thị ủy"), then the name;
# "P." (phường) only as a capital with its dot. Searched in the lowercased text (a case-insensitive
# search of non-ASCII text costs several times more); the word boundary before it is checked after.
TYPE_WORD_RE = re.compile(r"(?:(thị trấn|thị xã|phường|xã|quận|huyện|thị)(?:\s+(?:ủy|uỷ))?|(p)\.)[ \t]*")
# What every type word starts with: str.find for each is far cheaper than a regex search over the text.
TYPE_WORD_STARTS = ("phường", "xã", "quận", "huyện", "thị", "p.")
TYPE_OF = {"p": "phường", "thị": "thị xã"}  # abbreviations and party forms -> the gazetteer's type word
PARTY_ONLY = {"thị"}  # "thị" alone is no type word: only in "Thị ủy"
# A run of words (a district's name after "quận": to find what follows it).
NAME_RE = re.compile(r"\w+(?:(?: | - )\w+){0,6}")
WORD_RE = re.compile(r"\w+")
LIST_SEP_RE = re.compile(r"\s*(,\s*và|,|và)\s+")
PLURAL_RE = re.compile(r"(?:các|những|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|\d+)\s+$", re.I)
OLD_MARK_RE = re.compile(r"\s*\(?\s*cũ\b")
NEW_MARK_RE = re.compile(r"\s*\(?\s*mới\b")
DISTRICT_NEAR_RE = re.compile(r"\s*[,(–-]?\s*(?:thuộc\s+)?(quận|huyện|thị xã)\s+", re.I)
SENTENCE_END_RE = re.compile(r"[.!?;\n]")
DISTRICT_TYPES = ("quận", "huyện", "thị xã")


@dataclass
class Mention:
    field: str
    offset: int
    text: str
    candidates: tuple[Unit, ...]
    near_districts: tuple[Unit, ...] = ()  # a district named right after the name (or the list)
    mark: str | None = None  # "old" for "(cũ)", "new" for "mới"


@dataclass
class Context:
    """What beyond the mention itself may decide which unit it is."""

    era: str | None  # the era of the publication date
    site_district: str | None = None  # the site's own (old) district id
    unit_district: str | None = None  # the thanhuyhanoi.vn section unit's (old) district id
    article_districts: set[str] = field(default_factory=set)  # districts named anywhere in the article


# -- the name index -------------------------------------------------------------------------------

_SYLLABLE_KEYS: dict[str, str] = {}


def _syllable_key(word: str) -> str:
    key = _SYLLABLE_KEYS.get(word)
    if key is None:
        if len(_SYLLABLE_KEYS) > 100_000:  # words met after type words: a bounded vocabulary, but bound it
            _SYLLABLE_KEYS.clear()
        key = _SYLLABLE_KEYS[word] = match_key(word)
    return key


def name_key(name: str) -> str:
    """The match key of a name, word by word, dashes dropped ("Văn Miếu - Quốc Tử Giám" = "Văn Miếu Quốc Tử Giám")."""
    return " ".join(_syllable_key(w) for w in WORD_RE.findall(name))


@cache
def _index() -> tuple[dict[tuple[str, str], tuple[Unit, ...]], int]:
    found: dict[tuple[str, str], list[Unit]] = {}
    for unit in gazetteer.units():
        found.setdefault((unit.type, name_key(unit.name)), []).append(unit)
    longest = max(len(key.split()) for _, key in found)
    return {k: tuple(v) for k, v in found.items()}, longest


def _words_of(run: str, capitals: bool, limit: int) -> list[tuple[int, int]]:
    """Spans (in ``run``) of the capitalised words (or all-capital words) a name may be made of, one
    space or " - " between them, stopping at the first word that is not."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for token in run.split(" "):
        if token != "-":
            if not ((token.isupper() if capitals else token[0].isupper()) or token.isdigit()):
                break
            spans.append((pos, pos + len(token)))
            if len(spans) == limit:
                break
        pos += len(token) + 1
    return spans


_NAMES_SEEN: dict[tuple[str, str], tuple[tuple[Unit, ...], int] | None] = {}


def name_at(text: str, pos: int, type_word: str, capitals: bool) -> tuple[tuple[Unit, ...], int] | None:
    """(units, end) of the longest gazetteer name of ``type_word`` starting at ``pos``, if any."""
    if pos >= len(text) or not (text[pos].isupper() or text[pos].isdigit()):
        return None  # most type words are followed by no name at all ("UBND phường đã ...")
    run = NAME_RE.match(text, pos)
    if run is None:
        return None
    spans = _words_of(run.group(), capitals, _index()[1])
    if not spans:
        return None
    words = run.group()[:spans[-1][1]]
    key = (type_word, words)
    if key not in _NAMES_SEEN:  # an article names its places again and again: each is looked up once
        if len(_NAMES_SEEN) > 100_000:
            _NAMES_SEEN.clear()
        _NAMES_SEEN[key] = _lookup(words, spans, type_word)
    found = _NAMES_SEEN[key]
    return None if found is None else (found[0], pos + found[1])


def _lookup(run: str, spans: list[tuple[int, int]], type_word: str) -> tuple[tuple[Unit, ...], int] | None:
    """(units, length) of the longest name of ``type_word`` made of the first words (``spans``) of ``run``."""
    index = _index()[0]
    keys = [_syllable_key(run[s:e]) for s, e in spans]
    for n in range(len(spans), 0, -1):
        units = index.get((type_word, " ".join(keys[:n])))
        if units:
            return units, spans[n - 1][1]
    # A name merged away before 2025 is known only without diacritics: tried after every real name.
    earlier = gazetteer.earlier_names()
    folded = [fold_key(run[s:e]) for s, e in spans[:4]]
    for n in range(len(folded), 0, -1):
        unit = earlier.get((type_word, "".join(folded[:n])))
        if unit is not None:
            return (unit,), spans[n - 1][1]
    return None


# -- finding mentions -----------------------------------------------------------------------------

def find_mentions(text: str, field_name: str) -> list[Mention]:
    mentions: list[Mention] = []
    if not text:
        return mentions
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lowercase is longer (not Vietnamese): offsets would shift
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    for start in _type_word_starts(text, lowered):
        match = TYPE_WORD_RE.match(lowered, start)
        if match is None:
            continue
        word = match.group(1) or match.group(2)
        if word == "p" and text[start] != "P":
            continue
        if word in PARTY_ONLY and match.group(0).rstrip() == word:
            continue
        type_word = TYPE_OF.get(word, word)
        head = text[start:start + len(word)]
        capitals = head.isupper() and len(head) > 1
        found = name_at(text, match.end(), type_word, capitals)
        if found is None:
            continue
        chain = [Mention(field_name, match.start(), text[match.start():found[1]], found[0])]
        end, closed_by_va, last_va = found[1], False, 0
        while sep := LIST_SEP_RE.match(text, end):
            more = name_at(text, sep.end(), type_word, capitals)
            if more is None:
                break
            chain.append(Mention(field_name, sep.end(), text[sep.end():more[1]], more[0]))
            end = more[1]
            if "và" in sep.group(1):
                closed_by_va, last_va = True, len(chain)
        if not PLURAL_RE.search(text, max(0, match.start() - 8), match.start()):
            chain = chain[:last_va] if closed_by_va else chain[:1]
            end = len(text) if not chain else _end_of(chain[-1])
        _mark(text, end, chain)
        mentions.extend(chain)
    return mentions


# After a type word and its space, a name starts with a capital; a lowercase letter there can only
# begin "ủy" (Quận ủy), or "trấn"/"xã" (after "thị"). Most type words fail this ("xã hội", "phường đã").
MAY_FOLLOW = frozenset("ủuỷtx")


def _type_word_starts(text: str, lowered: str) -> list[int]:
    """Where a type word may begin: at a word start, followed by what may begin a name."""
    found = []
    for word in TYPE_WORD_STARTS:
        pos = lowered.find(word)
        while pos >= 0:
            after = pos + len(word)
            if word == "p." or (text[after:after + 1] == " " and
                                (text[after + 1:after + 2].isupper() or lowered[after + 1:after + 2] in MAY_FOLLOW)):
                if not pos or not (lowered[pos - 1].isalnum() or lowered[pos - 1] == "_"):
                    found.append(pos)
            pos = lowered.find(word, after)
    found.sort()
    return found


def _end_of(mention: Mention) -> int:
    return mention.offset + len(mention.text)


def _mark(text: str, end: int, chain: list[Mention]) -> None:
    """What follows a name or list: "(cũ)", "mới", or a district named right after it."""
    mark = "old" if OLD_MARK_RE.match(text, end) else "new" if NEW_MARK_RE.match(text, end) else None
    near: tuple[Unit, ...] = ()
    district = DISTRICT_NEAR_RE.match(text, end)
    if district:
        head = district.group(1)
        found = name_at(text, district.end(), head.lower(), head.isupper() and len(head) > 1)
        if found:
            near = found[0]
            mark = mark or ("old" if OLD_MARK_RE.match(text, _end_after(text, district.end())) else None)
    for mention in chain:
        mention.mark, mention.near_districts = mark, near


def _end_after(text: str, pos: int) -> int:
    run = NAME_RE.match(text, pos)
    return run.end() if run else pos


# -- deciding which unit --------------------------------------------------------------------------

def era_of(published_at: str | None) -> str | None:
    if not published_at:
        return None
    return "old" if published_at[:10] < REFORM_DATE else "new"


def resolve(mention: Mention, context: Context, sentence_districts=set) -> tuple[Unit, ...]:
    """The unit (one) or the candidates it could be (several): never a guess. ``sentence_districts()``
    gives the districts named in the mention's sentence (asked only when several old units remain)."""
    olds = tuple(u for u in mention.candidates if u.era == "old")
    news = tuple(u for u in mention.candidates if u.era == "new")
    near = {d.id for d in mention.near_districts}
    in_near = tuple(u for u in olds if u.parent in near or u.id in near)
    if in_near:
        return in_near
    era = mention.mark or context.era
    if era == "old":
        pool = olds or news
    elif era == "new":
        pool = news or olds
    else:
        pool = mention.candidates
    if len(pool) <= 1 or any(u.era == "new" for u in pool):
        return pool
    for districts in (sentence_districts(), context.article_districts, {context.site_district},
                      {context.unit_district}):
        narrowed = tuple(u for u in pool if u.parent in districts)
        if len(narrowed) == 1:
            return narrowed
    return pool


def _sentence_districts(text: str, offset: int, districts: list[tuple[int, str]]) -> set[str]:
    start = max((m.end() for m in SENTENCE_END_RE.finditer(text, 0, offset)), default=0)
    stop = SENTENCE_END_RE.search(text, offset)
    end = stop.start() if stop else len(text)
    return {unit_id for pos, unit_id in districts if start <= pos < end}


def district_of(unit: Unit | None) -> str | None:
    if unit is None or unit.era != "old":
        return None
    return unit.id if unit.level == "district" else unit.parent
