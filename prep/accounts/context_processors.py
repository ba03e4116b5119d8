from django.utils.functional import SimpleLazyObject


def account_state(request):
    """``user_email_verified``: read with the user by prep.accounts.backends (no query of
    its own); a user loaded otherwise (a test client's ``force_login`` and the session of a
    request made before this request's sign-in) is asked when a template asks (one query)."""
    user = getattr(request, "user", None)

    def verified() -> bool:
        if user is None or not user.is_authenticated:
            return True
        known = getattr(user, "email_verified", None)
        if known is not None:
            return known
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user=user, verified=True).exists()

    return {"user_email_verified": SimpleLazyObject(verified)}
