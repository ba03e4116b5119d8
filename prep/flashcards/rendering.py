"""Markdown to safe HTML for card text: Markdown renders, nh3 sanitises (an allow-list)."""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Render ``text`` (Markdown, possibly with Anki's HTML) to sanitised HTML."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def normalise_tags(raw: str | list[str] | tuple[str, ...]) -> str:
    """Anki-style tags as stored: unique, space-separated, wrapped in spaces (or "")."""
    words = raw.replace(",", " ").split() if isinstance(raw, str) else list(raw)
    seen: list[str] = []
    for word in words:
        word = word.strip()[:60]
        if word and word not in seen:
            seen.append(word)
    return f" {' '.join(seen)} " if seen else ""
