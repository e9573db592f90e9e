"""The egg scrapyd nodes run (docs/distributed.md): `scrapyd-deploy` builds it with this file.

Only the crawler goes in: the wardcrawl package with its registry (sites.toml), record
schema and gazetteer (places/data) as package data, and its settings module named for scrapyd. Dependencies are the
nodes' own: `pip install -r requirements.txt scrapyd` there.
"""

from setuptools import find_packages, setup

from wardcrawl import __version__

setup(
    name="wardcrawl",
    version=__version__,
    packages=find_packages(include=["wardcrawl", "wardcrawl.*"]),
    package_data={"wardcrawl": ["sites.toml", "sites.generated.toml"], "wardcrawl.schema": ["*.json"],
                  "wardcrawl.places": ["data/*.csv", "data/*.json"]},
    entry_points={"scrapy": ["settings = wardcrawl.settings"]},
    zip_safe=True,
)
