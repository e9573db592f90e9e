"""Interactive development against a live site: quicker feedback, still polite."""

from wardcrawl.settings.base import *  # noqa: F401,F403

HTTPCACHE_ENABLED = True
HTTPCACHE_DIR = "httpcache"
LOG_LEVEL = "DEBUG"
