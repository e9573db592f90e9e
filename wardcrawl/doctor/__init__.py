"""`scrapy doctor <site>`: first contact with a site (wardcrawl/commands/doctor.py, docs/live.md).

checks.py (pure: selector tables of a page), spider.py (the crawl: the site's own spider,
one step of each walk), saved.py (pages saved as fixture candidates), report.py (printing).
"""
