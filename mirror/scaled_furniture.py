"""The furniture real portals carry on every page, for the scaled mirror (mirror/scaled.py): a mega
menu, service boxes, the latest documents, a linked-sites select, footer link columns, a visitor
counter, theme scripts, metadata and a little inline CSS. It links to no article and uses none of
the parsers' classes, so the records extracted from a page are unchanged."""

from __future__ import annotations

import random

from mirror.base import esc
from mirror.hanoicms import CDN
from mirror.scaled_plans import DONGDA_WARDS, LIFERAY_INSTANCE, MENU_SECTIONS, FamilyPlan, SectionPlan, unit_slug
from mirror.thanhuy import FILES

# ---- page furniture ------------------------------------------------------------------------
def _css(prefix: str, names: list[str], seed: int) -> str:
    rng = random.Random(seed)
    colors = ["#0b4f8a", "#c8102e", "#333", "#666", "#f5f5f5", "#e0e0e0", "#1a6db3", "#fff", "#d9d9d9", "#8a1c1c"]
    rules = []
    for name in names:
        for suffix in ("", " a", " a:hover", " li", " .title", " img"):
            props = [f"color:{rng.choice(colors)}", f"font-size:{rng.randint(11, 22)}px",
                     f"margin:{rng.randint(0, 12)}px {rng.randint(0, 20)}px", f"padding:{rng.randint(0, 10)}px",
                     f"line-height:{rng.choice(['1.3', '1.5', '18px', '22px'])}",
                     f"background:{rng.choice(colors)}", "font-family:Arial,Helvetica,sans-serif"]
            rules.append(f"{prefix}{name}{suffix}{{{';'.join(rng.sample(props, rng.randint(3, 6)))}}}")
    return "\n".join(rules)


CSS_NAMES = ["header", "banner", "navigation", "menu", "sub-menu", "breadcrumb", "portlet", "portlet-title",
             "portlet-content", "asset-title", "asset-summary", "news-item", "sidebar", "box", "footer",
             "search", "hot-news", "marquee", "calendar", "weather", "poll", "links", "counter", "pagination"]


