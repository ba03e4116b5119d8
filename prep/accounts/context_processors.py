from django.utils.functional import SimpleLazyObject


def account_state(request):
    """``user_email_verified``: evaluated only when a template asks (one query)."""
    user = getattr(request, "user", None)

    def verified() -> bool:
        if user is None or not user.is_authenticated:
            return True
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user=user, verified=True).exists()

    return {"user_email_verified": SimpleLazyObject(verified)}
