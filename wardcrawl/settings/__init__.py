"""Default settings: the polite base. Other profiles: ``dev``, ``cron``, ``mirror``.

Pick one with ``SCRAPY_SETTINGS_MODULE=wardcrawl.settings.<profile>``.
"""

from wardcrawl.settings.base import *  # noqa: F401,F403
