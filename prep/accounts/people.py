"""How people are named to each other: one function, used by every page, email and invite."""

from __future__ import annotations

DELETED_NAME = "a deleted account"


def display_name(user) -> str:
    """The name other people see for ``user``; "a deleted account" for None."""
    if user is None:
        return DELETED_NAME
    return user.get_full_name() or user.get_username()
