"""Polite defaults shared by every profile."""

from wardcrawl import __version__
from wardcrawl.feeds import feeds_under

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
    "wardcrawl.pipelines.DedupePipeline": 400,
}

# JSON lines in UTF-8, one file per site per run, renamed into place only when complete.
FEED_EXPORT_ENCODING = "utf-8"
FEED_STORAGES = {
    "": "wardcrawl.feeds.AtomicFileFeedStorage",
    "file": "wardcrawl.feeds.AtomicFileFeedStorage",
}
DATA_DIR = "data"
FEEDS = feeds_under(DATA_DIR)

LOG_FORMATTER = "wardcrawl.logformatter.WardcrawlLogFormatter"
EXTENSIONS = {"wardcrawl.extensions.StatsFile": 500}

LOG_LEVEL = "INFO"
