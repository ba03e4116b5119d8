from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import sandbox, selectors, services
from .models import MLProblem, Submission


@login_required
def problem_list(request):
    kind = request.GET.get("kind", "")
    if kind not in ("", "python", "sql"):
        kind = ""
    problems = selectors.problem_list(user=request.user, kind=kind)
    resolves = selectors.resolves(user=request.user)
    return render(
        request,
        "judge/problem_list.html",
        {"problems": problems, "kind": kind, "resolves": resolves},
    )


@login_required
def problem_detail(request, slug):
    problem = get_object_or_404(MLProblem, slug=slug, retired_at=None)
    context = selectors.problem_page(user=request.user, problem=problem)
    latest = context["submissions"][0] if context["submissions"] else None
    context.update(
        problem=problem,
        latest=latest,
        code=latest.code if latest else problem.starter,
        sandbox_problem=sandbox.probe(),
        hints_seen=set(
            request.user.ml_hint_views.filter(problem=problem).values_list("index", flat=True)
        ),
        show_editorial=any(s.accepted for s in context["submissions"])
        or "editorial" in request.GET,
    )
    return render(request, "judge/problem_detail.html", context)


@login_required
@require_POST
def submission_create(request, slug):
    problem = get_object_or_404(MLProblem, slug=slug, retired_at=None)
    is_submit = request.POST.get("action") != "run"
    try:
        submission = services.submission_create(
            user=request.user,
            problem=problem,
            code=request.POST.get("code", ""),
            is_submit=is_submit,
        )
    except services.JudgeError as exc:
        if request.htmx:
            return render(request, "judge/_verdict.html", {"error": str(exc)}, status=200)
        messages.error(request, str(exc))
        return redirect("judge:problem_detail", slug=slug)
    if request.htmx:
        submission.refresh_from_db()
        return render(request, "judge/_verdict.html", {"submission": submission})
    return redirect("judge:problem_detail", slug=slug)


@login_required
def submission_status(request, pk):
    submission = get_object_or_404(Submission.objects.filter(user=request.user), pk=pk)
    return render(request, "judge/_verdict.html", {"submission": submission})


@login_required
@require_POST
def hint_reveal(request, slug, index):
    problem = get_object_or_404(MLProblem, slug=slug, retired_at=None)
    try:
        services.hint_reveal(user=request.user, problem=problem, index=index)
    except services.JudgeError:
        pass
    return redirect(problem_url(problem) + "#hints")


def problem_url(problem):
    from django.urls import reverse

    return reverse("judge:problem_detail", args=[problem.slug])
