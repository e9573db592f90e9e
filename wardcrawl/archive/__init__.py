"""The archive: WARC capture (``warc``), reading WARCs back (``read``), re-extraction from
saved pages and WARCs (``extract``) and WACZ packages (``wacz``). See docs/warc.md."""
