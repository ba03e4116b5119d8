from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

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


class TimezoneMiddleware:
    """Activate the signed-in user's profile timezone for the request, so views
    (``timezone.get_current_timezone()``) and templates (dates and times) show the user's
    local time without each working it out. No query: the profile comes with the user
    (prep.accounts.backends)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        profile = getattr(user, "profile", None) if user and user.is_authenticated else None
        if profile is not None:
            timezone.activate(profile.tzinfo)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
