"""Articles of the offline mirror, with the ground truth each crawl is checked against.

The seed articles keep their exact text (mirror/data/). The others are generated from
templates, deterministically (a fixed random seed per site), so every run serves the
same bytes.
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
    photo_after: int = 2  # paragraph index before which an inline photo stands
    byline: str | None = None
    url_title: str = ""
    nfd: bool = False  # serve the text decomposed (NFD), as some old editors saved it
    date_in_body: bool = False  # migrated layout: date line inside the article body
    print_links_in_body: bool = False  # "In bài viết | Quay lại" inside the body
    br_paragraphs: bool = False  # paragraphs separated by <br> inside one <p>
    keywords: list[str] = field(default_factory=list)  # "Từ khóa:" tags

    def __post_init__(self) -> None:
        if not self.url_title:
            self.url_title = liferay_slug(self.title)

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


def _seed_lines(name: str) -> list[str]:
    return [ln.strip() for ln in (DATA_DIR / name).read_text(encoding="utf-8").splitlines()]


SEED_000_ID = 15237470
SEED_004_ID = 2280981


def seed_000() -> MirrorArticle:
    """Long Biên: category, title, date line, paragraphs, closing gallery intro."""
    lines = _seed_lines("000_54ed4307d0d659f7.txt")
    paragraphs = [ln for ln in lines[4:] if ln]
    return MirrorArticle(
        entry_id=SEED_000_ID, section_path="/tintuccacdonvi", section_name=lines[0], title=lines[2],
        day=date(2021, 9, 29), time="22:22", paragraphs=paragraphs[:-1], view_count=267,
        gallery_intro=paragraphs[-1],
        images=[(f"/documents/20182/{SEED_000_ID}/{n}.jpg", None) for n in ("lv1", "lv2", "lv3")],
    )


def seed_004() -> MirrorArticle:
    """Old hanoi.gov.vn: "title (15:31 14/02/2019)", HNP lead, a caption, byline, then furniture."""
    lines = [ln for ln in _seed_lines("004_3e7fb49decb3d2c2.txt") if ln]
    match = re.match(r"^(.*) \((\d\d:\d\d) (\d\d)/(\d\d)/(\d{4})\)$", lines[0])
    title, time, day, month, year = match.groups()
    byline_at = lines.index("Huy Kiên")
    caption = lines[2]
    paragraphs = [lines[1], *lines[3:byline_at]]
    return MirrorArticle(
        entry_id=SEED_004_ID, section_path="/tintuc_sukien", section_name="Tin tức - Sự kiện", title=title,
        day=date(int(year), int(month), int(day)), time=time, paragraphs=paragraphs,
        images=[(f"/documents/10180/{SEED_004_ID}/pbt-dao-duc-toan.jpg", caption)], photo_after=1,
        byline="Huy Kiên",
    )


WARDS = ["Bồ Đề", "Cự Khối", "Đức Giang", "Gia Thụy", "Giang Biên", "Long Biên", "Ngọc Lâm",
         "Ngọc Thụy", "Phúc Đồng", "Phúc Lợi", "Sài Đồng", "Thạch Bàn", "Thượng Thanh", "Việt Hưng"]
OFFICIALS = ["Nguyễn Văn Hùng", "Trần Thị Hòa", "Lê Quang Đạo", "Phạm Thị Thủy", "Đỗ Mạnh Cường",
             "Hoàng Thị Lan", "Vũ Đức Thịnh", "Đặng Thị Ngọc Ánh"]
ROLES = ["Bí thư Quận ủy", "Phó Bí thư Thường trực Quận ủy", "Chủ tịch UBND quận",
         "Trưởng ban Tuyên giáo Quận ủy", "Phó Chủ tịch UBND quận"]
BYLINES = ["Huy Kiên", "Phương Anh", "Minh Hằng", "Đức Trung", "Thanh Hải"]

# Topic templates by kind: (title, paragraphs); {ward}, {official}, {role}, {n}, {m}, {pct},
# {year}, {d} are filled in.
TOPICS = {
    "ward": [
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
        ("Phường {ward} thông báo lịch tiếp công dân tháng {n}",
         ["UBND phường {ward} thông báo lịch tiếp công dân định kỳ tháng {n} năm {year} như sau.",
          "Thời gian: từ 8 giờ ngày {d}; địa điểm: trụ sở Tiếp công dân phường. Đồng chí {official} trực tiếp tiếp công dân.",
          "Công dân đến đề nghị mang theo giấy tờ tùy thân và các tài liệu liên quan. Bao giờ được trả lời? Phường cam kết trả lời bằng văn bản trong {n} ngày làm việc."]),
    ],
    "culture": [
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
    "district": [
        ("Long Biên triển khai kế hoạch chuyển đổi số tại phường {ward}",
         ["Ngày {d}, UBND quận tổ chức hội nghị triển khai kế hoạch chuyển đổi số năm {year} tại phường {ward}.",
          "Theo kế hoạch, quận phấn đấu {pct}% hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến toàn trình.",
          "Đồng chí {official} – {role} yêu cầu các phòng, ban, các phường xác định chuyển đổi số là nhiệm vụ trọng tâm, thường xuyên."]),
        ("Kiểm tra công tác phòng cháy, chữa cháy tại phường {ward}",
         ["Chiều {d}, đoàn kiểm tra của quận do đồng chí {official} – {role} làm trưởng đoàn đã kiểm tra công tác phòng cháy, chữa cháy tại phường {ward}.",
          "Qua kiểm tra {m} cơ sở kinh doanh, đoàn đã nhắc nhở, hướng dẫn khắc phục {n} cơ sở chưa bảo đảm điều kiện an toàn.",
          "Đoàn đề nghị phường tiếp tục rà soát nhà ở kết hợp kinh doanh, kiên quyết xử lý các vi phạm."]),
        ("Đảng bộ phường {ward} học tập, quán triệt Nghị quyết của Thành ủy",
         ["Sáng {d}, Đảng bộ phường {ward} tổ chức hội nghị học tập, quán triệt Nghị quyết của Thành ủy Hà Nội cho hơn {m} cán bộ, đảng viên.",
          "Đồng chí {official} – {role} truyền đạt những nội dung cơ bản, cốt lõi của Nghị quyết.",
          "Hội nghị yêu cầu các chi bộ trực thuộc xây dựng chương trình hành động cụ thể, sát với thực tiễn."]),
        ("Phòng Y tế kiểm tra an toàn thực phẩm tại phường {ward}",
         ["Ngày {d}, Phòng Y tế quận phối hợp UBND phường {ward} kiểm tra an toàn thực phẩm tại {m} cơ sở kinh doanh dịch vụ ăn uống.",
          "Đoàn đã lấy {n} mẫu xét nghiệm nhanh, nhắc nhở các cơ sở bảo đảm nguồn gốc nguyên liệu và vệ sinh dụng cụ chế biến.",
          "Kết quả kiểm tra được công khai trên Cổng thông tin điện tử của quận để người dân theo dõi, giám sát."]),
    ],
    "party": [
        ("Hội nghị sơ kết công tác xây dựng Đảng {n} tháng đầu năm {year} tại {ward}",
         ["Ngày {d}, Ban Thường vụ Đảng ủy {ward} tổ chức hội nghị sơ kết công tác xây dựng Đảng {n} tháng đầu năm {year}.",
          "Toàn Đảng bộ có {m} đảng viên sinh hoạt tại các chi bộ; công tác giáo dục chính trị, tư tưởng được triển khai nền nếp.",
          "Phát biểu chỉ đạo, đồng chí {official} đề nghị các chi bộ nâng cao chất lượng sinh hoạt, chú trọng kết nạp đảng viên mới.",
          "Hội nghị đã biểu dương {n} chi bộ hoàn thành xuất sắc nhiệm vụ."]),
        ("Kết nạp đảng viên mới tại {ward}",
         ["Sáng {d}, Đảng ủy {ward} tổ chức lễ kết nạp {n} quần chúng ưu tú vào Đảng Cộng sản Việt Nam.",
          "Các đảng viên mới đều là những quần chúng tiêu biểu, có thành tích xuất sắc trong công tác và phong trào ở cơ sở.",
          "Đồng chí {official} mong các đảng viên mới tiếp tục rèn luyện, phấn đấu, giữ gìn phẩm chất người đảng viên."]),
        ("Kiểm tra việc thực hiện quy chế dân chủ ở cơ sở tại {ward}",
         ["Chiều {d}, đoàn kiểm tra của Ban Thường vụ do đồng chí {official} làm trưởng đoàn đã kiểm tra việc thực hiện quy chế dân chủ ở cơ sở tại {ward}.",
          "Qua kiểm tra, {ward} đã công khai {m} nội dung theo quy định; các kiến nghị của nhân dân được tiếp nhận, giải quyết kịp thời.",
          "Đoàn đề nghị tiếp tục phát huy vai trò giám sát của Mặt trận Tổ quốc và các đoàn thể."]),
    ],
    "city": [
        ("Phó Bí thư Thành ủy làm việc với Đảng ủy phường {ward}",
         ["HNP - Sáng {d}, Phó Bí thư Thành ủy {official} đã làm việc với Đảng ủy phường {ward} về kết quả thực hiện nhiệm vụ chính trị năm {year}.",
          "Báo cáo tại buổi làm việc cho biết, Đảng bộ phường có {n} chi bộ với trên {m} đảng viên; thu ngân sách đạt {pct}% kế hoạch.",
          "Phát biểu kết luận, Phó Bí thư Thành ủy đề nghị phường tiếp tục làm tốt công tác xây dựng Đảng, chính quyền, gắn với yêu cầu phát triển đô thị."]),
        ("Hà Nội tổng kết phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” tại phường {ward}",
         ["HNP - Chiều {d}, Ban Chỉ đạo phong trào thành phố tổ chức tổng kết tại phường {ward}.",
          "Năm {year}, phường có {pct}% hộ gia đình đạt danh hiệu Gia đình văn hóa, {n} tổ dân phố được công nhận Tổ dân phố văn hóa.",
          "Thay mặt lãnh đạo thành phố, đồng chí {official} biểu dương những kết quả phường đã đạt được."]),
        ("Thành phố kiểm tra công tác chuẩn bị Tết tại phường {ward}",
         ["HNP - Ngày {d}, đoàn công tác của thành phố do đồng chí {official} dẫn đầu đã kiểm tra công tác chuẩn bị Tết tại phường {ward}.",
          "Phường đã chuẩn bị {m} suất quà cho các gia đình chính sách, hộ nghèo, bảo đảm mọi nhà đều có Tết.",
          "Đoàn đề nghị phường làm tốt công tác bảo đảm an ninh trật tự, phòng chống cháy nổ dịp Tết."]),
    ],
}


TOPIC_TAGS = {"ward": "cơ sở", "culture": "văn hóa", "district": "chính quyền", "city": "Thành ủy",
              "party": "xây dựng Đảng"}


@dataclass
class CorpusSpec:
    sections: dict[str, tuple[str, str, int]]  # path -> (section name, topic kind, article count)
    wards: list[str]
    first_id: int
    seed: int
    id_step: int = 131
    newest: date = date(2025, 6, 20)
    view_counts: bool = True
    all_midnight: bool = False
    bylines: bool = False
    photo_after: int = 2


def _fill(template: str, slots: dict) -> str:
    return template.format(**slots)


def _generated(rng: random.Random, spec: CorpusSpec, path: str, index: int, entry_id: int, day: date) -> MirrorArticle:
    name, kind, _ = spec.sections[path]
    title_t, paras_t = TOPICS[kind][index % len(TOPICS[kind])]
    ward = spec.wards[(index * 5 + len(path)) % len(spec.wards)]
    slots = {"ward": ward, "official": rng.choice(OFFICIALS), "role": rng.choice(ROLES), "n": rng.randint(2, 9),
             "m": rng.randint(12, 480), "pct": rng.randint(60, 140), "year": day.year, "d": f"{day.day}/{day.month}"}
    article = MirrorArticle(
        entry_id=entry_id, section_path=path, section_name=name, title=_fill(title_t, slots), day=day,
        time="00:00" if spec.all_midnight else f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}",
        paragraphs=[_fill(p, slots) for p in paras_t],
        view_count=rng.randint(15, 3000) if spec.view_counts else None,
        photo_after=spec.photo_after,
        byline=rng.choice(BYLINES) if spec.bylines else None,
        keywords=[f"phường {ward}", TOPIC_TAGS[kind]],
    )
    if index % 3 == 1:  # a photo gallery with captions
        article.gallery_intro = "Một số hình ảnh tại buổi lễ:"
        article.images = [
            (f"/documents/20182/{entry_id}/anh-{k}.jpg",
             f"Ảnh {k}: Quang cảnh {('hội nghị', 'buổi làm việc', 'buổi lễ')[k % 3]} tại phường {ward}")
            for k in range(1, 4)]
    elif index % 5 == 2:  # one photo between paragraphs, captioned
        article.images = [(f"/documents/20182/{entry_id}/anh-1.jpg",
                           f"Đồng chí {slots['official']} phát biểu tại buổi làm việc")]
    if index % 7 == 3:
        article.print_links_in_body = True
    if index % 6 == 5:
        article.br_paragraphs = True
    return article


def _unique_titles(articles: list[MirrorArticle]) -> None:
    """Templates can repeat a title; real sites number such items, and so do we."""
    seen: dict[str, int] = {}
    for article in sorted(articles, key=lambda a: (a.day, a.entry_id)):
        count = seen.get(article.title, 0) + 1
        seen[article.title] = count
        if count > 1:
            article.title = f"{article.title} (đợt {count})"
            article.url_title = liferay_slug(article.title)


# Hard cases for place tagging (issue 17), each appended as a last paragraph to one generated article,
# keyed by (corpus seed, position): one name in two districts, names without a type word, streets
# named after wards, old and new names in one text, lists, "P.", party forms. The places each one
# names are written out by hand in mirror/places_gold.py (CASE_PLACES).
PLACE_CASES = {
    (20211029, 1): "Đoàn công tác đã trao đổi kinh nghiệm với phường Minh Khai (quận Bắc Từ Liêm) và phường Quang "
                   "Trung, quận Hà Đông; cán bộ phường Gia Thuỵ và P. Phúc Đồng cùng tham dự buổi trao đổi.",
    (20211029, 5): "Các tuyến phố Sài Đồng, đường Nguyễn Văn Cừ, phố Ngọc Lâm và đường Thạch Bàn được chỉnh trang; "
                   "cán bộ Bồ Đề, Ngọc Thụy và Long Biên cùng tham gia với người dân.",
    (20211029, 12): "Hội nghị còn có đại diện lãnh đạo xã Tiền Phong và xã Kim Chung tham dự, trao đổi kinh nghiệm "
                    "xây dựng nông thôn mới.",
    (20211029, 25): "Các phường Cự Khối, Thạch Bàn và Long Biên đã hoàn thành sớm kế hoạch; Quận ủy Long Biên biểu "
                    "dương Đảng ủy phường Đức Giang.",
    (2019071, 3): "Phường Minh Khai phối hợp với phường Vĩnh Tuy và phường Thanh Lương tổ chức ra quân giải tỏa vi "
                  "phạm trật tự đô thị trên địa bàn.",
    (20190214, 2): "Đoàn đã khảo sát phố Kim Giang, đường Khương Đình và ngõ chợ Khương Mai; UBND phường Phương Liệt "
                   "và phường Khương Mai (quận Thanh Xuân) báo cáo tiến độ thực hiện.",
    (20190214, 7): "Xã Phù Đổng (huyện Gia Lâm) và xã Phú Cường thuộc huyện Sóc Sơn đã về đích nông thôn mới kiểu mẫu "
                   "trong năm.",
    (20190214, 11): "Đồng chí cũng đã làm việc với Đảng ủy xã Liên Hà về công tác xây dựng Đảng ở cơ sở.",
    (7101, 0): "Phường Việt Hưng được thành lập trên cơ sở toàn bộ các phường Thượng Thanh, Đức Giang và Việt Hưng "
               "(cũ), một phần phường Giang Biên, quận Long Biên.",
    (7101, 9): "UBND phường Việt Hưng phối hợp với các phường Bồ Đề, Phúc Lợi và Long Biên tổ chức ra quân; P. Bồ "
               "Đề bố trí năm mươi cán bộ tham gia.",
    (7102, 0): "Phường Cầu Giấy được thành lập trên cơ sở các phường Quan Hoa, Yên Hoà, Dịch Vọng Hậu cũ; phường "
               "phối hợp với phường Nghĩa Đô tổ chức hoạt động.",
    (7103, 0): "Phường Dương Nội phối hợp với phường Kiến Hưng và phường Hà Đông chỉnh trang khu đô thị Dương Nội "
               "và phố Quang Trung.",
    (2018, 0): "Thành phố biểu dương phường Ô Chợ Dừa, phường Hoàn Kiếm, xã Sóc Sơn và thị trấn Sóc Sơn (cũ) vì "
               "thành tích xuất sắc.",
    (3000, 0): "Thường trực Thành ủy làm việc với Đảng ủy phường Hồng Hà, phường Ba Đình và xã Hát Môn.",
    (3001, 7): "Ban Thường vụ làm việc với Đảng ủy xã Phù Đổng, Đảng ủy xã Yên Viên và Đảng ủy thị trấn Yên Viên "
               "về công tác chuẩn bị đại hội.",
    (3002, 0): "Quận ủy Long Biên (cũ) bàn giao hồ sơ, tài liệu cho Đảng ủy các phường Bồ Đề, Việt Hưng, Phúc Lợi "
               "và Long Biên.",
}


def generate(spec: CorpusSpec, fixed_ids: dict[int, int] | None = None,
             extra: list[MirrorArticle] = ()) -> list[MirrorArticle]:
    """A site's articles, newest first within each section; ``fixed_ids`` maps position -> id."""
    rng = random.Random(spec.seed)
    articles = list(extra)
    position = 0
    for path, (_, _, size) in spec.sections.items():
        day = spec.newest
        for index in range(size):
            day -= timedelta(days=rng.randint(9, 60))
            entry_id = (fixed_ids or {}).get(position, spec.first_id + position * spec.id_step)
            articles.append(_generated(rng, spec, path, index, entry_id, day))
            if (spec.seed, position) in PLACE_CASES:
                articles[-1].paragraphs.append(PLACE_CASES[(spec.seed, position)])
            position += 1
    _unique_titles(articles)
    assert len({a.entry_id for a in articles}) == len(articles), "mirror article ids must be unique"
    assert len({a.url_title for a in articles}) == len(articles), "mirror titles must be unique"
    articles.sort(key=lambda a: (a.section_path, a.day, a.time), reverse=True)
    return articles


