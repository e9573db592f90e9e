"""Liferay 6.x URLs: which article a URL names, which listing page, and which are actions.

Every URL form below gives the same key for one article: its asset entry id where the URL
carries it, else ``t:<urlTitle>`` (the parser then keys the record by the entry id printed
in the page, and the state remembers the urlTitle key as an alias). Sources:
docs/sites/liferay.md.

- portlet parameters, in the default asset publisher's namespace ``_101_`` or an instanced
  one's ``_101_INSTANCE_<id>_``: ``…&_101_assetEntryId=<id>&_101_urlTitle=<slug>``, or
  ``…_101_viewMode=view&_101_urlTitle=<slug>`` with no id;
- Liferay 6.2's friendly asset publisher routes (asset-publisher-friendly-url-routes.xml):
  ``/<page>/-/asset_publisher/<instance>/content/<urlTitle>[/<groupId>][/<p_p_state>]`` and
  ``/<page>/-/asset_publisher/<instance>/content/id/<entryId>[/<p_p_state>]``;
- district themes' ``/<page>/-/view_content/<id>-<slug>.html``;
- the old city portal's ``/<page>/-/hn/<code>/<category-id>/<article-id>/<n>/<slug>.html``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from wardcrawl.parsers.common import href_hint

# "_101_assetEntryId", "_101_INSTANCE_4IVkx5Jltnbg_urlTitle": (namespace, parameter).
NAMESPACED = re.compile(r"^_(101(?:_INSTANCE_[A-Za-z0-9]+)?)_([A-Za-z]+)$")
FRIENDLY_KEY = re.compile(r"/-/view_content/(\d+)-[^/]*$")
HN_PORTAL_KEY = re.compile(r"/-/hn/[^/]+/\d+/(\d+)/\d+/[^/]+\.html$")
# Only the "content" type (journal articles); "/<instance>/rss" has no type segment.
ASSET_PUBLISHER_KEY = re.compile(
    r"/-/asset_publisher/[A-Za-z0-9]+/content/(?:id/(?P<entry>\d+)|(?P<title>(?!id/)[^/]+)(?:/\d+)?)(?:/[a-z_]+)?/?$")
PAGE_PARAM = re.compile(r"(?:^|_)cur$")
ARTICLE_PATH = re.compile(r"/-/(?:view_content|hn|asset_publisher)/")

# What the raw href of an article link contains (common.href_hint): a key parameter (or a
# percent sign: parse_qsl decodes the names), a friendly route, or an "<id>-<slug>" / ".html"
# last segment. One hint for every form: any Liferay site may link any of them.
ARTICLE_HREF_HINT = href_hint(r"assetEntryId|urlTitle|%|/-/asset_publisher/|(?:^|/)\d+-|\.html")


def query_params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def portlet_params(params: dict[str, str]) -> dict[str, str]:
    """The asset publisher's own parameters without their namespace: those of the portlet that
    ``p_p_id`` names, else of the first namespace carrying an article parameter."""
    by_namespace: dict[str, dict[str, str]] = {}
    for name, value in params.items():
        match = NAMESPACED.match(name)
        if match:
            by_namespace.setdefault(match.group(1), {})[match.group(2)] = value
    named = by_namespace.get(params.get("p_p_id", ""))
    if named is not None:
        return named
    return next((p for p in by_namespace.values() if "assetEntryId" in p or "urlTitle" in p), {})


def is_action_url(url: str) -> bool:
    """Liferay action URLs (p_p_lifecycle=1) may change state: never follow them."""
    return query_params(url).get("p_p_lifecycle") == "1"


def article_key_from_url(url: str, shape: str = "asset_publisher") -> str | None:
    """The site's own article key carried by an article URL (any form), or None for other URLs.

    ``shape`` (the registry's url_shape) does not narrow the forms: a site links its articles
    in several (listing, sidebar, related assets)."""
    params = query_params(url)
    if params.get("p_p_lifecycle", "0") != "0":  # actions (1) and resources (2: RSS, images)
        return None
    path = urlsplit(url).path
    for pattern in (FRIENDLY_KEY, HN_PORTAL_KEY):
        match = pattern.search(path)
        if match:
            return match.group(1)
    match = ASSET_PUBLISHER_KEY.search(path)
    if match:
        return match.group("entry") or "t:" + match.group("title")
    own = portlet_params(params)
    entry = own.get("assetEntryId", "")
    if entry.isdigit():
        return entry
    if own.get("urlTitle"):
        return "t:" + own["urlTitle"]
    return None


def url_title_from_url(url: str) -> str | None:
    """The urlTitle an article URL names (beside its entry id, or alone), or None."""
    match = ASSET_PUBLISHER_KEY.search(urlsplit(url).path)
    if match:
        return match.group("title")
    return portlet_params(query_params(url)).get("urlTitle") or None


def listing_page_number(url: str) -> int:
    """The page a listing URL asks for (``_101_cur``, ``_101_INSTANCE_x_cur``...); 1 if none."""
    value = next((v for k, v in query_params(url).items() if PAGE_PARAM.search(k)), "1")
    return int(value) if value.isdigit() else 1


def page_path(url_path: str) -> str:
    """The page (layout) path of a URL path: friendly article routes cut off."""
    match = ARTICLE_PATH.search(url_path)
    return url_path[: match.start()] if match else url_path
