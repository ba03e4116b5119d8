"""Drills: thin views. Load scoped to the user → call a service → render or redirect."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prep.lib import once
from prep.lib.localtime import local_day

from . import charts, selectors, services
from .forms import AttemptForm, FilterForm, ImportForm, ProblemForm
from .models import Attempt, Problem, Timer


def _role(request) -> str:
    profile = getattr(request, "profile", None)
    return profile.role if profile else ""


def _visible_problem(request, pk: int) -> Problem:
    try:
        return selectors.problem_for(request.user, pk)
    except Problem.DoesNotExist:
        raise Http404("No such problem") from None


PROBLEMS_PER_PAGE = 25


def _with_urls(problems: list[selectors.ProblemRow]) -> list[selectors.ProblemRow]:
    """Each problem's page link, from one reverse for the page rather than one per row."""
    sentinel = "918273645546372819"
    head, tail = reverse("drills:problem_detail", args=[int(sentinel)]).split(sentinel)
    for p in problems:
        p.page_url = f"{head}{p.pk}{tail}"
    return problems


@login_required
@require_GET
def problem_list(request):
    now = timezone.now()
    patterns, lists = selectors.patterns(), selectors.problem_lists()
    form = FilterForm(request.GET or None, patterns=patterns, lists=lists)
    filters = form.filters()
    problems = selectors.problems_for(
        request.user, filters=filters, now=now, tz=timezone.get_current_timezone()
    )
    # A page at a time (the bank has ~170 problems); the page links keep the filters.
    page = Paginator(problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "problems": _with_urls(
            selectors.page_details(
                request.user, list(page.object_list), patterns=patterns, lists=lists
            )
        ),
        "page": page,
        "total": len(problems),
        "due_today": local_day(timezone.get_current_timezone(), now).end,
        "tab": "problems",
    }
    template_name = "drills/problem_list.html"
    if request.htmx and not request.htmx.boosted:
        template_name += "#results"
    return render(request, template_name, context)


def _problem_context(request, problem: Problem, *, form: AttemptForm | None = None) -> dict:
    timer = Timer.objects.filter(user=request.user, problem=problem).first()
    review = problem.reviews.filter(user=request.user).first()
    elapsed = ""
    if timer is not None:
        seconds = max(0, int((timezone.now() - timer.started_at).total_seconds()))
        hours, rest = divmod(seconds, 3600)
        elapsed = (
            f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
            if hours
            else f"{rest // 60:02d}:{rest % 60:02d}"
        )
    return {
        "problem": problem,
        "timer": timer,
        "elapsed": elapsed,
        "review": review,
        "attempts": selectors.attempts_of(request.user, problem),
        "form": form or AttemptForm(timer_running=timer is not None),
        "tab": "problems",
    }


@login_required
@require_GET
def problem_detail(request, pk):
    problem = _visible_problem(request, pk)
    return render(request, "drills/problem_detail.html", _problem_context(request, problem))


@login_required
@require_POST
def timer_start(request, pk):
    problem = _visible_problem(request, pk)
    services.timer_start(user=request.user, problem=problem)
    return redirect("drills:problem_detail", pk=problem.pk)


@login_required
@require_POST
def timer_discard(request, pk):
    problem = _visible_problem(request, pk)
    services.timer_discard(user=request.user, problem=problem)
    messages.info(request, "Timer discarded.")
    return redirect("drills:problem_detail", pk=problem.pk)


@login_required
@require_POST
def attempt_create(request, pk):
    try:
        problem = selectors.problem_to_attempt(request.user, pk)
    except Problem.DoesNotExist:
        raise Http404("No such problem") from None
    form = AttemptForm(request.POST, timer_running=problem.timer_running)
    if not form.is_valid():
        context = _problem_context(request, problem, form=form)
        return render(request, "drills/problem_detail.html", context, status=400)
    data = dict(form.cleaned_data)
    if not once.claim(request.user, f"attempt:{problem.pk}", data.pop("form_key", "")):
        # The same form sent twice (a double click): the first post logged it.
        return redirect("drills:problem_detail", pk=problem.pk)
    try:
        attempt = services.attempt_log(user=request.user, problem=problem, **data)
    except services.DrillError as exc:
        form.add_error(None, str(exc))
        context = _problem_context(request, problem, form=form)
        return render(request, "drills/problem_detail.html", context, status=400)
    text = f"Logged: {attempt.get_outcome_display().lower()} in {attempt.minutes} min."
    if attempt.review:
        due = attempt.review.due.astimezone(timezone.get_current_timezone()).date()
        text += f" Re-solve due {due:%a %d %b %Y}."
    messages.success(request, text)
    return redirect("drills:problem_detail", pk=problem.pk)


@login_required
@require_http_methods(["GET", "POST"])
def problem_create(request):
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not once.claim(request.user, "problem", data.pop("form_key", "")):
            return redirect("drills:problem_list")
        problem = services.problem_create(user=request.user, **data)
        messages.success(request, f"Added “{problem.title}” to your bank.")
        return redirect("drills:problem_detail", pk=problem.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "drills/problem_form.html", {"form": form, "tab": "problems"}, status=status
    )


@login_required
@require_GET
def attempt_list(request):
    context = {
        "attempts": selectors.attempt_history(request.user),
        "total": selectors.attempt_count(request.user),
        "tab": "history",
    }
    return render(request, "drills/attempt_list.html", context)


@login_required
@require_GET
def attempt_detail(request, pk):
    attempt = get_object_or_404(
        Attempt.objects.filter(user=request.user).select_related("problem"), pk=pk
    )
    return render(request, "drills/attempt_detail.html", {"attempt": attempt, "tab": "history"})


@login_required
@require_POST
def attempt_delete(request, pk):
    attempt = get_object_or_404(Attempt.objects.filter(user=request.user), pk=pk)
    problem_id = attempt.problem_id
    services.attempt_delete(attempt=attempt)
    messages.success(request, "Attempt deleted; its progress no longer counts.")
    if request.POST.get("next") == "history":
        return redirect("drills:attempt_list")
    return redirect("drills:problem_detail", pk=problem_id)


@login_required
@require_GET
def resolve_list(request):
    due, upcoming = selectors.resolve_queue(
        request.user, now=timezone.now(), tz=timezone.get_current_timezone()
    )
    context = {
        "due": due,
        "upcoming": upcoming,
        "tab": "resolve",
        "tz": timezone.get_current_timezone(),
    }
    return render(request, "drills/resolve_list.html", context)


@login_required
@require_GET
def coverage(request):
    cov = selectors.coverage_for(request.user, role=_role(request))
    context = {"cov": cov, "chart": charts.coverage_bars(cov.patterns), "tab": "coverage"}
    return render(request, "drills/coverage.html", context)


@login_required
@require_GET
def attempts_export(request):
    out = io.StringIO()
    services.attempts_export(user=request.user, out=out)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = local_day(timezone.get_current_timezone()).date.isoformat()
    response["Content-Disposition"] = f'attachment; filename="drill-attempts-{stamp}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attempts_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attempts_import(
                user=request.user,
                data=form.cleaned_data["file"],
                tz=timezone.get_current_timezone(),
            )
        except services.ImportRejected as exc:
            errors = exc.errors
        else:
            text = f"Imported {result.imported} attempt{'s' if result.imported != 1 else ''}."
            if result.skipped:
                text += f" Skipped {result.skipped} already in your history."
            messages.success(request, text)
            return redirect("drills:attempt_list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "errors": errors, "tab": "import", "columns": services.CSV_COLUMNS}
    return render(request, "drills/import.html", context, status=status)