# Long Biên: the foundation site, with every odd shape the district portals show.
NFD_ENTRY_ID = 15239012
MIDNIGHT_ENTRY_ID = 15238815
NO_VIEWS_ENTRY_ID = 15238431
VARIANT_ENTRY_ID = 15239407
LONGBIEN_SPEC = CorpusSpec(
    sections={"/tintuccacdonvi": ("Hoạt động các phường", "ward", 17),
              "/vanhoa": ("Văn hóa - Xã hội", "culture", 14),
              "/tintucsukien": ("Tin tức - Sự kiện", "district", 13)},
    wards=WARDS, first_id=15240001, seed=20211029)


def longbien_articles() -> list[MirrorArticle]:
    articles = generate(LONGBIEN_SPEC, {4: NFD_ENTRY_ID, 20: MIDNIGHT_ENTRY_ID, 9: NO_VIEWS_ENTRY_ID,
                                        2: VARIANT_ENTRY_ID}, extra=[seed_000()])
    by_id = {a.entry_id: a for a in articles}
    by_id[NFD_ENTRY_ID].nfd = True
    midnight = by_id[MIDNIGHT_ENTRY_ID]
    midnight.time, midnight.date_in_body, midnight.view_count = "00:00", True, None
    by_id[NO_VIEWS_ENTRY_ID].view_count = None
    return articles
