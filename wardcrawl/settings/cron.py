"""Nightly runs (`scrapy cron`): the polite defaults, WARC capture on.

`scrapy cron` logs each run to data/logs/<run>.log unless LOG_FILE is given with -s.
"""

from wardcrawl.settings.base import *  # noqa: F401,F403

LOG_LEVEL = "INFO"

# Nightly runs archive every response as WARC (data/warc/, see docs/warc.md).
WARC_ENABLED = True
