"""Log lines that name a dropped item by id and reason, not by its whole text."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter


class WardcrawlLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider=None):
        adapter = ItemAdapter(item) if ItemAdapter.is_item(item) else {}
        return {
            "level": logging.INFO,  # every drop is counted by reason in the stats
            "msg": "Dropped %(id)s from %(url)s: %(reason)s",
            "args": {"id": adapter.get("id"), "url": adapter.get("url"), "reason": exception},
        }
