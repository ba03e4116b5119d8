from django import template

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
