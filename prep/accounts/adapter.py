from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """New accounts go straight on to onboarding; verification waits for the banner."""

    def get_signup_redirect_url(self, request):
        return reverse("accounts:onboarding")
