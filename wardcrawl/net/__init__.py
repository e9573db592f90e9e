"""How requests reach the sites: politeness per host (politeness.py), proxies (proxy.py)
and network failures named in words (errors.py). See docs/live.md."""
