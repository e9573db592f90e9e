"""wardcrawl: archival crawler for Hanoi local-government and party-committee news."""

__version__ = "0.1.0"
