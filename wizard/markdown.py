"""Help texts as safe HTML: an input's `description` is markdown (a chart's values carry
links and `code`), rendered with markdown-it-py's CommonMark preset and raw HTML off.

Raw HTML in a description is shown as text, never as markup: the description is the
vendor's (or the chart author's) text, and the page is the customer's. Links keep only the
schemes markdown-it allows (no `javascript:`/`data:`), open as plain links with
`rel="nofollow noopener noreferrer"`; images are not rendered (a help text must not load
anything). A chart's descriptions repeat (every map value shares one schema), so a text is
rendered once per process.
"""

from __future__ import annotations

import functools
import re

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable(["image"])


def _link_open(renderer, tokens, idx, options, env):
    tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
    return renderer.renderToken(tokens, idx, options, env)


_md.add_render_rule("link_open", _link_open)

_TAGS = re.compile(r"<[^>]+>")


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> SafeString:
    """The HTML of a help text (markdown, no raw HTML)."""
    return mark_safe(_md.render(text or "").strip())  # markdown-it escapes; html is off


@functools.lru_cache(maxsize=4096)
def plain_text(text: str) -> str:
    """A help text without its markup, for search results and titles."""
    html = _md.render(text or "")
    return (
        " ".join(_TAGS.sub(" ", html).split())
        .replace("&quot;", '"')
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
    )
