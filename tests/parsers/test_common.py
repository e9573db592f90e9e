"""Shared parser helpers: the fast container lookup agrees with the selector's XPath."""

from __future__ import annotations

import pytest
from lxml import etree
from parsel.csstranslator import HTMLTranslator

from tests.conftest import fixture_pages
from wardcrawl.text.decoding import decoded_response
from wardcrawl.parsers import FAMILY_SELECTORS
from wardcrawl.parsers.common import TAG_AND_CLASSES, first_element
from wardcrawl.sites import registry

HTML = """<html><body><div class="asset-content-x">a</div><section class="asset-content">b</section>
<div class="x  asset-content	y" id="want">c</div><div class="asset-content" id="later">d</div>
<!-- <div class="asset-content">comment</div> --><p class="lead note">e</p></body></html>"""


def _by_xpath(root, css):
    found = root.xpath(HTMLTranslator().css_to_xpath(css))
    return found[0] if found else None


@pytest.mark.parametrize("css, want", [
    ("div.asset-content", "want"), (".asset-content", None), ("div.x.y", "want"), ("p.note.lead", None),
    ("div.missing", "absent"), ("DIV.asset-content", "want"),
])
def test_first_element_matches_like_the_css_selector(css, want):
    root = etree.fromstring(HTML, etree.HTMLParser())
    found = first_element(root, css)
    assert found == _by_xpath(root, css)
    if want == "absent":
        assert found is None
    elif want:
        assert found.get("id") == want


def test_first_element_agrees_with_xpath_on_every_fixture_page_and_selector():
    checked = 0
    for family, selectors in FAMILY_SELECTORS.items():
        for page in fixture_pages(family):
            site = registry().get(page.meta["site"])
            root = decoded_response(page.response()).selector.root
            for css in {*selectors.values(), *(site.selectors.values() if site else ())}:
                if css and TAG_AND_CLASSES.match(css):
                    assert first_element(root, css) == _by_xpath(root, css), (page.name, css)
                    checked += 1
    assert checked > 100
