"""How people are named to each other: one function, used by every page, email and invite.

Peers see a display name chosen at onboarding, never an email address or a username made
from one. Without a chosen name, a neutral default ("Peer 3f9a2") derived from the account
id and the secret key, so it says nothing about the email and cannot be guessed from it.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

DELETED_NAME = "a deleted account"


def default_name(user_id: int) -> str:
    code = hmac.new(
        settings.SECRET_KEY.encode(), f"display-name:{user_id}".encode(), hashlib.sha256
    ).hexdigest()[:5]
    return f"Peer {code}"


def display_name(user) -> str:
    """The name other people see for ``user``; "a deleted account" for None."""
    if user is None:
        return DELETED_NAME
    try:
        chosen = user.profile.display_name
    except Exception:  # noqa: BLE001 - a user without a profile (admin-made)
        chosen = ""
    return chosen or default_name(user.pk)
