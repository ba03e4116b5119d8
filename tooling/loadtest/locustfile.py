"""The load test's user journeys (run by ``python -m tooling.loadtest``, not on its own).

``Learner``: each simulated user is one seeded user, already signed in (a session made in
setup), with PREP_LOADTEST_THINK seconds of think time between actions (default 1; 0 drives
the site closed-loop): dashboard, plan, review a card (GET the review page, POST a rating), log
a drill attempt (a fresh form key each time, as a browser's form has), open a transcript,
search, read a capture context through the API with a bearer token. ``Floor``: the same
signed-in users on the floor page (tooling/loadtest/views.py), closed-loop.
PREP_LOADTEST_USERS names the JSON file of seeded users.

Each response's ``Server-Timing`` header (prep/lib/timing.py) is added up per request name
and written, as JSON, to PREP_LOADTEST_TIMING when locust quits: the server's own
milliseconds per page, beside the latency the client saw.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from collections import defaultdict
from urllib.parse import urlencode

from locust import FastHttpUser, constant, events, task

with open(os.environ["PREP_LOADTEST_USERS"]) as fh:
    PEOPLE = json.load(fh)
_next = itertools.count()
FORM = re.compile(r'action="(/flashcards/review/\d+/answer/[^"]*)"')
TOKEN = re.compile(r'name="token" value="([^"]+)"')
QUERIES = ["latency budget", "drift monitoring", "feature store", "ranking", "leakage"]
THINK = float(os.environ.get("PREP_LOADTEST_THINK", "1"))
TIMING = re.compile(r"(app|cpu|db);dur=([\d.]+)(?:;desc=\"(\d+) queries\")?")
# name -> [responses timed, app ms, cpu ms, db ms, queries]
_server: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0])


@events.request.add_listener
def _server_timing(name, response=None, exception=None, **kwargs):
    header = response is not None and response.headers and response.headers.get("Server-Timing")
    if exception or not header:
        return
    row = _server[name]
    row[0] += 1
    for metric, ms, queries in TIMING.findall(header):
        row[{"app": 1, "cpu": 2, "db": 3}[metric]] += float(ms)
        if queries:
            row[4] += int(queries)


@events.spawning_complete.add_listener
def _reset(**kwargs):
    _server.clear()  # measured from when every user is up, as locust's --reset-stats does


@events.quitting.add_listener
def _write(**kwargs):
    path = os.environ.get("PREP_LOADTEST_TIMING")
    if path:
        with open(path, "w") as fh:
            json.dump(_server, fh)


class _SignedIn(FastHttpUser):
    """geventhttpclient rather than requests: the load generator shares the two cores with
    gunicorn and PostgreSQL, so the cheaper client leaves more of them to the site."""

    abstract = True

    def on_start(self):
        self.me = PEOPLE[next(_next) % len(PEOPLE)]
        self.csrf = self.me["csrf"]
        self.cookie = f"sessionid={self.me['session']}; csrftoken={self.csrf}"

    def _post(self, url, data, name):
        data = {"csrfmiddlewaretoken": self.csrf, **data}
        headers = {
            "Cookie": self.cookie,
            "Referer": self.host + "/",
            "X-CSRFToken": self.csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        with self.client.post(
            url, data=urlencode(data), headers=headers, name=name, allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code not in (200, 302):
                response.failure(f"status {response.status_code}")

    def _get(self, url, name, headers=None):
        headers = {"Cookie": self.cookie, **(headers or {})}
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True, headers=headers
        ) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
            return r


class Learner(_SignedIn):
    wait_time = constant(THINK)

    @task(2)
    def dashboard(self):
        self._get("/dashboard/", "dashboard")

    @task(2)
    def plan(self):
        self._get("/plan/", "plan")

    @task(4)
    def review(self):
        page = self._get("/flashcards/review/", "review: page")
        action, token = FORM.search(page.text or ""), TOKEN.search(page.text or "")
        if action and token:
            self._post(
                action.group(1).replace("&amp;", "&"),
                {"token": token.group(1), "rating": random.choice("1333334")},
                "review: answer",
            )

    @task(1)
    def attempt(self):
        self._post(
            f"/drills/problems/{random.choice(self.me['problems'])}/attempts/",
            {"minutes": random.randint(10, 45), "outcome": random.choice(["clean", "hints"]),
             "confidence": 3, "language": "python", "notes": "", "code": "",
             "form_key": uuid.uuid4().hex},
            "drill attempt",
        )  # fmt: skip

    @task(2)
    def transcript(self):
        self._get(f"/transcripts/{random.choice(self.me['transcripts'])}/", "transcript")

    @task(1)
    def search(self):
        self._get(f"/transcripts/search/?{urlencode({'q': random.choice(QUERIES)})}", "search")

    @task(2)
    def capture_context(self):
        self._get(
            f"/api/v1/capture/sessions/{random.choice(self.me['sessions'])}/context",
            "api: capture context",
            headers={"Authorization": f"Bearer {self.me['token']}"},
        )


class Floor(_SignedIn):
    """The floor: one indexed query and a minimal template, signed in; closed-loop (the
    load test sets no think time) or, to compare with the mixed journey at a step, with it."""

    wait_time = constant(THINK)

    @task
    def floor(self):
        self._get("/_bench/floor", "floor")
