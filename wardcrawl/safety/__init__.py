"""Faults, bad input and safety: the crawl keeps going, loses nothing and goes nowhere it should not.

Downloader middlewares (wired in wardcrawl/settings/base.py; docs/faults.md), by module:
hosts.py (the host guard), robots.py, retry.py (retries, backoff, failure reasons) and
pages.py (what comes back: decompression, non-HTML bodies, redirects, pages that fail to parse).
What still fails after the retries is deferred to the next run (deferral.py).

- ``HostGuardMiddleware`` (40, before robots.txt and Scrapy's offsite filter): a request
  goes only to the spider's own registry hosts, over http(s), on the default ports, never
  to an IP literal in a private, loopback or link-local range. Scrapy's OffsiteMiddleware
  lets subdomains and every ``dont_filter`` request through, including a retried request
  that is then redirected to another host; this guard does not.
- ``SafeRobotsTxtMiddleware`` (100): Scrapy 2.19's robots.txt middleware lets the third
  and later requests waiting for the same robots.txt skip the check (each waiter turns the
  shared Deferred's result into None); here every waiter gets the parser. A robots.txt
  that cannot be read (5xx, 429, network failure after the retries) disallows the whole
  host for the run (RFC 9309 2.3.1.4); the refused requests are deferred to the next run.
- ``BackoffRetryMiddleware`` (550): Scrapy's retries, with exponential backoff and
  ``Retry-After`` (seconds or an HTTP date) honoured up to ``RETRY_AFTER_MAX``; a request
  still failing after ``RETRY_TIMES`` retries, or asked to wait longer than the cap, is
  deferred to the next run (wardcrawl/safety/deferral.py). 404 and 410 are recorded as gone.
- ``GuardedHttpCompressionMiddleware`` (590) counts responses cut during decompression
  (DOWNLOAD_MAXSIZE holds while inflating: a gzip bomb is stopped, not inflated).
- ``NonHtmlGuardMiddleware`` (582): PDF, DOC, ZIP, images and other binary bodies are
  recognised by their bytes whatever the Content-Type says, counted and never parsed.
- ``SafeRedirectMiddleware`` (600) and ``SafeMetaRefreshMiddleware`` (580): redirect loops and
  cycles are stopped and counted; an article request that is redirected is not thrown away
  as a duplicate of itself (Scrapy keeps its meta, hence its article-key fingerprint, and the
  dupefilter would drop it: the article was silently lost).

Every failure is counted in the stats with its reason: ``wardcrawl/failed/<reason>``
(failed for good), ``wardcrawl/retried/<reason>``, ``wardcrawl/blocked/<reason>``,
``wardcrawl/gone/<status>``, ``wardcrawl/page_dropped/non_html/<kind>``, and the deferrals
under ``wardcrawl/deferred/<reason>``; the run report (wardcrawl/report/health.py) shows them.
"""
