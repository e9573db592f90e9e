"""Places: Hanoi's units before and after the July 2025 reform, and which of them a record is about.

- ``wardcrawl.places.gazetteer``: the data (units, old -> new links) and its loader API;
- ``wardcrawl.places.tagging``: finding unit names in text and deciding which unit each is;
- ``wardcrawl.places.record``: a record's ``places`` and ``site_place`` (``tag_article``);
- ``wardcrawl.places.regenerate``: rebuilds the data from ``vietnamadminunits`` (tooling only).
"""
