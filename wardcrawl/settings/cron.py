"""Nightly runs: log to a file, no colour, keep the polite defaults."""

from wardcrawl.settings.base import *  # noqa: F401,F403

LOG_FILE = "data/logs/wardcrawl.log"
LOG_LEVEL = "INFO"

# Nightly runs archive every response as WARC (data/warc/, see docs/warc.md).
WARC_ENABLED = True
