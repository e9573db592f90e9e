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


def main() -> None:
    folder = FIXTURES / "liferay"
    for old in folder.glob("longbien-gold-*"):
        old.unlink()
    count = date_form_pages(folder)
    print(f"wrote {count} gold pages")


if __name__ == "__main__":
    main()
