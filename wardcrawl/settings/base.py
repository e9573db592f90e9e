"""Polite defaults shared by every profile."""

import logging
import time

from wardcrawl import __version__

BOT_NAME = "wardcrawl"
SPIDER_MODULES = ["wardcrawl.spiders"]
NEWSPIDER_MODULE = "wardcrawl.spiders"
COMMANDS_MODULE = "wardcrawl.commands"

# Identify ourselves honestly; no browser disguise.
USER_AGENT = f"wardcrawl/{__version__} (archival crawler of Hanoi local-government news)"
ROBOTSTXT_OBEY = True

# Government portals are small and slow: keep the load low. These are the fastest we go:
# robots.txt Crawl-delay and a registry entry's `delay`/`concurrency` can only slow a host
# down (wardcrawl/net/politeness.py); AutoThrottle may slow it further, never below them.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 3
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Nor Scrapy's remote control (2.19: an HTTP server in every crawl that runs Python code sent to it,
# its token written to a job file in the home directory): a nightly archive job needs no live
# console, nor a server to start and stop in every job.
REMOTE_CONTROL_ENABLED = False

# Several URLs lead to one Liferay article: fingerprint by the site's own article key.
REQUEST_FINGERPRINTER_CLASS = "wardcrawl.fingerprint.ArticleKeyFingerprinter"

ITEM_PIPELINES = {
    "wardcrawl.pipelines.CleanPipeline": 100,
    "wardcrawl.pipelines.NormalisePipeline": 200,
    "wardcrawl.pipelines.PlacesPipeline": 250,
    "wardcrawl.pipelines.ValidatePipeline": 300,
    "wardcrawl.pipelines.AliasPipeline": 350,
    "wardcrawl.pipelines.DedupePipeline": 400,
    "wardcrawl.pipelines.ExportPipeline": 500,
}

# The archive's own output is written by ExportPipeline: data/<site>/<site>-<run>.jsonl,
# exactly once across crashes. Scrapy's feeds (-o/-O) still work for ad-hoc copies, in UTF-8
# and renamed into place only when complete.
FEED_EXPORT_ENCODING = "utf-8"
FEED_STORAGES = {
    "": "wardcrawl.feeds.AtomicFileFeedStorage",
    "file": "wardcrawl.feeds.AtomicFileFeedStorage",
}
DATA_DIR = "data"
STATE_PATH = None  # default: DATA_DIR/state.sqlite3
# postgresql://… shares one state store between nodes (docs/distributed.md); default: SQLite at STATE_PATH.
STATE_URL = None
# Set by `scrapy cron --scrapyd` on its jobs: each crawl saves its site report in the state store.
STATE_SITE_REPORT = False

# Incremental crawling (docs/cron.md): a listing walk stops after this many known articles
# in a row; known articles published in the last REFETCH_DAYS days are fetched again.
INCREMENTAL_KNOWN_STREAK = 10
REFETCH_DAYS = 3
# Sites crawled at once by one `scrapy cron`/`demo` process (wardcrawl/runner.py): a site starts
# when another finishes. Peak memory grows with the sites crawling together (a first night over
# 163 sites: 325 MB all at once, 194 MB 32 at once; docs/cron.md). 0: every site at once.
CONCURRENT_SITES = 32

LOG_FORMATTER = "wardcrawl.logformatter.WardcrawlLogFormatter"
EXTENSIONS = {
    "wardcrawl.extensions.StatsFile": 500,
    "wardcrawl.distributed.jobreport.SiteReportToState": 510,
    "wardcrawl.net.politeness.Politeness": 10,
    "scrapy.extensions.throttle.AutoThrottle": None,
    "wardcrawl.net.politeness.PoliteAutoThrottle": 0,
}

LOG_LEVEL = "INFO"

# WARC capture of every response with its request (docs/warc.md): off here, on in cron.
# Files go to DATA_DIR/warc/; the middlewares stay unloaded while WARC_ENABLED is false.
WARC_ENABLED = False
WARC_MAX_SIZE = 1_000_000_000  # bytes; a new file (next serial) once a file reaches this
WARC_REVISITS = True  # a payload archived before (same digest) is written as a revisit record,
WARC_REVISIT_ANY_URI = True  # ... also when it was archived under another URI (a URL variant)

# Faults, bad input and safety (wardcrawl/safety/, deferral included; docs/faults.md).
# Retries wait RETRY_BACKOFF_BASE seconds, then twice as long each time (at most RETRY_BACKOFF_MAX),
# or as long as a 429/503 Retry-After asks up to RETRY_AFTER_MAX; a longer wait, or a request still
# failing after RETRY_TIMES retries, is deferred to the next run (DEFER_FAILED). A request deferred
# HEALTH_MAX_DEFERRED_RUNS runs in a row makes its site unhealthy.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 300.0
DEFER_FAILED = True
HEALTH_MAX_DEFERRED_RUNS = 3
# A listing walk goes no deeper than this page number (endless pagination and calendar traps).
LISTING_MAX_PAGES = 2000
# A listing page that fails for good is skipped (the walk goes on at the next), this many in a row at most.
LISTING_SKIP_FAILED = 3

# On the response path the higher numbers run first: decompression (590), WARC capture of the
# bytes as served (585), the non-HTML guard (582), re-decoding (581), meta refresh (580).
DOWNLOADER_MIDDLEWARES = {
    "wardcrawl.safety.hosts.HostGuardMiddleware": 40,  # before robots.txt and Scrapy's offsite filter (50)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "wardcrawl.safety.robots.SafeRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "wardcrawl.safety.retry.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "wardcrawl.safety.pages.SafeMetaRefreshMiddleware": 580,
    "wardcrawl.text.decoding.DecodingMiddleware": 581,
    "wardcrawl.safety.pages.NonHtmlGuardMiddleware": 582,
    "wardcrawl.archive.capture.WarcCaptureMiddleware": 585,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "wardcrawl.safety.pages.GuardedHttpCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "wardcrawl.safety.pages.SafeRedirectMiddleware": 600,
    "wardcrawl.archive.capture.WarcRedirectCaptureMiddleware": 605,  # 3xx, before the redirect middleware sees them
    "wardcrawl.net.proxy.SiteProxyMiddleware": 745,  # the registry's or WARDCRAWL_PROXY's proxy, before Scrapy's (750)
}
# Proxies (docs/live.md): a registry entry's `proxy`, else WARDCRAWL_PROXY (this setting or the
# environment variable), else the standard http_proxy/https_proxy/no_proxy variables.
WARDCRAWL_PROXY = None
SPIDER_MIDDLEWARES = {
    "wardcrawl.safety.deferral.DeferredRequestsMiddleware": 20,  # next to Scrapy's start middleware (25)
    "wardcrawl.safety.pages.PageErrorMiddleware": 55,  # a page that fails to parse: a counted drop
    "wardcrawl.archive.capture.WarcLinkMiddleware": 950,
}

# Log times in Hanoi time, as run ids and reports are, and saying so (the machine's zone may differ).
LOG_DATEFORMAT = "%Y-%m-%d %H:%M:%S+07:00"
logging.Formatter.converter = staticmethod(lambda seconds: time.gmtime(seconds + 7 * 3600))
