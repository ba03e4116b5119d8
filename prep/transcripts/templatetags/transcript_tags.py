from django import template

from ..markdown import mmss as _mmss

register = template.Library()


@register.filter
def mmss(ms) -> str:
    """Milliseconds of media time as m:ss (h:mm:ss past an hour)."""
    try:
        return _mmss(int(ms))
    except (TypeError, ValueError):
        return ""


@register.filter
def minutes(ms) -> str:
    try:
        return f"{int(ms) / 60000:.1f}"
    except (TypeError, ValueError):
        return ""
