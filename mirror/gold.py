"""The gold set's extra pages: every date form and every encoding case, in real page shapes.

    python -m mirror.gold          # writes tests/fixtures/<family>/gold-*.{html,meta.json,expected.json}

Each page is a mirror page (so its expected record is the mirror's ground truth) with one
thing changed: the printed date in another form, or the bytes in another encoding. The
expected values for the changed part are written out by hand below, never computed by the
code under test.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from mirror.capture import CAPTURED_AT, FIXTURES
from mirror.sites import site

# (printed date line, published_at, precision, modified_at)
DATE_FORMS = [
    ("Thứ năm, 14/02/2019 - 15:31", "2019-02-14T15:31:00+07:00", "minute", None),
    ("Thứ Hai, ngày 12/05/2025 08:30", "2025-05-12T08:30:00+07:00", "minute", None),
    ("Đăng ngày 15/05/2021 08:00 | Cập nhật lúc 21:16, Thứ bảy, 15/05/2021 (GMT+7)",
     "2021-05-15T08:00:00+07:00", "minute", "2021-05-15T21:16:00+07:00"),
    ("16:24 | 25/09/2019", "2019-09-25T16:24:00+07:00", "minute", None),
    ("10-08-2025, 19:55 (GMT+7)", "2025-08-10T19:55:00+07:00", "minute", None),
    ("Đăng ngày 15-05-2022 10:48", "2022-05-15T10:48:00+07:00", "minute", None),
    ("Hà Nội, ngày 14 tháng 02 năm 2019", "2019-02-14", "day", None),
    ("15h31 ngày 14/02/2019", "2019-02-14T15:31:00+07:00", "minute", None),
    ("Ngày đăng 14/02/2019 15 giờ 31 phút", "2019-02-14T15:31:00+07:00", "minute", None),
    ("10:22 CH, 14/02/2019", "2019-02-14T22:22:00+07:00", "minute", None),
    ("09:05 SA 03/04/2021", "2021-04-03T09:05:00+07:00", "minute", None),
    ("Ngày đăng 03/04/2021", "2021-04-03", "day", None),
    ("Ngày đăng 21/01/2023 | 23:17  | Lượt xem: 1656", "2023-01-21T23:17:00+07:00", "minute", None),
    ("Ngày đăng 17/07/2019 | 09:15:42", "2019-07-17T09:15:42+07:00", "second", None),
]
DATE_DIV = re.compile(rb'<div class="asset-publish-date">.*?</div>', re.DOTALL)


def _write(folder: Path, name: str, url: str, body: bytes, content_type: str, expected: dict) -> None:
    stem = folder / name
    stem.with_suffix(".html").write_bytes(body)
    meta = {"site": expected["site"], "url": url, "status": 200, "headers": {"Content-Type": content_type},
            "captured_at": CAPTURED_AT}
    for suffix, data in (("meta", meta), ("expected", {"url": url, **expected})):
        stem.with_suffix(f".{suffix}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                                                        encoding="utf-8")


def date_form_pages(folder: Path) -> int:
    """Long Biên pages whose date line is printed in each of the other forms."""
    longbien = site("longbien")
    plain = [a for a in longbien.articles if not a.date_in_body and not a.nfd][: len(DATE_FORMS)]
    for index, ((line, published, precision, modified), article) in enumerate(zip(DATE_FORMS, plain)):
        page = DATE_DIV.sub(f'<div class="asset-publish-date">{line}</div>'.encode(), longbien.render_article(article))
        views = re.search(r"Lượt xem: (\d+)", line)
        expected = {**longbien.expected_record(article), "published_at": published, "published_precision": precision,
                    "modified_at": modified, "published_raw": " ".join(line.split("| Lượt xem")[0].split()).rstrip(" |"),
                    "view_count": int(views.group(1)) if views else None, "quality": []}
        _write(folder, f"longbien-gold-date-{index:02d}", longbien.article_url(article), page,
               "text/html; charset=utf-8", expected)
    return len(DATE_FORMS)


# ---- encodings -------------------------------------------------------------------------
TONES = "\u0300\u0301\u0303\u0309\u0323"
ASCII_PUNCTUATION = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...",
                                   "«": '"', "»": '"', "\u00a0": " "})


def to_cp1258(text: str) -> bytes:
    """windows-1258 bytes: letters it lacks are written base letter + combining tone mark."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append(base.encode("cp1258") + "".join(c for c in parts if c in TONES).encode("cp1258"))
    return b"".join(out)


