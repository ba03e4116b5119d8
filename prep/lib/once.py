"""One-time form keys: a form that creates something carries a random key; the first POST
with it claims the key (an atomic ``cache.add``, so of two racing posts from a double click
exactly one wins), a second POST with the same key creates nothing. The views pair it with
post/redirect/get, so a reload never re-sends the form either."""

from __future__ import annotations

import uuid

from django import forms
from django.core.cache import cache

KEY_SECONDS = 24 * 3600


def form_key_field() -> forms.CharField:
    """The hidden field: a fresh key each time the form is shown; optional (an API client or
    an old page without it is simply not deduplicated)."""
    return forms.CharField(
        widget=forms.HiddenInput, max_length=64, required=False, initial=lambda: uuid.uuid4().hex
    )


def claim(user, scope: str, key: str) -> bool:
    """True the first time ``user`` sends ``key`` for ``scope``; False for a repeat."""
    if not key:
        return True
    return cache.add(f"once:{scope}:{user.pk}:{key[:64]}", 1, KEY_SECONDS)
