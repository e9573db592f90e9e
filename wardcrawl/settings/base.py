"""Polite defaults shared by every profile."""

from wardcrawl import __version__

BOT_NAME = "wardcrawl"
SPIDER_MODULES = ["wardcrawl.spiders"]
NEWSPIDER_MODULE = "wardcrawl.spiders"
COMMANDS_MODULE = "wardcrawl.commands"

# Identify ourselves honestly; no browser disguise.
USER_AGENT = f"wardcrawl/{__version__} (archival crawler of Hanoi local-government news)"
ROBOTSTXT_OBEY = True

# Government portals are small and slow: keep the load low.
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

# Several URLs lead to one Liferay article: fingerprint by the site's own article key.
REQUEST_FINGERPRINTER_CLASS = "wardcrawl.fingerprint.ArticleKeyFingerprinter"

ITEM_PIPELINES = {
    "wardcrawl.pipelines.CleanPipeline": 100,
    "wardcrawl.pipelines.NormalisePipeline": 200,
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

# Incremental crawling (docs/cron.md): a listing walk stops after this many known articles
# in a row; known articles published in the last REFETCH_DAYS days are fetched again.
INCREMENTAL_KNOWN_STREAK = 10
REFETCH_DAYS = 3

LOG_FORMATTER = "wardcrawl.logformatter.WardcrawlLogFormatter"
EXTENSIONS = {"wardcrawl.extensions.StatsFile": 500}

LOG_LEVEL = "INFO"

# WARC capture of every response with its request (docs/warc.md): off here, on in cron.
# Files go to DATA_DIR/warc/; the middlewares do nothing while WARC_ENABLED is false.
WARC_ENABLED = False
WARC_MAX_SIZE = 1_000_000_000  # bytes; a new file (next serial) once a file reaches this
WARC_REVISITS = True  # a payload archived before (same digest) is written as a revisit record,
WARC_REVISIT_ANY_URI = True  # ... also when it was archived under another URI (a URL variant)
DOWNLOADER_MIDDLEWARES = {
    **globals().get("DOWNLOADER_MIDDLEWARES", {}),
    "wardcrawl.warc.WarcCaptureMiddleware": 585,  # after HttpCompression (590): the decoded body
    "wardcrawl.decoding.DecodingMiddleware": 580,  # after WARC capture: archives keep the bytes as served
    "wardcrawl.warc.WarcRedirectCaptureMiddleware": 605,  # 3xx, before RedirectMiddleware (600)
}
SPIDER_MIDDLEWARES = {
    **globals().get("SPIDER_MIDDLEWARES", {}),
    "wardcrawl.warc.WarcLinkMiddleware": 950,
}
