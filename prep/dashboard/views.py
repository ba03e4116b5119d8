from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from curriculum import plans
from curriculum import selectors as plan_selectors


def home(request):
    """The landing page for visitors; signed-in users go to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard:today")
    return render(request, "home.html")


@login_required
def today(request):
    plan = plans.plan_for_reading(request.user)
    context = {"profile": request.profile, "plan": plan, "today_items": [], "overdue": 0}
    if plan is not None:
        day = plans.local_today(plan)
        context["today"] = day
        context["today_items"] = plan_selectors.plan_days(plan, start=day, end=day, today=day)[
            0
        ].items
        context["areas"] = plan_selectors.area_progress(plan)
        context["streak"] = plan_selectors.streak(plan, today=day)
    return render(request, "dashboard/today.html", context)
