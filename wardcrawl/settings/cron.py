"""Nightly runs: log to a file, no colour, keep the polite defaults."""

from wardcrawl.settings.base import *  # noqa: F401,F403

LOG_FILE = "data/logs/wardcrawl.log"
LOG_LEVEL = "INFO"
