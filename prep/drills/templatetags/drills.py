"""Template helpers: server-side syntax highlighting with CSS classes (no inline styles)."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

register = template.Library()

LEXERS = {
    "python": "python",
    "java": "java",
    "cpp": "cpp",
    "javascript": "javascript",
    "typescript": "typescript",
    "go": "go",
    "rust": "rust",
    "kotlin": "kotlin",
    "csharp": "csharp",
    "swift": "swift",
    "sql": "sql",
}
FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)


@register.filter
def highlight_code(code: str, language: str = "") -> str:
    """Pygments escapes the code; the markup carries classes styled by drills.css."""
    try:
        lexer = get_lexer_by_name(LEXERS[language], stripnl=False)
    except (KeyError, ClassNotFound):
        lexer = TextLexer(stripnl=False)
    return mark_safe(highlight(code, lexer, FORMATTER))  # noqa: S308 - Pygments escapes


@register.filter
def minutes_label(value) -> str:
    if value is None:
        return "—"
    value = float(value)
    return f"{value:.0f} min" if value == int(value) else f"{value:.1f} min"
