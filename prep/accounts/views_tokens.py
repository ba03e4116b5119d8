"""Settings → API tokens: create (the plaintext is shown once), list, revoke.

Creating follows post/redirect/get: the new token's plaintext rides in the session to the
page the redirect opens and is taken out as it is shown, so a reload shows it no more and
creates nothing. Each form carries a one-time key (``prep.lib.once``), so a double click (two
POSTs racing with the same key) creates one token."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from prep.lib import once
from prep.lib.once import form_key_field

from .models import ApiToken
from .security import fresh_login_required
from .tokens import api_token_create, api_token_revoke

EXPIRY_CHOICES = [
    ("", "Never (until revoked)"),
    ("7", "In 7 days"),
    ("30", "In 30 days"),
    ("90", "In 90 days"),
]

MAX_ACTIVE_TOKENS = 20


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="Where it is used, e.g. “Overlay on my laptop”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.CAPTURE,
        required=False,  # a plain post of just a name makes a capture token
        help_text="Capture records mocks (and streams their events); read only can only read.",
    )
    expires = forms.ChoiceField(label="Expires", choices=EXPIRY_CHOICES, required=False)
    form_key = form_key_field()

    def expires_at(self):
        import datetime as dt

        from django.utils import timezone

        days = self.cleaned_data.get("expires")
        return timezone.now() + dt.timedelta(days=int(days)) if days else None


NEW_TOKEN_SESSION_KEY = "accounts:new_api_token"


def _page(request, form, *, plaintext=None, created=None, status=200):
    tokens = list(ApiToken.objects.for_user(request.user))
    response = render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "plaintext": plaintext, "created": created},
        status=status,
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
@fresh_login_required
def api_tokens(request):
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            if ApiToken.objects.for_user(request.user).active().count() >= MAX_ACTIVE_TOKENS:
                form.add_error(None, f"At most {MAX_ACTIVE_TOKENS} active tokens: revoke one.")
            elif not once.claim(request.user, "api-token", form.cleaned_data["form_key"]):
                # The same form sent twice (a double click): the first post made the token.
                return redirect("accounts:api_tokens")
            else:
                token, plaintext = api_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"] or ApiToken.Scope.CAPTURE,
                    expires_at=form.expires_at(),
                )
                request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "plaintext": plaintext}
                return redirect("accounts:api_tokens")
        return _page(request, form, status=422)
    shown = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if shown:
        created = ApiToken.objects.for_user(request.user).filter(pk=shown.get("id")).first()
        if created is not None:
            return _page(request, TokenForm(), plaintext=shown.get("plaintext"), created=created)
    return _page(request, TokenForm())


@login_required
@require_POST
def api_token_revoke_view(request, pk):
    token = get_object_or_404(ApiToken.objects.for_user(request.user), pk=pk)
    api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("accounts:api_tokens")
