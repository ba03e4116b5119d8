from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from curriculum import plans

from . import selectors


def home(request):
    """The landing page for visitors; signed-in users go to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard:today")
    return render(request, "home.html")


@login_required
def today(request):
    """Reads only (tests/test_get_writes_nothing.py): today's figures are stored when the user
    does something (prep.dashboard.services); the chart shows them live for today."""
    profile = request.profile
    plan = plans.plan_for_reading(request.user)
    context = selectors.today_page(
        request.user,
        role=profile.role,
        plan=plan,
        tz=timezone.get_current_timezone(),
        now=timezone.now(),
    )
    return render(request, "dashboard/today.html", {**context, "profile": profile, "plan": plan})
