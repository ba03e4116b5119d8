"""The load test's user journey (run by ``python -m tooling.loadtest``, not on its own).

Each simulated user is one seeded user, already signed in (a session made in setup), with one
second of think time between actions: dashboard, plan, review a card (GET the review page,
POST a rating), log a drill attempt, open a transcript, search, read a capture context through
the API with a bearer token. PREP_LOADTEST_USERS names the JSON file of seeded users.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from urllib.parse import urlencode

from locust import FastHttpUser, constant, task

with open(os.environ["PREP_LOADTEST_USERS"]) as fh:
    PEOPLE = json.load(fh)
_next = itertools.count()
FORM = re.compile(r'action="(/flashcards/review/\d+/answer/[^"]*)"')
TOKEN = re.compile(r'name="token" value="([^"]+)"')
QUERIES = ["latency budget", "drift monitoring", "feature store", "ranking", "leakage"]


class Learner(FastHttpUser):
    """geventhttpclient rather than requests: the load generator shares the two cores with
    gunicorn and PostgreSQL, so the cheaper client leaves more of them to the site."""

    wait_time = constant(1)

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
             "confidence": 3, "language": "python", "notes": "", "code": ""},
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
