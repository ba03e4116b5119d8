"""A page view never writes: every route, visited with GET by a user with history in every
app, leaves every table as it was.

Exempt, and only these: the session row (the session framework's own bookkeeping), the
last-used stamps of API tokens, and the one named exception to the rule, the daily
roll-forward of missed plan items (``curriculum.plans.plan_for_reading``), which runs at most
once per user and local day: a plan still to be rolled forward may change only the plan's own
tables, on the first view of the day, and nothing at all on the views after it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.test_isolation_matrix import build, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

EXEMPT_MODELS = {"sessions.Session"}
EXEMPT_FIELDS = {"accounts.ApiToken": {"last_used_at"}}
ROLL_FORWARD_MODELS = {"curriculum.Plan", "curriculum.PlanItem"}


def all_routes() -> list[tuple[str, bool]]:
    """(name, takes arguments) of every named route outside the admin."""

    def walk(patterns, ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                namespace = p.namespace or ns
                if namespace == "admin":
                    continue
                yield from walk(p.url_patterns, namespace)
            elif isinstance(p, URLPattern) and p.name:
                name = f"{ns}:{p.name}" if ns else p.name
                yield name, bool(p.pattern.converters or "(?P<" in str(p.pattern))

    return sorted(set(walk(get_resolver().url_patterns)))


def rows() -> dict[str, list[tuple]]:
    """Every row of every table (minus the exempt ones), in a comparable form."""
    out = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in EXEMPT_MODELS or not model._meta.managed:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in EXEMPT_FIELDS.get(label, ())
        ]
        out[label] = [tuple(map(str, r)) for r in model.objects.order_by("pk").values_list(*fields)]
    return out


WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


def writes(queries) -> list[str]:
    """The tables written by ``queries``, less the exempt session and last-used writes."""
    out = []
    for q in queries:
        match = WRITE.match(q["sql"])
        if not match:
            continue
        table = match.group(2)
        if table == "django_session":
            continue
        if table == "accounts_apitoken" and re.search(r"SET\s+\"?last_used_at", q["sql"]):
            continue
        out.append(table)
    return out


def changed(before, after) -> set[str]:
    return {label for label in before if before[label] != after[label]}


def urls_for(alice) -> list[str]:
    urls = []
    for name, takes_args in all_routes():
        if not takes_args:
            urls.append(reverse(name))
            continue
        kwargs = build(name, alice)
        if kwargs is not None:
            urls.append(reverse(name, kwargs=kwargs))
    return urls


def test_every_page_viewed_with_get_writes_nothing(client, world):  # noqa: F811
    alice, _ = world
    urls = urls_for(alice)
    client.force_login(alice)
    before = rows()
    statuses = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            statuses[url] = client.get(url).status_code
        assert not writes(ctx.captured_queries), (
            f"GET {url} wrote to {writes(ctx.captured_queries)}"
        )
    assert not changed(before, rows())
    assert len(urls) > 60, "the walk lost its routes"
    assert sum(1 for s in statuses.values() if s == 200) > 40, statuses


def test_the_daily_roll_forward_is_the_one_write_and_happens_once(client, world, settings):  # noqa: F811
    """A plan with missed items is rolled forward on the first view of the day (the embedded
    default, without beat) — changing only the plan's tables — and never again that day."""
    from curriculum.models import Plan, PlanItem

    settings.PREP_ROLL_FORWARD_ON_READ = True
    alice, _ = world
    plan = Plan.objects.get(user=alice)
    yesterday = plan.planned_on - dt.timedelta(days=1)
    Plan.objects.filter(pk=plan.pk).update(planned_on=yesterday)
    item = PlanItem.objects.filter(plan=plan, status=PlanItem.Status.PENDING).first()
    PlanItem.objects.filter(pk=item.pk).update(date=yesterday)
    client.force_login(alice)
    urls = urls_for(alice)
    before = rows()
    client.get(reverse("curriculum:plan"))
    after = rows()
    assert changed(before, after) and changed(before, after) <= ROLL_FORWARD_MODELS
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        assert not writes(ctx.captured_queries), (
            f"GET {url} wrote to {writes(ctx.captured_queries)}"
        )
    assert not changed(after, rows())
