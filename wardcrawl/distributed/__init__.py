"""Runs spread over scrapyd nodes sharing one PostgreSQL state store (docs/distributed.md):
``coordinator`` (`scrapy cron --scrapyd`), ``scrapyd`` (the nodes' JSON API) and ``jobreport``
(each job saves its site's report in the state store)."""
