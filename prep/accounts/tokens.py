"""Personal API tokens for the capture overlay.

A token reads ``prep_<prefix>_<secret>``: the prefix (8 hex characters) finds the row, the
secret carries 256 random bits. Only an HMAC-SHA256 of the whole token, keyed by
SECRET_KEY, is stored, and it is compared in constant time. The plaintext is returned once,
by ``api_token_create``, and never again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "prep_"
#: last_used_at is written at most this often per token (a write per request would cost).
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)


def _digest(token: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def _split(token: str) -> str | None:
    """The lookup prefix of a well-formed token, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    parts = token[len(TOKEN_PREFIX) :].split("_", 1)
    if len(parts) != 2 or len(parts[0]) != 8 or not parts[1]:
        return None
    return parts[0]


@transaction.atomic
def api_token_create(
    *,
    user,
    name: str,
    scope: str = ApiToken.Scope.CAPTURE,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a named token for ``user``; returns (row, plaintext). The plaintext is not kept.
    The owner is emailed a notice (a token they did not make means a stolen session)."""
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    plaintext = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100] or "Token",
        scope=scope,
        expires_at=expires_at,
        prefix=prefix,
        digest=_digest(plaintext),
    )
    from .tasks import send_security_notice

    send_security_notice.delay_on_commit(user.pk, "token", token.name)
    return token, plaintext


def api_token_revoke(*, token: ApiToken, now: dt.datetime | None = None) -> ApiToken:
    """Revoke a token; it is refused from then on. Revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
    return token


def api_token_authenticate(token: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The active, unexpired token row matching ``token`` (with its user loaded), or None.

    Touches last_used_at, at most once per LAST_USED_RESOLUTION.
    """
    prefix = _split(token or "")
    if prefix is None:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None or not hmac.compare_digest(row.digest, _digest(token)):
        return None
    now = now or timezone.now()
    if row.is_expired(now):
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
