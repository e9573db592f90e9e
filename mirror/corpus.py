"""Articles of the offline mirror, with the ground truth each crawl is checked against.

The seed article keeps its exact text (mirror/data/). The others are generated from
templates, deterministically (a fixed random seed), so every run serves the same bytes.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


@dataclass
class MirrorArticle:
    entry_id: int
    section_path: str
    section_name: str
    title: str
    day: date
    time: str  # "HH:MM" as printed; "00:00" means unknown on migrated items
    paragraphs: list[str]
    view_count: int | None = None
    gallery_intro: str | None = None
    images: list[tuple[str, str | None]] = field(default_factory=list)  # (path, caption)
    url_title: str = ""
    nfd: bool = False  # serve the text decomposed (NFD), as some old editors saved it
    date_in_body: bool = False  # migrated layout: date line inside the article body
    print_links_in_body: bool = False  # "In bài viết | Quay lại" inside the body

    def __post_init__(self) -> None:
        if not self.url_title:
            self.url_title = liferay_slug(self.title)

    @property
    def date_line(self) -> str:
        line = f"Ngày đăng {self.day:%d/%m/%Y} | {self.time}"
        if self.view_count is not None:
            line += f"\u00a0 | Lượt xem: {self.view_count}"
        return line

    @property
    def published_at(self) -> str:
        if self.time == "00:00":
            return self.day.isoformat()
        return f"{self.day.isoformat()}T{self.time}:00+07:00"


def liferay_slug(title: str) -> str:
    """Liferay's urlTitle: diacritics stripped, and "đ" dropped rather than mapped to "d"."""
    text = unicodedata.normalize("NFD", title.lower()).replace("đ", "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def seed_article(name: str) -> tuple[str, str, list[str], str | None]:
    """(section, title, body paragraphs, gallery intro) of a seed's raw text."""
    lines = [ln.strip() for ln in (DATA_DIR / name).read_text(encoding="utf-8").splitlines()]
    section, title = lines[0], lines[2]
    paragraphs = [ln for ln in lines[4:] if ln]
    intro = paragraphs.pop() if paragraphs[-1].endswith(":") else None
    return section, title, paragraphs, intro


WARDS = ["Bồ Đề", "Cự Khối", "Đức Giang", "Gia Thụy", "Giang Biên", "Long Biên", "Ngọc Lâm",
         "Ngọc Thụy", "Phúc Đồng", "Phúc Lợi", "Sài Đồng", "Thạch Bàn", "Thượng Thanh", "Việt Hưng"]
OFFICIALS = ["Nguyễn Văn Hùng", "Trần Thị Hòa", "Lê Quang Đạo", "Phạm Thị Thủy", "Đỗ Mạnh Cường",
             "Hoàng Thị Lan", "Vũ Đức Thịnh", "Đặng Thị Ngọc Ánh"]
ROLES = ["Bí thư Quận ủy", "Phó Bí thư Thường trực Quận ủy", "Chủ tịch UBND quận",
         "Trưởng ban Tuyên giáo Quận ủy", "Phó Chủ tịch UBND quận"]

# (title, paragraphs) templates; {ward}, {official}, {role}, {n}, {m}, {pct} are filled in.
TOPICS = {
    "/tintuccacdonvi": [
        ("Phường {ward} tổ chức Hội nghị sơ kết công tác {n} tháng đầu năm {year}",
         ["Sáng {d}, Đảng ủy, HĐND, UBND phường {ward} tổ chức Hội nghị sơ kết công tác {n} tháng đầu năm, triển khai nhiệm vụ trọng tâm những tháng cuối năm {year}.",
          "Theo báo cáo tại hội nghị, thu ngân sách trên địa bàn phường đạt {pct}% dự toán giao; công tác quản lý trật tự xây dựng, vệ sinh môi trường có nhiều chuyển biến tích cực.",
          "Phát biểu chỉ đạo, đồng chí {official} – {role} ghi nhận những kết quả phường đã đạt được, đồng thời đề nghị phường tập trung giải phóng mặt bằng các dự án trọng điểm.",
          "Dịp này, phường đã khen thưởng {m} tập thể và cá nhân có thành tích xuất sắc."]),
        ("Đảng ủy phường {ward} ra mắt mô hình “Dân vận khéo” năm {year}",
         ["Chiều {d}, Đảng ủy phường {ward} tổ chức lễ ra mắt mô hình “Dân vận khéo” trong công tác bảo đảm trật tự đô thị.",
          "Mô hình được triển khai tại {m} tổ dân phố, huy động sự tham gia của đoàn viên, hội viên các đoàn thể và nhân dân trên địa bàn.",
          "Đồng chí {official} – {role} đề nghị các chi bộ phát huy vai trò nêu gương của cán bộ, đảng viên, lấy hiệu quả công việc làm thước đo."]),
        ("Phường {ward} ra quân tổng vệ sinh môi trường, hưởng ứng “Ngày Chủ nhật xanh”",
         ["Sáng Chủ nhật {d}, phường {ward} tổ chức ra quân tổng vệ sinh môi trường với sự tham gia của hơn {m} cán bộ, đoàn viên và nhân dân.",
          "Các lực lượng đã thu gom {n} tấn rác thải, phát quang bụi rậm, khơi thông cống rãnh tại các tuyến đường, ngõ xóm.",
          "UBND phường yêu cầu các tổ dân phố duy trì ra quân định kỳ vào sáng Chủ nhật hằng tuần."]),
        ("Tiếp xúc cử tri phường {ward} trước kỳ họp HĐND quận",
         ["Tối {d}, Tổ đại biểu HĐND quận ứng cử tại phường {ward} tổ chức tiếp xúc cử tri trước kỳ họp thường lệ.",
          "Cử tri phường đã nêu {m} ý kiến, kiến nghị liên quan đến hạ tầng giao thông, thoát nước, quản lý đất đai và an toàn thực phẩm.",
          "Thay mặt Tổ đại biểu, đồng chí {official} tiếp thu đầy đủ các ý kiến và sẽ tổng hợp gửi các cơ quan có thẩm quyền xem xét, giải quyết."]),
    ],
    "/vanhoa": [
        ("Ngày hội Đại đoàn kết toàn dân tộc tại khu dân cư số {n} phường {ward}",
         ["Tối {d}, khu dân cư số {n} phường {ward} tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm {year}.",
          "Tham dự ngày hội có đồng chí {official} – {role} cùng đông đảo nhân dân trong khu dân cư.",
          "Dịp này, Ban công tác Mặt trận khu dân cư đã trao {m} suất quà tặng các gia đình có hoàn cảnh khó khăn, học sinh nghèo vượt khó.",
          "Ngày hội diễn ra trong không khí vui tươi, phấn khởi với nhiều tiết mục văn nghệ đặc sắc do chính người dân biểu diễn."]),
        ("Phường {ward} trao quà cho gia đình chính sách nhân dịp kỷ niệm Ngày Thương binh – Liệt sĩ",
         ["Nhân dịp kỷ niệm {n} năm Ngày Thương binh – Liệt sĩ, lãnh đạo phường {ward} đã đến thăm, tặng quà các gia đình chính sách trên địa bàn.",
          "Tổng số có {m} suất quà với tổng trị giá hơn {pct} triệu đồng được trao tới các thương binh, bệnh binh và thân nhân liệt sĩ.",
          "Đồng chí {official} bày tỏ lòng biết ơn sâu sắc đối với những hy sinh, cống hiến của các thương binh, gia đình liệt sĩ."]),
        ("Khai mạc Giải bóng đá thanh niên phường {ward} năm {year}",
         ["Chiều {d}, Đoàn Thanh niên phường {ward} khai mạc Giải bóng đá thanh niên năm {year}.",
          "Giải có {m} đội bóng đến từ các chi đoàn tổ dân phố tham gia, thi đấu theo thể thức vòng tròn tính điểm.",
          "Giải đấu nhằm đẩy mạnh phong trào rèn luyện thân thể, tăng cường giao lưu, đoàn kết trong đoàn viên, thanh niên."]),
    ],
    "/tintucsukien": [
        ("Long Biên triển khai kế hoạch chuyển đổi số tại phường {ward}",
         ["Ngày {d}, UBND quận Long Biên tổ chức hội nghị triển khai kế hoạch chuyển đổi số năm {year}.",
          "Theo kế hoạch, quận phấn đấu {pct}% hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến toàn trình.",
          "Đồng chí {official} – {role} yêu cầu các phòng, ban, 14 phường xác định chuyển đổi số là nhiệm vụ trọng tâm, thường xuyên."]),
        ("Long Biên kiểm tra công tác phòng cháy, chữa cháy tại phường {ward}",
         ["Chiều {d}, đoàn kiểm tra của quận do đồng chí {official} – {role} làm trưởng đoàn đã kiểm tra công tác phòng cháy, chữa cháy tại phường {ward}.",
          "Qua kiểm tra {m} cơ sở kinh doanh, đoàn đã nhắc nhở, hướng dẫn khắc phục {n} cơ sở chưa bảo đảm điều kiện an toàn.",
          "Đoàn đề nghị phường tiếp tục rà soát nhà ở kết hợp kinh doanh, kiên quyết xử lý các vi phạm."]),
        ("Đảng bộ phường {ward} học tập, quán triệt Nghị quyết của Thành ủy",
         ["Sáng {d}, Quận ủy Long Biên tổ chức hội nghị học tập, quán triệt Nghị quyết của Thành ủy Hà Nội cho hơn {m} cán bộ chủ chốt.",
          "Đồng chí {official} – {role} truyền đạt những nội dung cơ bản, cốt lõi của Nghị quyết.",
          "Hội nghị yêu cầu các chi bộ, đảng bộ trực thuộc xây dựng chương trình hành động cụ thể, sát với thực tiễn."]),
    ],
}

SECTION_NAMES = {
    "/tintuccacdonvi": "Hoạt động các phường",
    "/vanhoa": "Văn hóa - Xã hội",
    "/tintucsukien": "Tin tức - Sự kiện",
}
SECTION_SIZES = {"/tintuccacdonvi": 17, "/vanhoa": 14, "/tintucsukien": 13}  # + the seed
SEED_ENTRY_ID = 15237470
NFD_ENTRY_ID = 15239012
MIDNIGHT_ENTRY_ID = 15238815
NO_VIEWS_ENTRY_ID = 15238431
VARIANT_ENTRY_ID = 15239407


def _fill(template: str, slots: dict) -> str:
    return template.format(**slots)


def _generated(rng: random.Random, path: str, index: int, entry_id: int, day: date) -> MirrorArticle:
    title_t, paras_t = TOPICS[path][index % len(TOPICS[path])]
    slots = {
        "ward": WARDS[(index * 5 + len(path)) % len(WARDS)],
        "official": rng.choice(OFFICIALS),
        "role": rng.choice(ROLES),
        "n": rng.randint(2, 9),
        "m": rng.randint(12, 480),
        "pct": rng.randint(60, 140),
        "year": day.year,
        "d": f"{day.day}/{day.month}",
    }
    article = MirrorArticle(
        entry_id=entry_id,
        section_path=path,
        section_name=SECTION_NAMES[path],
        title=_fill(title_t, slots),
        day=day,
        time=f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}",
        paragraphs=[_fill(p, slots) for p in paras_t],
        view_count=rng.randint(15, 3000),
    )
    if index % 3 == 1:  # a photo gallery with captions
        article.gallery_intro = "Một số hình ảnh tại buổi lễ:"
        article.images = [
            (f"/documents/20182/{entry_id}/anh-{k}.jpg",
             f"Ảnh {k}: Quang cảnh {('hội nghị', 'buổi làm việc', 'buổi lễ')[k % 3]} tại phường {slots['ward']}")
            for k in range(1, 4)
        ]
    elif index % 5 == 2:  # one photo between paragraphs, captioned
        article.images = [(f"/documents/20182/{entry_id}/anh-1.jpg",
                           f"Đồng chí {slots['official']} phát biểu tại buổi làm việc")]
    if index % 7 == 3:
        article.print_links_in_body = True
    return article