def _font_encoder(table: dict[str, str]):
    """Unicode -> font-encoded bytes, from a font's (font text -> letter) table, inverted."""
    from wardcrawl.text.legacy_fonts import FONT_BYTE_TABLE

    to_byte = {char: bytes([b]) for b, char in FONT_BYTE_TABLE.items()}
    letters = {}
    for font_text, letter in table.items():
        if letter not in letters or len(font_text) < len(letters[letter]):
            letters[letter] = font_text

    def representable(text: str) -> str:
        # The fonts have no toned capitals (a second font, .VnTimeH, set those): write them small.
        text = unicodedata.normalize("NFC", text).translate(ASCII_PUNCTUATION)
        return "".join(ch if ch.isascii() or ch in letters else ch.lower() if ch.lower() in letters else "?"
                       for ch in text)

    def encode(text: str) -> bytes:
        return b"".join(ch.encode("ascii") if ch.isascii() else b"".join(to_byte[c] for c in letters[ch])
                        for ch in representable(text))

    return representable, encode


def _expected_mapped(expected: dict, fn) -> dict:
    """The expected record with every text field passed through ``fn``."""
    mapped = dict(expected)
    for field in ("title", "section", "lead", "gallery_title"):
        if mapped.get(field):
            mapped[field] = fn(mapped[field])
    mapped["body_paragraphs"] = [fn(p) for p in expected["body_paragraphs"]]
    mapped["authors"] = [fn(a) for a in expected["authors"]]
    mapped["images"] = [{**img, "caption": fn(img["caption"]) if img["caption"] else None} for img in expected["images"]]
    return mapped


def _page_text(mirror_site, article) -> str:
    return mirror_site.render_article(article).decode("utf-8", errors="replace")


def encoding_pages() -> int:
    """The encoding cases: wrong labels, windows-1258, BOM, meta-only, TCVN3, VNI."""
    from wardcrawl.text.legacy_fonts import TCVN3_TO_UNICODE, VNI_TO_UNICODE

    count = 0

    def write(slug, name, article, body, content_type, **changes):
        nonlocal count
        mirror_site = site(slug)
        expected = {**mirror_site.expected_record(article), **changes}
        _write(FIXTURES / family_of(slug), f"{slug}-gold-{name}", mirror_site.article_url(article), body,
               content_type, expected)
        count += 1

    longbien, viethung, thanhuy, haibatrung, badinh = (site(s) for s in
                                                         ("longbien", "viethung", "thanhuyhanoi", "haibatrung", "badinh"))
    a = longbien.articles[20]
    write("longbien", "utf8-under-latin1-header", a, longbien.render_article(a), "text/html; charset=iso-8859-1",
          encoding="utf-8", encoding_declared="iso-8859-1", quality=["encoding_corrected"])
    a = viethung.articles[1]
    write("viethung", "utf8-under-latin1-header", a, viethung.render_article(a), "text/html; charset=ISO-8859-1",
          encoding="utf-8", encoding_declared="iso-8859-1", quality=["encoding_corrected"])
    a = thanhuy.articles[5]
    page = _page_text(thanhuy, a).replace('<meta charset="utf-8" />', '<meta charset="windows-1258" />')
    write("thanhuyhanoi", "cp1258", a, to_cp1258(page), "text/html; charset=windows-1258",
          encoding="windows-1258", encoding_declared="windows-1258")
    a = haibatrung.articles[4]
    page = _page_text(haibatrung, a).replace("charset=UTF-8", "charset=windows-1258")
    write("haibatrung", "cp1258-under-utf8-header", a, to_cp1258(page), "text/html; charset=utf-8",
          encoding="windows-1258", encoding_declared="utf-8", quality=["encoding_corrected"])
    a = badinh.articles[6]
    page = _page_text(badinh, a).replace("charset=UTF-8", "charset=windows-1258")
    write("badinh", "cp1258-meta-only", a, to_cp1258(page), "text/html",
          encoding="windows-1258", encoding_declared="windows-1258")
    a = longbien.articles[30]
    write("longbien", "bom-no-charset", a, b"\xef\xbb\xbf" + longbien.render_article(a), "text/html",
          encoding="utf-8", encoding_declared="utf-8")
    old = site("hanoi-liferay")
    for font, table, article in (("tcvn3", TCVN3_TO_UNICODE, old.articles[3]), ("vni", VNI_TO_UNICODE, old.articles[8])):
        representable, encode = _font_encoder(table)
        face = {"tcvn3": ".VnTime", "vni": "VNI-Times"}[font]
        page = _page_text(old, article).replace("<body>", f'<body style="font-family: \'{face}\'">')
        expected = _expected_mapped(old.expected_record(article), representable)
        _write(FIXTURES / "liferay", f"hanoi-liferay-gold-{font}", old.article_url(article), encode(page),
               "text/html; charset=windows-1252",
               {**expected, "encoding": font, "encoding_declared": "windows-1252", "quality": ["legacy_font_converted"]})
        count += 1
    return count


