"""Account security: who must sign in again, and the email notices of security events.

- ``fresh_login_required``: deleting the account and creating an API token need a sign-in
  (or a re-authentication) within ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds; otherwise
  allauth asks for the password (and the second factor, when set) first.
- Notices: a new sign-in and a new API token email the owner (here); a password change is
  allauth's own notice (``ACCOUNT_EMAIL_NOTIFICATIONS``). Each goes out after commit.
"""

from __future__ import annotations

import time
from functools import wraps

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.dispatch import receiver
from django.template.loader import render_to_string

SUBJECTS = {
    "signin": "New sign-in to your Prep account",
    "token": "A new API token was created for your Prep account",
}


def recently_signed_in(request) -> bool:
    """A sign-in or re-authentication in this session within the timeout."""
    if not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    return time.time() - records[-1]["at"] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def fresh_login_required(view):
    """Refuse a POST (the write) without a recent sign-in: allauth's reauthentication page
    asks for it and comes back. GET shows the page as usual."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not recently_signed_in(request):
            raise ReauthenticationRequired()
        return view(request, *args, **kwargs)

    return wrapper


def notice_send(*, user_id: int, kind: str, detail: str = "") -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or kind not in SUBJECTS:
        return False
    context = {"user": user, "kind": kind, "detail": detail, "site_url": settings.SITE_URL}
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{SUBJECTS[kind]}",
        message=render_to_string("accounts/email/security_notice.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True


@receiver(user_logged_in, dispatch_uid="prep-signin-notice")
def _signin_notice(sender, request, user, **kwargs):
    from .tasks import send_security_notice

    agent = (request.META.get("HTTP_USER_AGENT") or "an unknown browser")[:200]
    send_security_notice.delay_on_commit(user.pk, "signin", agent)
