"""Annotation bodies: Markdown in, safe HTML out.

markdown-it-py with raw HTML switched off does most of the work; nh3 then
keeps only the tags and URL schemes an annotation needs, so whatever slips
through the parser (a `javascript:` link, an event handler) is removed.
"""

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")

ALLOWED_TAGS = {"p", "em", "strong", "code", "a", "ul", "ol", "li", "blockquote", "br", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    html = _markdown.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
