from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in user may reach before finishing onboarding.
EXEMPT_PREFIXES = (
    "/accounts/",
    "/onboarding/",
    "/static/",
    "/healthz",
    "/api/",
    "/admin/",
    "/calendar/",
)


class OnboardingMiddleware:
    """Send signed-in users who have not onboarded yet to the onboarding form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            # Loaded with the user by prep.accounts.backends (no query here).
            profile = getattr(user, "profile", None)
            request.profile = profile
            if profile is None or not profile.is_onboarded:
                return redirect(reverse("accounts:onboarding"))
        return self.get_response(request)
