"""Crawl the offline mirror: real site URLs, answered by the loopback mirror server.

``WARDCRAWL_MIRROR`` (host:port) says where the mirror listens; ``scrapy demo`` and the
tests set it. Nothing here is used by a live crawl.
"""

import os

from wardcrawl.settings.base import *  # noqa: F401,F403

MIRROR_ADDRESS = os.environ.get("WARDCRAWL_MIRROR", "127.0.0.1:8765")
DOWNLOAD_HANDLERS = {
    "http": "mirror.handler.MirrorDownloadHandler",
    "https": "mirror.handler.MirrorDownloadHandler",
}
# The mirror is on loopback: never through a proxy, whatever http_proxy, WARDCRAWL_PROXY or the
# registry say (the download handler drops any proxy too).
HTTPPROXY_ENABLED = False
# Loopback needs no politeness delay; robots.txt is still obeyed (the mirror serves one).
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_TIMEOUT = 15
# Loopback answers at once: retry sooner than a live site would want.
RETRY_BACKOFF_BASE = 0.25
RETRY_BACKOFF_MAX = 4.0
RETRY_AFTER_MAX = 10.0
# Provenance: a run of the mirror marks its data dir (and its reports) as the mirror's, and a live
# crawl refuses such a data dir (wardcrawl/state/repair.py: check_source): the mirror's articles
# carry the real sites' ids, and a live crawl reading their state would skip the real articles.
WARDCRAWL_MIRROR_RUN = True
DATA_DIR = "data/demo"  # the demo's data dir: never the live archive's