def _liferay_furniture(plan: FamilyPlan, sections: list[SectionPlan]) -> tuple[str, str]:
    base = f"{plan.scheme}://{plan.host}"
    theme = f"/html/themes/{plan.slug}-theme"
    getters = {"getCDNDynamicResourcesHost": "", "getCDNHost": "", "getCompanyId": "10154", "getCompanyGroupId": "10194",
               "getDefaultLanguageId": "vi_VN", "getDoAsUserIdEncoded": "", "getLanguageId": "vi_VN",
               "getParentGroupId": "10181", "getPathContext": "", "getPathImage": "/image", "getPathJavaScript": "/html/js",
               "getPathMain": "/c", "getPathThemeImages": f"{base}{theme}/images", "getPathThemeRoot": theme,
               "getPlid": "10184", "getPortalURL": base, "getScopeGroupId": "10181", "getScopeGroupIdOrLiveGroupId": "10181",
               "getSessionId": "", "getSiteGroupId": "10181", "getURLControlPanel": "/group/control_panel?refererPlid=10184",
               "getURLHome": base.replace(":", "\\x3a").replace("/", "\\x2f") + "\\x2fweb\\x2fguest", "getUserId": "10158",
               "getUserName": ""}
    flags = ["isAddSessionIdToURL", "isFreeformLayout", "isImpersonated", "isSignedIn", "isStateExclusive",
             "isStateMaximized", "isStatePopUp"]
    display = ",\n".join([f'{k}: function() {{ return "{v}"; }}' for k, v in getters.items()]
                         + [f"{k}: function() {{ return false; }}" for k in flags])
    portlets = ["101_INSTANCE_" + LIFERAY_INSTANCE, "73_INSTANCE_menu", "56_INSTANCE_links", "3", "115_INSTANCE_hot",
                "86", "145", "110_INSTANCE_poll"]
    css_links = "\n".join(f'<link href="{u}?browserId=other&amp;themeId={plan.slug}theme_WAR_{plan.slug}theme&amp;'
                          f'minifierType=css&amp;languageId=vi_VN&amp;b=6210&amp;t=1571234567000" rel="stylesheet" type="text/css" />'
                          for u in ("/html/css/main.css", "/html/portlet/asset_publisher/css/main.css",
                                    "/html/portlet/journal_content/css/main.css", "/html/portlet/navigation/css/main.css",
                                    "/html/portlet/search/css/main.css", f"{theme}/css/main.css", f"{theme}/css/custom.css"))
    head = f"""<meta content="initial-scale=1.0, width=device-width" name="viewport" />
<meta content="Cổng thông tin điện tử, {plan.name}, tin tức, sự kiện, thông báo" name="keywords" />
<link href="{theme}/images/favicon.ico" rel="Shortcut Icon" />
{css_links}
<script type="text/javascript">
// <![CDATA[
var Liferay = {{ Browser: {{ acceptsGzip: function() {{ return true; }}, getMajorVersion: function() {{ return 0; }},
getRevision: function() {{ return ""; }}, getVersion: function() {{ return ""; }}, isAir: function() {{ return false; }},
isChrome: function() {{ return false; }}, isFirefox: function() {{ return false; }}, isGecko: function() {{ return false; }},
isIe: function() {{ return false; }}, isIphone: function() {{ return false; }}, isLinux: function() {{ return false; }},
isMac: function() {{ return false; }}, isMobile: function() {{ return false; }}, isMozilla: function() {{ return false; }},
isOpera: function() {{ return false; }}, isRtf: function() {{ return false; }}, isSafari: function() {{ return false; }},
isSun: function() {{ return false; }}, isWap: function() {{ return false; }}, isWapXhtml: function() {{ return false; }},
isWebKit: function() {{ return false; }}, isWindows: function() {{ return false; }}, isWml: function() {{ return false; }} }},
Data: {{ NAV_SELECTOR: "#navigation", isCustomizationView: function() {{ return false; }}, notices: [null] }},
ThemeDisplay: {{
{display}
}},
PropsValues: {{ NTLM_AUTH_ENABLED: false }} }};
var themeDisplay = Liferay.ThemeDisplay;
Liferay.AUI = {{ getAvailableLangPath: function() {{ return "available_languages.jsp?browserId=other&themeId={plan.slug}theme&colorSchemeId=01&minifierType=js&languageId=vi_VN&b=6210&t=1571234567000"; }},
getCombine: function() {{ return true; }}, getComboPath: function() {{ return "/combo/?browserId=other&minifierType=&languageId=vi_VN&b=6210&t=1571234567000&"; }},
getFilter: function() {{ return "min"; }}, getJavaScriptRootPath: function() {{ return "/html/js"; }},
getLangPath: function() {{ return "aui_lang.jsp?browserId=other&themeId={plan.slug}theme&colorSchemeId=01&minifierType=js&languageId=vi_VN&b=6210&t=1571234567000"; }},
getStaticResourceURLParams: function() {{ return "?browserId=other&minifierType=&languageId=vi_VN&b=6210&t=1571234567000"; }} }};
Liferay.authToken = "Fq2ZpN7x";
Liferay.currentURL = "\\x2f__PAGE__";
Liferay.currentURLEncoded = "%2F__PAGE__";
// ]]>
</script>
<script src="/html/js/barebone.jsp?browserId=other&amp;themeId={plan.slug}theme&amp;colorSchemeId=01&amp;minifierType=js&amp;minifierBundleId=javascript.barebone.files&amp;languageId=vi_VN&amp;b=6210&amp;t=1571234567000" type="text/javascript"></script>
<script type="text/javascript">
// <![CDATA[
Liferay.Portlet.list = [{", ".join(f'"{p}"' for p in portlets)}];
// ]]>
</script>"""
    onload = "\n".join(
        f"Liferay.Portlet.onLoad({{ canEditTitle: false, columnPos: {i}, isStatic: 'end', "
        f"namespacedId: 'p_p_id_{p}_', portletId: '{p}', refreshURL: '\\x2fc\\x2fportal\\x2frender_portlet"
        f"\\x3fp_l_id\\x3d10184\\x26p_p_id\\x3d{p}\\x26p_p_lifecycle\\x3d0\\x26p_t_lifecycle\\x3d0"
        f"\\x26p_p_state\\x3dnormal\\x26p_p_mode\\x3dview\\x26p_p_col_id\\x3dcolumn-1\\x26p_p_col_pos\\x3d{i}"
        f"\\x26p_p_col_count\\x3d{len(portlets)}\\x26p_p_isolated\\x3d1\\x26currentURL\\x3d\\x252F__PAGE__' }});"
        for i, p in enumerate(portlets))
    tail = f"""<script type="text/javascript">
// <![CDATA[
Liferay.Util.addInputFocus();
Liferay.Portlet.runtimePortletIds = [{", ".join(f'"{p}"' for p in portlets[1:])}];
// ]]>
</script>
<script type="text/javascript">
// <![CDATA[
AUI().use('aui-base', 'liferay-form', 'liferay-menu', 'liferay-navigation-interaction', 'liferay-notice', 'liferay-poller', 'liferay-session', function(A) {{ (function() {{
{onload}
Liferay.Util.toggleControls(); new Liferay.Menu();
var liferayNotices = Liferay.Data.notices; for (var i = 1; i < liferayNotices.length; i++) {{ new Liferay.Notice(liferayNotices[i]); }}
A.one('#navigation').plug(Liferay.NavigationInteraction);
Liferay.Session = new Liferay.SessionBase({{ autoExtend: true, sessionLength: 30, redirectOnExpire: false, redirectUrl: '{base}\\x2fweb\\x2fguest', warningLength: 1 }});
}})(); }});
// ]]>
</script>
<script src="{theme}/js/main.js?browserId=other&amp;minifierType=js&amp;languageId=vi_VN&amp;b=6210&amp;t=1571234567000" type="text/javascript"></script>
<script type="text/javascript">
var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-3{plan.seed}1-1']); _gaq.push(['_trackPageview']);
(function() {{ var ga = document.createElement('script'); ga.type = 'text/javascript'; ga.async = true;
ga.src = ('https:' == document.location.protocol ? 'https://ssl' : 'http://www') + '.google-analytics.com/ga.js';
var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(ga, s); }})();
</script>"""
    return head, tail


