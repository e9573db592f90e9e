"""Walk an article body's HTML into ordered text and image blocks.

Shared by every platform family: block elements stand alone, runs of inline content
are joined, ``<br>`` splits paragraphs, nested layout divs and tables are walked, and a
short centred or italic line right after an image is that image's caption. A line break in
the source is a space (Word-pasted HTML wraps one paragraph across many source lines): only
``<br>`` and block elements break a paragraph (and the lines of a ``<pre>``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import html as lxml_html

BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tbody",
                        "thead", "tr", "td", "th", "blockquote", "figure", "figcaption", "section", "article",
                        "center", "pre", "dl", "dt", "dd", "form", "fieldset"})
# Form labels are kept: boilerplate rules remove them by name, counted in the stats.
SKIP_TAGS = frozenset({"script", "style", "noscript", "iframe", "button", "input", "select",
                       "textarea", "object", "embed", "svg"})
CONTAINER_TAGS = frozenset({"div", "table", "tbody", "thead", "tr", "td", "th", "section", "article",
                            "ul", "ol", "blockquote", "figure", "center", "dl", "form", "fieldset"})
MAX_CAPTION_CHARS = 300
# Where itertext() would not give an inline run's text: line breaks, and tags whose text is left out.
_ITERTEXT_WRONG = ("br", *SKIP_TAGS)
# NBSP is left for the cleaning step: it may be half of a mojibake pair ("Ã\xa0" is a misread "à").
_WS = re.compile(r"[ \t\r\n\f\v]+")
_WS_NOT_SPACE = re.compile(r"[\t\r\f\v\u2029]")
# A <br> inside a run of text: U+2029 PARAGRAPH SEPARATOR, so that the source's own newlines stay spaces.
_BREAK = "\u2029"


@dataclass
class TextBlock:
    text: str
    caption_like: bool = False  # styled as a caption and right after an image (only then is it looked at)


@dataclass
class ImageBlock:
    url: str


def _tag(node) -> str:
    tag = node.tag
    return tag.lower() if tag.__class__ is str else ""  # comments and processing instructions have none


def _clean_lines(text: str) -> list[str]:
    # One line, spaced already: printable text holds no "\n", tab or other control (no regex scan needed).
    if (text.isprintable() or ("\n" not in text and not _WS_NOT_SPACE.search(text))) and "  " not in text:
        text = text.strip()
        return [text] if text else []
    return [line for line in (_WS.sub(" ", part).strip() for part in text.split(_BREAK)) if line]


def _inline_text(node) -> str:
    """Text of an inline run, with <br> as a line break and skipped tags left out."""
    if not isinstance(node.tag, str):  # comments and processing instructions: no text
        return ""
    if next(node.iter(*_ITERTEXT_WRONG), None) is None:  # lxml's own walk gives the same text, in C
        return "".join(node.itertext())
    tag = _tag(node)
    if tag in SKIP_TAGS:
        return ""
    if tag == "br":
        parts = [_BREAK]
    elif not len(node):  # a leaf: most runs
        return node.text or ""
    else:
        parts = [node.text or ""]
    for child in node:
        parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _caption_like(node, tag: str) -> bool:
    """A line styled as a caption: centred, italic throughout, or marked as one."""
    style = node.get("style")
    if style and "text-align:center" in style.replace(" ", "").lower():
        return True
    cls = node.get("class")
    if cls and ("caption" in cls.lower() or "desc" in cls.lower()) or tag == "figcaption":
        return True
    italics = list(node.iter("em", "i"))
    if not italics:  # most paragraphs: no italic run at all
        return False
    text = "".join(node.itertext()).strip()
    italic = "".join("".join(e.itertext()) for e in italics).strip()
    return bool(text) and italic == text


def _has_block_child(node) -> bool:
    return any(_tag(child) in BLOCK_TAGS for child in node)


def _walk(node, base_url: str, out: list) -> None:
    run: list[str] = []

    def flush() -> None:
        if run:
            text = "".join(run)
            run.clear()
            if text and not text.isspace():  # most runs between blocks are the markup's line breaks
                out.extend(TextBlock(line) for line in _clean_lines(text))

    run.append(node.text or "")
    for child in node:
        tag = _tag(child)
        if tag in SKIP_TAGS:
            pass
        elif tag == "img":
            flush()
            _add_image(child, base_url, out)
        elif tag in BLOCK_TAGS:
            flush()
            _walk_block(child, base_url, out)
        else:
            images = list(child.iter("img"))
            if images:
                flush()
                for img in images:
                    _add_image(img, base_url, out)
                run.append(_inline_text(child))
            else:
                run.append(_inline_text(child))
        run.append(child.tail or "")
    flush()


def _walk_block(node, base_url: str, out: list) -> None:
    tag = _tag(node)
    if len(node):
        if tag in CONTAINER_TAGS and _has_block_child(node):
            _walk(node, base_url, out)
            return
        for img in node.iter("img"):
            _add_image(img, base_url, out)
        text = _inline_text(node)
    else:  # a block with text only: most paragraphs
        text = node.text or ""
    if tag == "pre":
        text = text.replace("\n", _BREAK)
    lines = _clean_lines(text)
    if not lines:
        return
    # Only a line right after a photo can be its caption (split_captions): the styling is looked at then only.
    caption = (bool(out) and isinstance(out[-1], ImageBlock) and _caption_like(node, tag)
               and sum(len(ln) for ln in lines) <= MAX_CAPTION_CHARS)
    out.extend(TextBlock(line, caption_like=caption) for line in lines)


def _add_image(img, base_url: str, out: list) -> None:
    if next(img.iterancestors("form"), None) is not None:  # captcha and button images, never article photos
        return
    src = (img.get("src") or img.get("data-src") or "").strip()
    if src and not src.startswith("data:"):
        out.append(ImageBlock(urljoin(base_url, src)))


def element_blocks(element, base_url: str) -> list[TextBlock | ImageBlock]:
    """Ordered blocks of an article body, walked straight from the page's parsed tree."""
    out: list[TextBlock | ImageBlock] = []
    _walk(element, base_url, out)
    return out


def body_blocks(fragment_html: str, base_url: str) -> list[TextBlock | ImageBlock]:
    """Ordered blocks of an article body given as an HTML fragment (saved snippets, tests)."""
    if not fragment_html.strip():
        return []
    return element_blocks(lxml_html.fragment_fromstring(fragment_html, create_parent="div"), base_url)


def split_captions(blocks: list[TextBlock | ImageBlock]) -> tuple[list[str], list[dict]]:
    """Paragraphs, and images each with the caption-like line that directly follows it."""
    paragraphs: list[str] = []
    images: list[dict] = []
    previous = None
    for block in blocks:
        if isinstance(block, ImageBlock):
            images.append({"url": block.url, "caption": None})
        elif isinstance(previous, ImageBlock) and block.caption_like and images[-1]["caption"] is None:
            images[-1]["caption"] = block.text
        else:
            paragraphs.append(block.text)
        previous = block
    return paragraphs, images
