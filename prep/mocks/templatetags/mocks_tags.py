from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from prep.lib import formatting

register = template.Library()


@register.filter
def clock(seconds) -> str:
    """Seconds as m:ss (or h:mm:ss past an hour)."""
    try:
        return formatting.clock(int(seconds))
    except (TypeError, ValueError):
        return "0:00"


@register.filter
def get(mapping, key):
    """mapping[key] in a template, or None."""
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


_NO_SCORE = mark_safe('<td class="num score-cell">—</td>')  # noqa: S308 - a constant


@lru_cache(maxsize=256, typed=True)  # typed: 3 and 3.0 print differently
def _score_cell(value) -> str:
    return (
        '<td class="num score-cell"><meter min="0" max="4" low="2.5" high="3.5" '
        f'optimum="4" value="{escape(value)}" aria-hidden="true"></meter>'
        f"<span>{escape(value)}</span></td>"
        if value
        else _NO_SCORE
    )


@register.filter
def score_cells(values) -> str:
    """The history table's score cells: a meter and the figure, or a dash. Written here, not
    as a template loop: a hundred rows of seven scores through the engine were most of the
    page's server time. Scores are few (1-4, means to one decimal), so each cell's markup is
    built once and kept."""
    return mark_safe("".join(map(_score_cell, values)))  # noqa: S308 - numbers, escaped