def _news_furniture(plan: FamilyPlan, sections: list[SectionPlan], static: str) -> tuple[str, str]:
    """The new CMS and thanhuyhanoi.vn: metadata, preloads, page settings, inline critical CSS, loaders."""
    zones = ", ".join(f'{{"id": {1800 + i}, "url": "{s.path}", "name": "{s.name}"}}' for i, s in enumerate(sections[:MENU_SECTIONS]))
    preloads = "\n".join(f'<link rel="preload" href="{static}/static/{kind}/{name}" as="{"script" if kind == "js" else "style"}" />'
                         for kind, name in (("css", "main.min.css"), ("css", "detail.min.css"), ("js", "jquery-3.6.0.min.js"),
                                            ("js", "lazysizes.min.js"), ("js", "main.min.js"), ("js", "detail.min.js"),
                                            ("css", "fonts.css"), ("js", "ads.min.js")))
    head = f"""<meta name="keywords" content="{plan.name}, tin tức, sự kiện, thông báo, chỉ đạo điều hành" />
<meta name="robots" content="index, follow" /><meta name="author" content="{plan.owner}" />
<meta property="og:site_name" content="{plan.name}" /><meta property="og:type" content="article" />
<meta property="og:url" content="{plan.scheme}://{plan.host}/__PAGE__" /><meta name="twitter:card" content="summary_large_image" />
<link rel="canonical" href="{plan.scheme}://{plan.host}/__PAGE__" />
<link rel="dns-prefetch" href="{static}" /><link rel="dns-prefetch" href="https://www.googletagmanager.com" />
{preloads}
<script type="text/javascript">
var pageSettings = {{ DomainId: {plan.seed}, Domain: "{plan.host}", sharefbApiDomain: "https://sharefb.cnnd.vn",
  videoplayer: "https://vcplayer.mediacdn.vn", VideoToken: "L3NlY3VyZS92ZXJpZnkvdm9kLw==", ajaxDomain: "{plan.scheme}://{plan.host}",
  commentSiteName: "{plan.slug}", allowComment: false, thumbDomain: "{static}", DOMAIN_API_ANSWER_QUESTION: "",
  zones: [{zones}] }};
function loadJsAsync(jsLink, callback, callbackEr) {{ var scriptEl = document.createElement("script"); scriptEl.type = "text/javascript";
  scriptEl.async = true; if (typeof callback == "function") {{ scriptEl.onreadystatechange = scriptEl.onload = function() {{ callback(); }}; }}
  scriptEl.src = jsLink; if (typeof callbackEr != "undefined") {{ scriptEl.onerror = function() {{ callbackEr(); }}; }}
  document.getElementsByTagName("head")[0].appendChild(scriptEl); }}
</script>
<style type="text/css">
{_css(".", CSS_NAMES[:10], plan.seed)}
</style>"""
    tail = f"""<script type="text/javascript">
(function() {{ var runinit = window.runinit || []; window.runinit = runinit;
  runinit.push(function() {{ loadJsAsync("{static}/static/js/main.min.js", function() {{ if (typeof Main != "undefined") Main.init(); }});
  loadJsAsync("{static}/static/js/detail.min.js"); }}); }})();
window.dataLayer = window.dataLayer || []; function gtag() {{ dataLayer.push(arguments); }} gtag('js', new Date()); gtag('config', 'G-{plan.seed}QX7K2');
</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-{plan.seed}QX7K2"></script>
<script type="text/javascript">
var admzone = {{ "list": [{", ".join(f'"zone-{i}"' for i in range(24))}] }};
(function() {{ for (var i = 0; i < admzone.list.length; i++) {{ var el = document.getElementById(admzone.list[i]); if (el) el.setAttribute("data-loaded", "1"); }} }})();
</script>"""
    return head, tail


