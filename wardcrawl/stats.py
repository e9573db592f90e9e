"""Stat keys in one place, so that reports and tests read the same names."""

PREFIX = "wardcrawl"


def boilerplate(rule: str) -> str:
    return f"{PREFIX}/boilerplate/{rule}"


def dropped(reason: str) -> str:
    return f"{PREFIX}/dropped/{reason}"


def rejected(reason: str) -> str:
    return f"{PREFIX}/rejected/{reason}"


REJECTED_RECORDS = f"{PREFIX}/rejected_records"  # records rejected (each counts once, whatever its reasons)


def layout_miss(site: str) -> str:
    return f"{PREFIX}/layout_miss/{site}"


def quality(flag: str) -> str:
    return f"{PREFIX}/quality/{flag}"


EXPORTED = f"{PREFIX}/items_accepted"
PLACES_AMBIGUOUS = f"{PREFIX}/places/ambiguous"  # records naming a unit the context could not settle
LISTING_OVER_LIMIT = f"{PREFIX}/listing_over_limit"


def listing_end(reason: str) -> str:
    return f"{PREFIX}/listing_end/{reason}"


def listing_error(kind: str) -> str:
    return f"{PREFIX}/listing_error/{kind}"


def listing_api_missing(section: str) -> str:
    """A new-CMS category walked without its listing-API values (wardcrawl/spiders/hanoicms.py)."""
    return f"{PREFIX}/listing_api_missing/{section}"


def listing_api_empty(section: str) -> str:
    """A new-CMS category whose listing API answered nothing at its first page (values wrong?)."""
    return f"{PREFIX}/listing_api_empty/{section}"


def articles_from(source: str) -> str:
    """Articles exported (new or updated) whose bytes came from ``source``: live, wayback, commoncrawl, warc-file."""
    return f"{PREFIX}/articles_from/{source}"


def articles(kind: str) -> str:
    """new / updated / unchanged, as the export pipeline classified them."""
    return f"{PREFIX}/articles/{kind}"


ARTICLE_PAGES = f"{PREFIX}/article_pages"  # article pages fetched and parsed (or missed)
ARTICLES_LISTED = f"{PREFIX}/articles/listed"  # article links seen on listing pages
SKIPPED_KNOWN = f"{PREFIX}/skipped_known"  # known articles not fetched again


def coverage(field: str) -> str:
    """Parsed articles with a non-empty ``field`` (title, body, published_at)."""
    return f"{PREFIX}/coverage/{field}"


# Faults and safety (wardcrawl/safety/, docs/faults.md).
def failed(reason: str) -> str:
    return f"{PREFIX}/failed/{reason}"


def retried(reason: str) -> str:
    return f"{PREFIX}/retried/{reason}"


def blocked(reason: str) -> str:
    return f"{PREFIX}/blocked/{reason}"


def gone(status: int) -> str:
    return f"{PREFIX}/gone/{status}"


def page_dropped(reason: str) -> str:
    return f"{PREFIX}/page_dropped/{reason}"


RETRY_AFTER_HONOURED = f"{PREFIX}/retry_after_honoured"  # retries that waited as the server asked

# Per host: the delay and concurrency it got and why (wardcrawl/net/politeness.py).
POLITENESS = f"{PREFIX}/politeness"
