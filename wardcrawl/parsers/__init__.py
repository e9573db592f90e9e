"""Pure extraction, one module per platform family."""

from wardcrawl.parsers import hanoicms, liferay, thanhuy

# Selector names each family accepts as per-site overrides in the registry.
FAMILY_SELECTORS = {"liferay": liferay.SELECTORS, "hanoicms": hanoicms.SELECTORS, "thanhuy": thanhuy.SELECTORS}
FAMILY_PARSERS = {"liferay": liferay.parse_article, "hanoicms": hanoicms.parse_article,
                  "thanhuy": thanhuy.parse_article}