MENU = [
    ("Giới thiệu", ["Tổng quan", "Lịch sử hình thành", "Điều kiện tự nhiên", "Cơ cấu tổ chức", "Lãnh đạo",
                    "Các phòng, ban chuyên môn", "Đơn vị hành chính", "Bản đồ hành chính"]),
    ("Tin tức - Sự kiện", ["Tin hoạt động", "Tin từ cơ sở", "Tin ảnh", "Video", "Thông cáo báo chí", "Tin trong nước"]),
    ("Chỉ đạo điều hành", ["Lịch công tác", "Văn bản chỉ đạo", "Thông báo kết luận", "Kế hoạch", "Báo cáo"]),
    ("Thủ tục hành chính", ["Bộ thủ tục hành chính", "Dịch vụ công trực tuyến", "Tra cứu hồ sơ", "Một cửa điện tử",
                            "Biểu mẫu", "Kết quả giải quyết hồ sơ", "Đánh giá sự hài lòng"]),
    ("Văn bản pháp luật", ["Văn bản quy phạm pháp luật", "Văn bản chỉ đạo điều hành", "Văn bản của thành phố",
                           "Văn bản trung ương", "Dự thảo lấy ý kiến"]),
    ("Kinh tế - Xã hội", ["Kinh tế", "Văn hóa - Thể thao", "Giáo dục - Đào tạo", "Y tế", "Lao động - Việc làm",
                          "An sinh xã hội", "Khoa học - Công nghệ"]),
    ("Quy hoạch - Đầu tư", ["Quy hoạch", "Dự án đầu tư", "Đấu thầu - Mua sắm công", "Giải phóng mặt bằng",
                            "Quản lý đất đai", "Xây dựng cơ bản"]),
    ("Công dân", ["Hỏi đáp trực tuyến", "Góp ý, kiến nghị", "Lịch tiếp công dân", "Phản ánh hiện trường",
                  "Đường dây nóng"]),
    ("Tuyên truyền", ["Phổ biến giáo dục pháp luật", "Chuyển đổi số", "Cải cách hành chính", "Bầu cử",
                      "Phòng, chống tham nhũng", "Học tập và làm theo Bác"]),
    ("Công khai", ["Công khai ngân sách", "Dự toán", "Quyết toán", "Thống kê", "Niên giám thống kê"]),
]
LINKED_SITES = ["Cổng thông tin điện tử Chính phủ", "Cổng Dịch vụ công quốc gia", "Cổng thông tin điện tử Hà Nội",
                "Thành ủy Hà Nội", "HĐND thành phố Hà Nội", "Báo Hà Nội Mới", "Báo Kinh tế & Đô thị",
                "Đài Phát thanh và Truyền hình Hà Nội", "Sở Tư pháp Hà Nội", "Sở Tài chính Hà Nội",
                "Sở Xây dựng Hà Nội", "Sở Giáo dục và Đào tạo Hà Nội", "Sở Y tế Hà Nội", "Sở Văn hóa và Thể thao Hà Nội",
                "Sở Khoa học và Công nghệ Hà Nội", "Sở Nông nghiệp và Môi trường Hà Nội", "Sở Nội vụ Hà Nội",
                "Công an thành phố Hà Nội", "Bộ Tư lệnh Thủ đô", "Thanh tra thành phố", "Cục Thuế Hà Nội",
                "Bảo hiểm xã hội Hà Nội", "Liên đoàn Lao động thành phố", "Thành đoàn Hà Nội", "Hội Liên hiệp Phụ nữ Hà Nội",
                "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"]
