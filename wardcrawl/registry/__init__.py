"""The registry at the scale of every Hanoi unit (the loader itself is ``wardcrawl/sites.py``).

- ``wardcrawl.registry.names``: host labels, slugs and thanhuyhanoi.vn category slugs from unit names;
- ``wardcrawl.registry.generate``: writes ``wardcrawl/sites.generated.toml`` from the gazetteer
  (``python -m wardcrawl.registry.generate`` or ``scrapy registry generate``);
- ``wardcrawl.registry.probe``: what a host's answer says (alive, moved, gone, blocked; family,
  menu sections), pure functions; ``wardcrawl.registry.probe_spider`` fetches; ``scrapy probe``
  writes the proposed patch.
"""
