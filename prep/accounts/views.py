from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import services
from .forms import ProfileForm, timezone_names
from .security import fresh_login_required


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


@login_required
def data_export(request):
    from django.http import HttpResponse

    from .data import account_export_json

    response = HttpResponse(account_export_json(user=request.user), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="prep-export.json"'
    return response


@login_required
@fresh_login_required
def account_delete(request):
    from django.contrib.auth import logout

    from .data import account_delete as delete_account
    from .forms import DeleteAccountForm

    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        delete_account(user=request.user)
        logout(request)
        messages.success(request, "Your account and everything it held are deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
