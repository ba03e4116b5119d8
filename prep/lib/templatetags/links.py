"""``{% link "dashboard:today" %}``: ``{% url %}`` for a URL without arguments, reversed once
per process (per URLconf and script prefix) instead of on every render.

base.html links the same pages on every page; reversing a URL costs tens of microseconds
each time, a dozen times a page. A URL without arguments is the same on every request.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=256)
def _reversed(name: str, urlconf, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def link(name: str) -> str:
    return _reversed(name, get_urlconf(), get_script_prefix())
