"""Which mirror serves which host. One entry per mirrored site."""

from __future__ import annotations

from mirror import corpus
from mirror.liferay import LiferaySite

# Sites whose mirrors exist: the demo crawls exactly these.
MIRRORED_SITES = ("longbien",)


def build_sites() -> list[LiferaySite]:
    return [
        LiferaySite(
            name="Cổng thông tin điện tử quận Long Biên",
            scheme="http",
            host="longbien.hanoi.gov.vn",
            aliases={"portal.longbien.gov.vn": "/web/guest"},
            sections=corpus.SECTION_NAMES,
            articles=corpus.longbien_articles(),
            variant_entry_id=corpus.VARIANT_ENTRY_ID,
        ),
    ]
