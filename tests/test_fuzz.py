"""Fuzzing: parsers and text functions never raise, whatever the bytes (hypothesis).

Arbitrary bytes, HTML built from the very selectors the parsers look for, and mangled copies
of the fixture pages go through the crawl's own extraction (parser, cleaning, normalisation,
schema check) for every platform family; text functions get arbitrary and Vietnamese-heavy
text. A bad page must give a record, a layout miss or schema errors: never an exception.
(Over loopback, the mangled and garbage pages of mirror/faults.py are crawled in
tests/test_safety.py: the crawl counts them and goes on.)
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from wardcrawl.text.decoding import decoded_response, encoding_of
from wardcrawl.archive.extract import extract, make_response
from wardcrawl.parsers import FAMILY_SELECTORS
from wardcrawl.parsers.html_blocks import body_blocks, split_captions
from wardcrawl.sites import registry
from wardcrawl.text import boilerplate, bylines, dates, encoding, legacy_fonts, unicode

# Modest by default so the suite stays fast; WARDCRAWL_FUZZ_EXAMPLES=5000 for a long hunt.
FUZZ = settings(max_examples=int(os.environ.get("WARDCRAWL_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
HANOI = timezone(timedelta(hours=7))
FETCHED = datetime(2025, 11, 20, 9, 30, tzinfo=HANOI)

# One site per URL shape and family, with an article URL of that site.
TARGETS = {
    "longbien": "http://longbien.hanoi.gov.vn/tintuccacdonvi?p_p_id=101&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view"
                "&_101_struts_action=%2Fasset_publisher%2Fview_content&_101_assetEntryId=15237470&_101_type=content"
                "&_101_urlTitle=bai-viet",
    "giangbien": "http://giangbien.longbien.hanoi.gov.vn/thong-bao1?p_p_id=101&p_p_lifecycle=0&_101_viewMode=view"
                 "&_101_urlTitle=bai-viet",
    "badinh": "http://badinh.hanoi.gov.vn/khoi-phuong/-/view_content/155546-bai-viet.html",
    "hanoi-liferay": "http://hanoi.gov.vn/tintuc_sukien/-/hn/hn9dsr/4/2280011/1/bai-viet.html",
    "hanoi": "https://hanoi.gov.vn/tin-tuc-su-kien-noi-bat/bai-viet-4250410182811455.htm",
    "viethung": "https://viethung.hanoi.gov.vn/tin-tuc-su-kien/bai-viet-2025071508300000011.htm",
    "thanhuyhanoi": "https://thanhuyhanoi.vn/tin-tuc/xa-hat-mon/bai-viet-10237001.html",
}
CONTENT_TYPES = [None, "text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1",
                 "text/html; charset=windows-1258", "text/html; charset=utf-16", "text/html; charset=bogus-9",
                 "application/octet-stream"]
FIXTURE_PAGES = sorted(FIXTURES.rglob("*.html"))


def fixture_url(page: Path) -> str | None:
    meta = page.with_suffix(".meta.json")
    return json.loads(meta.read_text(encoding="utf-8")).get("url") if meta.exists() else None


def must_not_raise(slug: str, url: str, body: bytes, content_type: str | None) -> None:
    site = registry()[slug]
    headers = {"Content-Type": content_type} if content_type else {}
    result = extract(site, make_response(url, body, headers), FETCHED)
    assert result.record is not None or result.errors  # a record, or why not: never an exception


# ---- parsers -----------------------------------------------------------------------------------
@FUZZ
@given(slug=st.sampled_from(sorted(TARGETS)), body=st.binary(max_size=4000),
       content_type=st.sampled_from(CONTENT_TYPES))
def test_parsers_never_raise_on_arbitrary_bytes(slug, body, content_type):
    must_not_raise(slug, TARGETS[slug], body, content_type)


VIETNAMESE = st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹ"
                                                    "ếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ0123456789 /:|()-.,?!"
                                                    "\u00a0\u200b\ufffd\u0301\u0323§¶Ö")), max_size=80)
WORDS = st.sampled_from(["Ngày đăng 29/09/2021 | 22:22", "Lượt xem: 12", "Cập nhật 14/02/2019 15:31", "Tin khác",
                         "Hình ảnh buổi làm việc :", "In bài viết | Quay lại", "Huy Kiên", "09:04 16/02/2018",
                         "Thứ Năm, ngày 14/02/2019 15:31", "Từ khóa:", "L?y l?i m\ufffd b?o m?t", "31/02/2019",
                         "00:00 01/01/1900", "(15:31 14/02/2019)", "§¶ng ñy", "Vieät Nam", ""])
TEXT = st.one_of(VIETNAMESE, WORDS, st.text(max_size=60))
CLASSES = sorted({part.strip(".#") for sel_map in FAMILY_SELECTORS.values() for sel in sel_map.values()
                  for part in sel.replace(",", " ").replace("::text", " ").replace("::attr(href)", " ").split()
                  if part.startswith((".", "#")) or "." in part}
                 | {"asset-content", "journal-content-article", "detail-page", "detail-news", "news-detail",
                    "content-detail", "image-desc", "PhotoCMS_Caption", "asset-publish-date", "header-title"})
TAGS = st.sampled_from(["div", "p", "span", "h1", "h2", "h3", "a", "img", "table", "tr", "td", "em", "strong", "br",
                        "figure", "figcaption", "ul", "li", "ol", "section", "header", "title", "meta", "script"])


@st.composite
def html_fragments(draw, depth: int = 0) -> str:
    tag = draw(TAGS)
    attrs = []
    for class_name in draw(st.lists(st.sampled_from(CLASSES), max_size=2)):
        attrs.append(f'class="{class_name.split(".")[-1]}"')
    if draw(st.booleans()):
        attrs.append(f'href="{draw(st.sampled_from(["/x", "javascript:;", "http://evil.example/a", "", "#", "?p=1"]))}"')
    if tag == "img":
        attrs.append(f'src="{draw(st.sampled_from(["/documents/a.jpg", "", "data:,", "//cdn.example/b.png"]))}"')
    if tag == "meta":
        attrs.append(f'charset="{draw(st.sampled_from(["utf-8", "windows-1258", "x-none"]))}"')
    inner = draw(TEXT)
    if depth < 3:
        inner += "".join(draw(st.lists(html_fragments(depth + 1), max_size=3)))
    closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}"]))  # sometimes unclosed, sometimes torn
    return f"<{tag} {' '.join(attrs)}>{inner}{closing}"


@FUZZ
@given(slug=st.sampled_from(sorted(TARGETS)), fragments=st.lists(html_fragments(), min_size=1, max_size=6),
       content_type=st.sampled_from(CONTENT_TYPES[:4]), codec=st.sampled_from(["utf-8", "cp1258", "utf-16"]))
def test_parsers_never_raise_on_html_made_of_their_own_selectors(slug, fragments, content_type, codec):
    page = "<html><head><title>t</title></head><body>" + "".join(fragments) + "</body></html>"
    must_not_raise(slug, TARGETS[slug], page.encode(codec, errors="replace"), content_type)


@st.composite
def mangled(draw) -> tuple[Path, bytes]:
    page = draw(st.sampled_from(FIXTURE_PAGES))
    body = bytearray(page.read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        if not body:
            break
        at = draw(st.integers(0, len(body) - 1))
        size = draw(st.integers(1, 400))
        op = draw(st.sampled_from(["cut", "insert", "duplicate", "truncate", "flip", "retag"]))
        if op == "cut":
            del body[at:at + size]
        elif op == "insert":
            body[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "duplicate":
            body[at:at] = body[at:at + size]
        elif op == "truncate":
            del body[at:]
        elif op == "flip":
            body[at] ^= draw(st.integers(1, 255))
        else:  # a tag's name or bracket broken
            chunk = bytes(body[at:at + size]).replace(b"<", draw(st.sampled_from([b"", b"&lt;", b"<<", b"< /"])), 1)
            body[at:at + size] = chunk
    return page, bytes(body)


@FUZZ
@given(case=mangled(), slug=st.sampled_from(sorted(TARGETS)), content_type=st.sampled_from(CONTENT_TYPES[:5]))
def test_parsers_never_raise_on_mangled_fixture_pages(case, slug, content_type):
    page, body = case
    must_not_raise(slug, fixture_url(page) if fixture_url(page) and slug in page.name else TARGETS[slug], body,
                   content_type)


def test_every_fixture_page_under_every_family_parses_or_misses_cleanly():
    for page in FIXTURE_PAGES:
        for slug, url in TARGETS.items():
            must_not_raise(slug, url, page.read_bytes(), "text/html; charset=utf-8")


# ---- text functions ----------------------------------------------------------------------------
@FUZZ
@given(text=TEXT)
def test_unicode_functions_never_raise(text):
    assert isinstance(unicode.normalize_text(text), str)
    assert isinstance(unicode.normalize_inline(text), str)
    assert isinstance(unicode.has_lossy_mojibake(text), bool)
    repaired, changed = unicode.repair_mojibake(text)
    assert isinstance(repaired, str) and isinstance(changed, bool)
    assert isinstance(unicode.match_key(text), str) and isinstance(unicode.fold_key(text), str)


@FUZZ
@given(text=TEXT, zero_time_unknown=st.booleans())
def test_date_functions_never_raise(text, zero_time_unknown):
    parsed = dates.parse_date(text, zero_time_unknown=zero_time_unknown)
    found = dates.find_dates(text, zero_time_unknown=zero_time_unknown)
    for item in [parsed, *found]:
        if item is not None:
            assert isinstance(dates.is_future(item, FETCHED), bool)


@FUZZ
@given(paragraphs=st.lists(TEXT, max_size=8), has_images=st.booleans(), line=TEXT)
def test_boilerplate_and_byline_functions_never_raise(paragraphs, has_images, line):
    kept, removed = boilerplate.strip_boilerplate(list(paragraphs))
    assert isinstance(kept, list)
    boilerplate.take_gallery_intro(list(paragraphs), has_images)
    bylines.parse_byline(line)
    bylines.take_byline(list(paragraphs))


@FUZZ
@given(text=TEXT, font=st.sampled_from(list(legacy_fonts.LEGACY_FONTS)))
def test_legacy_font_functions_never_raise(text, font):
    assert legacy_fonts.detect_legacy_font(text) in (None, *legacy_fonts.LEGACY_FONTS)
    assert isinstance(legacy_fonts.convert_legacy_font(text, font), str)


@FUZZ
@given(body=st.one_of(st.binary(max_size=3000), mangled().map(lambda case: case[1])),
       content_type=st.sampled_from(CONTENT_TYPES))
def test_decoding_never_raises(body, content_type):
    decoded = encoding.decode_html(body, content_type)
    assert isinstance(decoded.text, str)
    response = decoded_response(make_response("http://x.vn/", body, {"Content-Type": content_type or ""}))
    assert isinstance(encoding_of(response)["used"], str)


@FUZZ
@given(fragments=st.lists(html_fragments(), max_size=5), base=st.sampled_from(list(TARGETS.values())))
def test_html_block_functions_never_raise(fragments, base):
    paragraphs, images = split_captions(body_blocks("".join(fragments), base))
    assert all(isinstance(p, str) for p in paragraphs) and all("url" in i for i in images)
