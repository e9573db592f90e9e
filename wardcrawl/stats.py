"""Stat keys in one place, so that reports and tests read the same names."""

PREFIX = "wardcrawl"


def boilerplate(rule: str) -> str:
    return f"{PREFIX}/boilerplate/{rule}"


def dropped(reason: str) -> str:
    return f"{PREFIX}/dropped/{reason}"


def rejected(reason: str) -> str:
    return f"{PREFIX}/rejected/{reason}"


def layout_miss(site: str) -> str:
    return f"{PREFIX}/layout_miss/{site}"


def quality(flag: str) -> str:
    return f"{PREFIX}/quality/{flag}"


EXPORTED = f"{PREFIX}/items_accepted"
LISTING_OVER_LIMIT = f"{PREFIX}/listing_over_limit"


def listing_end(reason: str) -> str:
    return f"{PREFIX}/listing_end/{reason}"


def listing_error(kind: str) -> str:
    return f"{PREFIX}/listing_error/{kind}"
