from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def plan(request):
    return render(request, "curriculum/plan.html")
