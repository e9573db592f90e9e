"""Where pages come from besides the live sites: web archives (``wayback``)."""
