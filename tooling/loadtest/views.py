"""The load test's floor page: what Django itself costs here, measured beside the site.

Signed in (the same middleware, session and user as every page), one indexed query (the
user's last 20 drill attempts, on ``drills_att_user_time``) and a minimal template. Served
only by the load test's URLconf (tooling/loadtest/urls.py); the product never mounts it.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from prep.drills.models import Attempt


@login_required
@require_GET
def floor(request):
    rows = list(
        Attempt.objects.filter(user=request.user)
        .order_by("-finished_at")
        .values_list("problem_id", "outcome", "finished_at")[:20]
    )
    return render(request, "loadtest/floor.html", {"rows": rows})