def _seed_000() -> MirrorArticle:
    section, title, paragraphs, intro = seed_article("000_54ed4307d0d659f7.txt")
    return MirrorArticle(
        entry_id=SEED_ENTRY_ID,
        section_path="/tintuccacdonvi",
        section_name=section,
        title=title,
        day=date(2021, 9, 29),
        time="22:22",
        paragraphs=paragraphs,
        view_count=267,
        gallery_intro=intro,
        images=[(f"/documents/20182/{SEED_ENTRY_ID}/{n}.jpg", None) for n in ("lv1", "lv2", "lv3")],
    )


# Positions (in generation order) of the articles with odd shapes, and their fixed ids.
SPECIAL_POSITIONS = {4: NFD_ENTRY_ID, 20: MIDNIGHT_ENTRY_ID, 9: NO_VIEWS_ENTRY_ID, 2: VARIANT_ENTRY_ID}


def _apply_special_cases(by_id: dict[int, MirrorArticle]) -> None:
    """Give the designated articles their odd shapes (NFD text, 00:00, no counter)."""
    by_id[NFD_ENTRY_ID].nfd = True
    midnight = by_id[MIDNIGHT_ENTRY_ID]
    midnight.time, midnight.date_in_body, midnight.view_count = "00:00", True, None
    by_id[NO_VIEWS_ENTRY_ID].view_count = None


def longbien_articles() -> list[MirrorArticle]:
    """Every article of the Long Biên mirror, newest first within each section."""
    rng = random.Random(20211029)
    articles = [_seed_000()]
    position = 0
    for path, size in SECTION_SIZES.items():
        day = date(2025, 6, 20)
        for index in range(size):
            day -= timedelta(days=rng.randint(9, 60))
            entry_id = SPECIAL_POSITIONS.get(position, 15240001 + position * 131)
            articles.append(_generated(rng, path, index, entry_id, day))
            position += 1
    by_id = {a.entry_id: a for a in articles}
    assert len(by_id) == len(articles), "mirror article ids must be unique"
    assert len({a.url_title for a in articles}) == len(articles), "mirror titles must be unique"
    _apply_special_cases(by_id)
    articles.sort(key=lambda a: (a.section_path, a.day, a.time), reverse=True)
    return articles
