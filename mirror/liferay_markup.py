"""Liferay 6.2 markup for the mirror, written from Liferay's own templates.

Repository dinolupo/Liferay6.2-fixed, under portal-web/docroot/html/: each function names
the template it follows (docs/sites/liferay.md lists them with what the Hanoi themes add).
Only what a guest sees is rendered: no edit icons, no add-content menus.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mirror.base import esc

JOURNAL_ICON = "/html/themes/classic/images/common/history.png"  # assetRenderer.getIconPath (unverified path)


@dataclass(frozen=True)
class Entry:
    """One asset as a listing shows it."""
    url: str
    title: str
    day: date
    summary: str = ""
    thumb: str | None = None


def metadata(day: date) -> str:
    """asset_publisher/asset_metadata.jspf with metadataFields = publish-date."""
    return (f'<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">{day:%d/%m/%Y}</span>'
            "</div>")


def abstract(e: Entry) -> str:
    """asset_publisher/display/abstracts.jsp (summary from journal/asset/abstract.jsp)."""
    thumb = (f'<div class="asset-small-image"><a href="{esc(e.url)}"><img alt="{esc(e.title)}" class="asset-small-image" '
             f'src="{esc(e.thumb)}" width="150" /></a></div>') if e.thumb else ""
    return f"""<div class="asset-abstract ">
<h3 class="asset-title"><a href="{esc(e.url)}"><img alt="" src="{JOURNAL_ICON}" /> {esc(e.title)}</a></h3>
<div class="asset-content"><div class="asset-summary">{thumb}{esc(e.summary)}</div>
<div class="asset-more"><a href="{esc(e.url)}">Xem thêm <span class="hide-accessible">về {esc(e.title)}</span> &raquo; </a></div>
</div>
{metadata(e.day)}
</div>"""


def title_list(entries: list[Entry]) -> str:
    """asset_publisher/display/title_list.jsp; the link is liferay-ui:icon with label (taglib/ui/icon)."""
    items = "".join(f"""<li class="title-list content"><span class=""><a class=" taglib-icon" href="{esc(e.url)}">
<img src="{JOURNAL_ICON}" alt="" /><span class="taglib-text ">{esc(e.title)}</span></a></span>
{metadata(e.day)}</li>""" for e in entries)
    return f'<ul class="title-list">{items}</ul>'


def table(entries: list[Entry]) -> str:
    """asset_publisher/display/table.jsp with metadataFields = publish-date."""
    rows = "".join(f'<tr><td class="table-cell"><a href="{esc(e.url)}">{esc(e.title)}</a></td>'
                   f'<td class="table-cell">{e.day:%d/%m/%Y}</td></tr>' for e in entries)
    return ('<table class="table table-bordered table-hover table-striped"><thead class="table-columns"><tr>'
            '<th class="table-header table-sortable-column">Tiêu đề</th><th class="table-header">Ngày xuất bản</th>'
            f'</tr></thead><tbody class="table-data">{rows}</tbody></table>')


LISTING_STYLES = {"abstracts": lambda entries: "\n".join(abstract(e) for e in entries),
                  "title-list": title_list, "table": table}


def page_iterator(ns: str, cur: int, pages: int, total: int, delta: int, url_of) -> str:
    """taglib/ui/page_iterator/start.jsp, type "regular" (via search_paginator/page.jsp): the page
    selector menu (liferay-ui:icon-menu of every page), "showing x - y of z", first/previous/next/last.
    ``url_of(n)`` is the iterator URL with ``<ns>cur=n``."""
    start, end = (cur - 1) * delta + 1, min(cur * delta, total)
    menu = "".join(f'<li role="presentation"><a class=" taglib-icon" href="{esc(url_of(n))}" role="menuitem">'
                   f'<span class="taglib-text-icon">{n}</span></a></li>' for n in range(1, pages + 1))

    def button(label: str, target: int, enabled: bool, cls: str = "") -> str:
        href = esc(url_of(target)) if enabled else "javascript:;"
        classes = " ".join(c for c in ("" if enabled else "disabled", cls) if c)
        return f'<li class="{classes}"><a href="{href}" target="_self">{label}</a></li>'

    buttons = (button("&larr; Đầu", 1, cur != 1, "first") + button("Trước", cur - 1, cur != 1)
               + button("Tiếp", cur + 1, cur != pages) + button("Cuối &rarr;", pages, cur != pages, "last"))
    return f"""<div class="taglib-page-iterator" id="{ns}searchContainerPageIterator">
