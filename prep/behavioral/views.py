from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import content, selectors, services
from .forms import StoryForm
from .models import Story


def _own_story(request, pk: int) -> Story:
    return get_object_or_404(Story.objects.for_user(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def story_list(request):
    """The story builder: your stories, what each competency has, and what is uncovered."""
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.story_save(user=request.user, data=form.cleaned_data)
        return redirect("behavioral:stories")
    stories, coverage, uncovered = selectors.story_coverage(user=request.user)
    return render(
        request,
        "behavioral/stories.html",
        {"form": form, "stories": stories, "coverage": coverage, "uncovered": uncovered},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_create(request):
    return story_list(request)


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request, pk):
    story = _own_story(request, pk)
    form = StoryForm(request.POST or None, instance=story)
    if request.method == "POST" and form.is_valid():
        services.story_save(user=request.user, data=form.cleaned_data, story=story)
        return redirect("behavioral:stories")
    return render(
        request,
        "behavioral/story_edit.html",
        {"form": form, "story": story},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def story_delete(request, pk):
    services.story_delete(story=_own_story(request, pk))
    return redirect("behavioral:stories")


@login_required
@require_POST
def story_rehearse(request, pk):
    services.story_rehearse(story=_own_story(request, pk))
    return redirect("behavioral:stories")


@login_required
@require_GET
def question_bank(request):
    return render(request, "behavioral/questions.html", {"groups": content.bank().by_competency()})


@login_required
@require_GET
def company_research(request):
    """Week 4's company research: the profile's target companies with their loop profiles."""
    profile = getattr(request, "profile", None)
    names = profile.company_list if profile is not None else []
    return render(
        request,
        "behavioral/companies.html",
        {
            "targets": content.match_companies(names),
            "companies": content.companies(),
            "role": getattr(profile, "role", None),
        },
    )


@login_required
@require_GET
def company_detail(request, slug):
    company = content.company(slug)
    if company is None:
        raise Http404("No profile for this company yet")
    profile = getattr(request, "profile", None)
    role = getattr(profile, "role", None)
    return render(
        request,
        "behavioral/company_detail.html",
        {"company": company, "rounds": company.rounds_for(role), "role": role},
    )
