"""Pure extraction, one module per platform family."""

from wardcrawl.parsers import liferay

# Selector names each family accepts as per-site overrides in the registry.
FAMILY_SELECTORS = {"liferay": liferay.SELECTORS}
FAMILY_PARSERS = {"liferay": liferay.parse_article}