<div class="clearfix lfr-pagination"><div class="lfr-pagination-config"><div class="lfr-pagination-page-selector">
<div class="btn-group lfr-icon-menu current-page-menu"><a class="dropdown-toggle direction-down max-display-items-15 btn" href="javascript:;" id="{ns}pageSelector" title="Trang {cur} / {pages}"><span class="lfr-icon-menu-text">Trang {cur} / {pages}</span> <i class="caret"></i></a>
<ul class="dropdown-menu lfr-menu-list direction-down">{menu}</ul></div></div>
<div class="lfr-pagination-delta-selector">&mdash; {delta} mục mỗi trang</div></div>
<small class="search-results">Hiển thị {start} - {end} trên {total} kết quả.</small>
<ul class="pager lfr-pagination-buttons">{buttons}</ul></div></div>"""


def header(title: str, back_url: str, ns: str) -> str:
    """taglib/ui/header/page.jsp (liferay-ui:header as full_content.jsp calls it): h3.header-title."""
    return f"""<div class="taglib-header ">
<span class="header-back-to"><a class="icon-circle-arrow-left previous-level" href="{esc(back_url)}" id="{ns}TabsBack" title="Quay lại"><span class="helper-hidden-accessible">Quay lại</span></a></span>
<h3 class="header-title"><span>{esc(title)}</span></h3></div>"""


def asset_links(links: list[tuple[str, str]]) -> str:
    """taglib/ui/asset_links/page.jsp: related assets, each a liferay-ui:icon with label."""
    if not links:
        return ""
    items = "".join(f'<li class="asset-links-list-item"><span class=""><a class=" taglib-icon" href="{esc(url)}" '
                    f'target="_self"><img src="{JOURNAL_ICON}" alt="" /><span class="taglib-text ">{esc(title)}</span>'
                    f"</a></span></li>" for url, title in links)
    return (f'<div class="taglib-asset-links"><h2 class="asset-links-title">Nội dung liên quan:</h2>'
            f'<ul class="asset-links-list">{items}</ul></div>')


def discussion(ns: str, class_pk: int, action_url: str, sign_in_url: str) -> str:
    """taglib/ui/discussion/page.jsp for a guest when the entry has no comments yet."""
    return f"""<div class="hide lfr-message-response" id="{ns}discussion-status-messages"></div>
<div class="taglib-discussion" id="{ns}discussion-container">
<form action="{esc(action_url)}" class="form " id="{ns}fm{class_pk}" method="post" name="{ns}fm{class_pk}">
<input class="field" id="{ns}className" name="{ns}className" type="hidden" value="com.liferay.portlet.journal.model.JournalArticle" />
<input class="field" id="{ns}classPK" name="{ns}classPK" type="hidden" value="{class_pk}" />
<div class="lfr-discussion-reply-container"><div class="lfr-discussion-posting-msg">Chưa có bình luận nào.
<a href="{esc(sign_in_url)}">Hãy đăng nhập để bình luận.</a></div></div></form></div>"""


def ratings(action_url: str) -> str:
    """full_content.jsp's div.asset-ratings around liferay-ui:ratings (a guest sees the stars; the
    rating link is an action URL)."""
    return (f'<div class="asset-ratings"><div class="taglib-ratings stars"><a href="{esc(action_url)}">Đánh giá</a>'
            "</div></div>")


def portlet(portlet_id: str, title: str, content: str) -> str:
    """A portlet's boundary and decoration (portlet-boundary, portlet-topper) as 6.2's classic theme
    writes them."""
    return f"""<div class="portlet-boundary portlet-boundary_101_ portlet-static portlet-asset-publisher" id="p_p_id_{portlet_id}_">
<span id="p_{portlet_id}"></span><section class="portlet" id="portlet_{portlet_id}"><header class="portlet-topper"><h1 class="portlet-title">
<span class="portlet-title-text">{esc(title)}</span></h1></header>
<div class="portlet-content"><div class="portlet-content-container"><div class="portlet-body">{content}</div></div></div></section></div>"""
