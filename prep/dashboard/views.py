from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from curriculum import plans
from curriculum import selectors as curriculum_selectors
from prep.lib.localtime import local_day

from . import readiness, selectors


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
    now = timezone.now()
    tz = timezone.get_current_timezone()
    plan = plans.plan_for_reading(request.user)
    day = local_day(tz, now).date
    areas = readiness.readiness(request.user, role=profile.role, plan=plan, now=now)
    weakest = min(areas, key=lambda a: a.score) if areas else None
    entries = selectors.today_queue(request.user, plan=plan, tz=tz, now=now)
    # Nothing planned today: say when the work starts (a Sunday sign-up, a rest day). Read
    # always, so the page's query count does not depend on today.
    upcoming = curriculum_selectors.next_work_day(plan, today=day) if plan else None
    if upcoming and (upcoming[0] == day or any(e.kind == "plan" for e in entries)):
        upcoming = None
    history = readiness.history(request.user, until=day)
    for area in areas:  # today's point is the live figure, stored or not
        points = [p for p in history.get(area.area, []) if p[0] != day]
        history[area.area] = [*points, (day, area.score)]
    context = {
        "upcoming": upcoming,
        "profile": profile,
        "plan": plan,
        "today": day,
        "days_left": (plan.interview - day).days if plan else None,
        "entries": entries,
        "areas": areas,
        "weakest": weakest,
        "series": readiness.chart(history, until=day),
        "chart": {"w": readiness.CHART_W, "h": readiness.CHART_H},
    }
    return render(request, "dashboard/today.html", context)
