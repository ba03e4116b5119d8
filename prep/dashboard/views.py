from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


def home(request):
    """The landing page for visitors; signed-in users go to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard:today")
    return render(request, "home.html")


@login_required
def today(request):
    return render(request, "dashboard/today.html", {"profile": request.profile, "today_items": []})
