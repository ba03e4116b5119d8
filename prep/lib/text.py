"""Text that a database can store: one rule for the API, the forms and the uploads.

PostgreSQL cannot store NUL (U+0000) in text, and no database can store a lone surrogate
(U+D800–U+DFFF: not encodable as UTF-8). Such input is refused with a message naming the
field, never a 500.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_reason(value: str) -> str | None:
    """Why ``value`` cannot be stored, or None when it can."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    char = found.group()
    return "a NUL character" if char == "\x00" else f"an unpaired surrogate (U+{ord(char):04X})"


def strip_unstorable(value: str) -> str:
    """``value`` without the characters a database cannot store (for navigation parameters
    such as a search box, where the nearest valid value beats an error)."""
    return _UNSTORABLE.sub("", value)


class StorableQueryMiddleware:
    """A query parameter (name or value) a database cannot store is a 400 page that names
    it, on every page: views then never pass NUL to a query. (Form fields are held to the
    same rule by Django's CharField, which refuses NUL; the API by prep.lib.api.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            for name, values in request.GET.lists():
                for text in (name, *values):
                    reason = unstorable_reason(text)
                    if reason:
                        from django.shortcuts import render

                        message = (
                            f"The query parameter {strip_unstorable(name)!r} contains {reason}, "
                            "which Prep cannot use. Remove it and try again."
                        )
                        return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
