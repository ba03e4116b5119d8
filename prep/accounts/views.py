from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import services
from .forms import ProfileForm, timezone_names


def _profile_form_view(request, *, template: str, success_message: str, next_url: str):
    profile = services.profile_get_or_create(user=request.user)
    today = profile.local_today()
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile, today=today)
        if form.is_valid():
            services.profile_update(profile=profile, data=form.cleaned_data)
            messages.success(request, success_message)
            return redirect(next_url)
    else:
        form = ProfileForm(instance=profile, today=today)
    return render(
        request,
        template,
        {"form": form, "profile": profile, "timezones": sorted(timezone_names())},
    )


@login_required
def onboarding(request):
    return _profile_form_view(
        request,
        template="accounts/onboarding.html",
        success_message="You're set up. Here is your plan.",
        next_url="dashboard:today",
    )


@login_required
def profile(request):
    return _profile_form_view(
        request,
        template="accounts/profile.html",
        success_message="Profile saved; your plan has been updated.",
        next_url="accounts:profile",
    )