# ---- text cases ----------------------------------------------------------------------------
def text_pages() -> int:
    """Odd characters, repairable and lossy mojibake, layout tables, long and short articles."""
    from dataclasses import replace

    longbien = site("longbien")
    folder = FIXTURES / "liferay"
    plain = [a for a in longbien.articles if not a.date_in_body and not a.nfd and not a.images]
    cases = 0

    def write(name, article, page: bytes, **changes):
        nonlocal cases
        expected = {**longbien.expected_record(article), **changes}
        _write(folder, f"longbien-gold-{name}", longbien.article_url(article), page, "text/html; charset=utf-8",
               expected)
        cases += 1

    # Ð (U+00D0) for Đ, a zero-width space inside a word, &nbsp; and numeric entities.
    a = plain[0]
    page = longbien.render_article(a).decode("utf-8")
    first, second = a.paragraphs[0], a.paragraphs[1]
    odd_first = first.replace("Đ", "Ð").replace("đ", "&#273;", 1).replace(" ", "&nbsp;", 2)
    odd_second = second[:5] + "\u200b" + second[5:]
    page = page.replace(first, odd_first, 1).replace(second, odd_second, 1)
    write("odd-characters", a, page.encode("utf-8"))

    # One paragraph double-decoded (UTF-8 read as latin-1): repaired, and flagged.
    a = plain[1]
    broken = a.paragraphs[1].encode("utf-8").decode("latin-1")
    page = longbien.render_article(a).decode("utf-8").replace(a.paragraphs[1], broken, 1)
    write("repairable-mojibake", a, page.encode("utf-8"), quality=["mojibake_repaired"])

    # One paragraph garbled beyond repair: kept, and flagged.
    a = plain[2]
    garbled = "Theo k\ufffd ho?ch, ph\ufffdng ti?p t?c tri?n khai c\ufffdc n?i dung tr?ng t\ufffdm."
    page = longbien.render_article(a).decode("utf-8").replace(a.paragraphs[1], garbled, 1)
    paragraphs = [garbled if p == a.paragraphs[1] else p for p in a.paragraphs]
    write("lossy-mojibake", a, page.encode("utf-8"), quality=["lossy_mojibake"], body_paragraphs=paragraphs)

    # A body laid out in nested tables, paragraphs split by <br>.
    a = plain[3]
    body = "<br />\n".join(a.paragraphs[:2]) + "<br /><br />" + "<br />".join(a.paragraphs[2:])
    nested = (f'<table width="100%"><tbody><tr><td><table><tbody><tr><td class="content"><div>{body}</div>'
              f"</td></tr></tbody></table></td></tr></tbody></table>")
    page = re.sub(r'(<div class="journal-content-article">).*?(</div>\s*<div class="asset-ratings">)',
                  lambda m: m.group(1) + nested + "</div>\n" + m.group(2)[len("</div>"):],
                  longbien.render_article(a).decode("utf-8"), count=1, flags=re.DOTALL)
    write("nested-tables-br", a, page.encode("utf-8"))

    # A long article (30 paragraphs) and a short one (a single paragraph).
    source = plain[4]
    extra = [f"{p} (Phần {n}.)" for n in range(1, 8) for p in source.paragraphs][:30]
    long_article = replace(source, paragraphs=extra)
    write("long-article", long_article, longbien.render_article(long_article))
    short = replace(plain[5], paragraphs=plain[5].paragraphs[:1])
    write("short-article", short, longbien.render_article(short))
    return cases


def family_of(slug: str) -> str:
    from wardcrawl.sites import registry

    return registry()[slug].family


def main() -> None:
    for family in ("liferay", "hanoicms", "thanhuy"):
        for old in (FIXTURES / family).glob("*-gold-*"):
            old.unlink()
    count = date_form_pages(FIXTURES / "liferay") + encoding_pages() + text_pages()
    print(f"wrote {count} gold pages")


if __name__ == "__main__":
    main()
