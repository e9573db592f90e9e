"""A failed download named in words a person can act on (docs/live.md says what to try)."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import TunnelError

from wardcrawl.safety.retry import failure_reason

# failure_reason() -> (what happened, what to try)
WORDS = {
    "dns": ("DNS lookup failed: the host name did not resolve",
            "try another resolver (docs/live.md, 'DNS fails')"),
    "connection_refused": ("connection refused: nothing listens on that port, or a firewall says no",
                           "check the address; from another network, or through a proxy (docs/live.md)"),
    "timeout": ("timed out: no answer within DOWNLOAD_TIMEOUT",
                "the host may silently drop this network's packets: try a proxy (docs/live.md)"),
    "connection_lost": ("connection dropped after connect: the host accepted, then closed it without an answer",
                        "hosts that drop datacenter networks do this: try a proxy (docs/live.md)"),
    "connection_reset": ("connection reset while the page was coming",
                         "try again later, or through a proxy (docs/live.md)"),
    "truncated": ("connection closed before the whole page came", "try again later, or through a proxy"),
    "connect_error": ("could not connect", "check the network, or try a proxy (docs/live.md)"),
    "proxy_tunnel": ("the proxy refused or failed the CONNECT tunnel", "check WARDCRAWL_PROXY / https_proxy"),
}

NETWORK_REASONS = frozenset(WORDS)


def network_reason(exc: BaseException) -> str | None:
    """The short name of a network failure (a key of WORDS), or None when ``exc`` is not one."""
    if isinstance(exc, TunnelError):
        return "proxy_tunnel"
    reason = failure_reason(exc)
    return reason if reason in NETWORK_REASONS else None


def in_words(exc: BaseException, url: str, proxy: str | None = None) -> str:
    """'<host>: <what happened> (<the error>); <what to try>'; through a proxy, the proxy is named
    first: it is the proxy that refused, timed out or dropped the connection, or could not resolve."""
    from wardcrawl.net.proxy import without_credentials

    reason = network_reason(exc)
    host = urlsplit(url).hostname or url
    if proxy:
        host = f"{host} through the proxy {without_credentials(proxy)}"
    if reason is None:
        return f"{host}: {type(exc).__name__}: {exc}"
    what, remedy = WORDS[reason]
    detail = str(exc).strip() or type(exc).__name__
    if proxy:
        remedy = "check the proxy (WARDCRAWL_PROXY, the registry's proxy, http_proxy/https_proxy)"
    return f"{host}: {what} ({detail}); {remedy}"