DOC_KINDS = [("Quyết định", "QĐ-UBND"), ("Kế hoạch", "KH-UBND"), ("Thông báo", "TB-UBND"), ("Công văn", "UBND-VP"),
             ("Chỉ thị", "CT-UBND"), ("Báo cáo", "BC-UBND")]
DOC_SUBJECTS = ["triển khai công tác chuyển đổi số năm", "kiện toàn Ban Chỉ đạo phòng, chống thiên tai",
                "tổ chức các hoạt động kỷ niệm ngày thành lập", "ban hành quy chế làm việc",
                "tăng cường công tác bảo đảm trật tự an toàn giao thông", "thực hiện công tác cải cách hành chính",
                "phê duyệt danh sách hộ nghèo, hộ cận nghèo", "công khai dự toán ngân sách"]


def _markup(plan: FamilyPlan) -> tuple[str, str]:
    """The markup furniture every page carries: top bar and mega menu, then service boxes, the latest
    documents, a linked-sites select, the footer's link columns and the visitor counter."""
    rng = random.Random(plan.seed + 7)
    prefix = "/web/guest" if plan.family == "liferay" else ""
    ext = ".htm" if plan.family == "hanoicms" else ""

    def href(*names: str) -> str:
        return prefix + "".join("/" + unit_slug(n) for n in names) + ext

    menu = []
    for heading, items in MENU:
        subs = "".join(f'<li class="mega-item"><a href="{href(heading, item)}" title="{esc(item)}">'
                       f'<span class="mega-text">{esc(item)}</span></a></li>' for item in items)
        menu.append(f'<li class="mega-col"><a class="mega-head" href="{href(heading)}"><span>{esc(heading)}</span></a>'
                    f'<div class="mega-drop"><ul class="mega-list">{subs}</ul></div></li>')
    top = f"""<div id="top-bar" class="top-bar"><div class="wrap"><ul class="top-links">
<li><a href="{href('so-do-cong')}">Sơ đồ cổng</a></li><li><a href="{href('rss')}">RSS</a></li>
<li><a href="{href('huong-dan-su-dung')}">Hướng dẫn sử dụng</a></li><li><a href="{href('english')}" lang="en">English</a></li></ul>
<div class="today-line">Hà Nội, hôm nay</div></div></div>
<div id="mega-menu" class="mega-menu" role="navigation"><div class="wrap"><ul class="mega-root">{"".join(menu)}</ul></div></div>"""
    services = "".join(f'<li class="svc-item"><a href="{href("dich-vu", name)}"><img alt="" src="/static/icons/svc-{i}.png" />'
                       f'<span>{esc(name)}</span></a></li>'
                       for i, name in enumerate(["Dịch vụ công trực tuyến", "Tra cứu hồ sơ", "Lịch tiếp công dân",
                                                 "Hỏi đáp trực tuyến", "Phản ánh kiến nghị", "Đường dây nóng",
                                                 "Đánh giá sự hài lòng", "Thư điện tử công vụ"]))
    docs = []
    for i in range(10):
        kind, code = rng.choice(DOC_KINDS)
        number = rng.randint(100, 9999)
        docs.append(f'<li class="doc-row"><a class="doc-no" href="{href("van-ban", f"{number} {code}")}">{kind} số '
                    f'{number}/{code}</a><span class="doc-issued">Ban hành {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/'
                    f'{rng.randint(2019, 2025)}</span><p class="doc-subject">Về việc {rng.choice(DOC_SUBJECTS)} '
                    f'{rng.randint(2019, 2025)}</p></li>')
    options = "".join(f'<option value="https://{unit_slug(name).replace("-", "")[:24]}.hanoi.gov.vn">{esc(name)}</option>'
                      for name in LINKED_SITES)
    columns = "".join(f'<div class="foot-col"><h4>{esc(heading)}</h4><ul>'
                      + "".join(f'<li><a href="{href(heading, item)}">{esc(item)}</a></li>' for item in items[:5])
                      + "</ul></div>" for heading, items in MENU[:6])
    bottom = f"""<div id="service-boxes" class="service-boxes"><div class="wrap">
<div class="svc-box"><h3 class="svc-title">Dịch vụ công</h3><ul class="svc-list">{services}</ul></div>
<div class="svc-box doc-box"><h3 class="svc-title">Văn bản mới</h3><ul class="doc-list">{"".join(docs)}</ul>
<a class="doc-more" href="{href('van-ban')}">Xem tất cả văn bản</a></div>
<div class="svc-box"><h3 class="svc-title">Liên kết website</h3><select class="linked-sites" onchange="window.open(this.value)">
<option value="">-- Chọn website --</option>{options}</select></div>
<div class="svc-box banners"><a href="https://dichvucong.gov.vn/"><img alt="Cổng Dịch vụ công quốc gia" src="/static/banners/dvc.jpg" /></a>
<a href="https://hanoi.gov.vn/"><img alt="Cổng thông tin điện tử Hà Nội" src="/static/banners/hanoi.jpg" /></a>
<a href="{href('chuyen-doi-so')}"><img alt="Chuyển đổi số" src="/static/banners/cds.jpg" /></a></div>
</div></div>
<div id="site-footer" class="site-footer"><div class="wrap foot-cols">{columns}</div>
<div class="wrap foot-info"><p>{esc(plan.name)}</p><p>Cơ quan chủ quản: {esc(plan.owner)}</p>
<p>Địa chỉ: {rng.randint(1, 200)} phố {rng.choice(DONGDA_WARDS)}, Hà Nội. Điện thoại: 024.3{rng.randint(1000000, 9999999)}</p>
<p class="visits">Đang truy cập: {rng.randint(20, 900)} | Tổng lượt truy cập: {rng.randint(1_000_000, 90_000_000):,}</p></div></div>"""
    return top, bottom


def furniture(plan: FamilyPlan, sections: list[SectionPlan]) -> tuple[bytes, bytes, bytes]:
    """(head, top of body, end of body) furniture of every page of the site."""
    if plan.family == "liferay":
        head, tail = _liferay_furniture(plan, sections)
    else:
        head, tail = _news_furniture(plan, sections, CDN if plan.family == "hanoicms" else FILES.split("/thanhuy")[0])
    top, bottom = _markup(plan)
    return head.encode("utf-8"), top.encode("utf-8"), (bottom + "\n" + tail).encode("utf-8")


def dress(page: bytes, chrome: tuple[bytes, bytes, bytes], path: str) -> bytes:
    head, top, tail = chrome
    mark = path.strip("/").encode("utf-8")
    page = page.replace(b"</head>", head.replace(b"__PAGE__", mark) + b"\n</head>", 1)
    body = page.index(b">", page.index(b"<body")) + 1
    page = page[:body] + b"\n" + top + page[body:]
    return page.replace(b"</body>", tail + b"\n</body>", 1)
