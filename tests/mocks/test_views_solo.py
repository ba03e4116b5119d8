"""The mock pages over HTTP: the flow, isolation (404 for others), bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from curriculum.models import ProgressEvent
from prep.mocks import services
from prep.mocks.models import PhaseNote, RubricFeedback, SoloMock
from tests.mocks import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(alice):
    return services.solo_mock_start(user=alice, prompt=factories.prompt())


def test_prompt_list_filters_by_kind_and_links_each_prompt(alice_client):
    response = alice_client.get(reverse("mocks:prompt_list") + "?kind=ml_system_design")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rank results for product search" in body
    assert "Design an LRU cache" not in body
    assert reverse("mocks:prompt_detail", args=["card-fraud-detection"]) in body
    # A nonsense kind shows everything rather than an error.
    assert alice_client.get(reverse("mocks:prompt_list") + "?kind=<script>").status_code == 200


def test_interviewer_notes_are_hidden_until_a_mock_on_the_prompt_ends(alice, alice_client):
    prompt = factories.prompt()
    url = reverse("mocks:prompt_detail", args=[prompt.slug])
    secret = prompt.interviewer_notes["strong_answer"][0]
    body = alice_client.get(url).content.decode()
    assert secret not in body and prompt.checklist[0] not in body
    factories.completed_mock(alice, prompt_obj=prompt)
    body = alice_client.get(url).content.decode()
    assert secret in body and prompt.checklist[0] in body


def test_the_running_page_does_not_show_the_interviewer_notes(alice_client, running):
    body = alice_client.get(reverse("mocks:solo_detail", args=[running.pk])).content.decode()
    assert running.prompt.interviewer_notes["probe"][0] not in body
    assert "data-mock-clock" in body and 'hx-trigger="keyup changed delay:800ms' in body


def test_start_with_bad_minutes_rerenders_with_a_message_and_creates_nothing(alice_client):
    prompt = factories.prompt()
    data = {
        f"minutes_{p}": 5
        for p in ("framing", "metrics", "data", "model", "serving", "monitoring", "iteration")
    }
    data["minutes_model"] = "-3"
    response = alice_client.post(reverse("mocks:solo_start", args=[prompt.slug]), data)
    assert response.status_code == 400
    assert "Model: at least 1 minute." in response.content.decode()
    assert not SoloMock.objects.exists()


def test_start_then_walk_the_phases_then_score(alice, alice_client):
    prompt = factories.prompt()
    data = {
        f"minutes_{p}": 5
        for p in ("framing", "metrics", "data", "model", "serving", "monitoring", "iteration")
    }
    response = alice_client.post(reverse("mocks:solo_start", args=[prompt.slug]), data)
    mock = SoloMock.objects.get(user=alice)
    assert response.url == reverse("mocks:solo_detail", args=[mock.pk])
    advance = reverse("mocks:solo_advance", args=[mock.pk])
    response = alice_client.post(advance, {"phase_index": 0, "action": "next", "note": "clarified"})
    assert response.url == reverse("mocks:solo_detail", args=[mock.pk])
    assert PhaseNote.objects.get(mock=mock, phase="framing").text == "clarified"
    # A double click on the same button does not skip a phase.
    alice_client.post(advance, {"phase_index": 0, "action": "next"})
    mock.refresh_from_db()
    assert mock.phase_index == 1
    response = alice_client.post(advance, {"phase_index": 1, "action": "finish"})
    assert response.url == reverse("mocks:solo_score", args=[mock.pk])
    score_url = reverse("mocks:solo_score", args=[mock.pk])
    page = alice_client.get(score_url).content.decode()
    assert mock.prompt.interviewer_notes["probe"][0] in page  # the mock has ended
    data = {f"score_{slug}": "3" for slug in factories.full_scores()}
    data.update({"checklist": ["0", "1"], "notes": "ok"})
    response = alice_client.post(score_url, data)
    assert response.url == reverse("mocks:solo_detail", args=[mock.pk])
    report = alice_client.get(response.url).content.decode()
    assert "Checklist: 2 of" in report and "Leaning hire" in report
    assert ProgressEvent.objects.filter(user=alice, key=f"mocks:solo:{mock.pk}").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"score_framing": "5"},
            "Problem framing: scores go from 1 (strong no hire) to 4 (strong hire).",
        ),
        ({"score_framing": "0"}, "Problem framing: scores go from 1"),
        ({"score_framing": "abc"}, "Problem framing: scores go from 1"),
        ({"score_monitoring": None}, "Monitoring (drift): give a score from 1 to 4."),
        ({"checklist": ["42"]}, "Select a valid choice"),
        ({"notes": "x" * 10_001}, "at most 10000 characters"),
    ],
)
def test_bad_scores_rerender_with_a_clear_message_and_save_nothing(
    alice, alice_client, change, message
):
    mock = services.solo_mock_start(user=alice, prompt=factories.prompt())
    services.solo_mock_finish(mock=mock)
    data = {f"score_{slug}": "3" for slug in factories.full_scores()}
    for key, value in change.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    response = alice_client.post(reverse("mocks:solo_score", args=[mock.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not RubricFeedback.objects.exists()
    assert not ProgressEvent.objects.filter(user=alice).exists()
    mock.refresh_from_db()
    assert mock.status == SoloMock.Status.SCORING


def test_note_autosave_answers_the_htmx_partial(alice_client, running):
    url = reverse("mocks:note_save", args=[running.pk, "framing"])
    response = alice_client.post(url, {"text": "who are the users?"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Saved" in response.content.decode()
    assert PhaseNote.objects.get(mock=running, phase="framing").text == "who are the users?"
    too_long = alice_client.post(url, {"text": "x" * 20_001}, HTTP_HX_REQUEST="true")
    assert too_long.status_code == 422 and "limited" in too_long.content.decode()
    assert (
        alice_client.post(
            reverse("mocks:note_save", args=[running.pk, "bogus"]), {"text": "x"}
        ).status_code
        == 404
    )


def test_durations_edit_over_htmx_returns_the_timer_partial(alice_client, running):
    url = reverse("mocks:solo_minutes", args=[running.pk])
    data = {f"minutes_{p['slug']}": 5 for p in running.phases}
    data["minutes_model"] = 20
    response = alice_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="mock-timer"' in body and "<html" not in body
    running.refresh_from_db()
    assert running.minutes["model"] == 20
    data["minutes_model"] = 999
    response = alice_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "at most 120 minutes" in response.content.decode()
    running.refresh_from_db()
    assert running.minutes["model"] == 20


def test_a_reload_shows_the_same_phase_and_notes(alice_client, running):
    services.solo_mock_advance(mock=running, from_index=0)
    services.phase_note_save(mock=running, phase="metrics", text="precision at k")
    body = alice_client.get(reverse("mocks:solo_detail", args=[running.pk])).content.decode()
    assert 'data-testid="current-phase">Metrics<' in body
    assert "precision at k" in body
    started_ms = int(SoloMock.objects.get(pk=running.pk).phase_started_at.timestamp() * 1000)
    assert f'data-since="{started_ms}"' in body


def test_another_users_mock_and_feedback_are_404(alice, bob, charlie, client):
    mock = factories.completed_mock(alice)
    running = services.solo_mock_start(user=alice, prompt=factories.prompt("coding"))
    peer = services.feedback_submit(
        author=bob,
        subject=alice,
        kind="coding",
        scores=factories.full_scores("coding"),
        context_key="booking:1",
    )
    client.force_login(charlie)
    for name, pk in [
        ("mocks:solo_detail", mock.pk),
        ("mocks:solo_score", mock.pk),
        ("mocks:solo_detail", running.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name, args, data in [
        ("mocks:solo_advance", [running.pk], {"phase_index": 0}),
        ("mocks:solo_minutes", [running.pk], {"minutes_clarify": 5}),
        ("mocks:note_save", [running.pk, "clarify"], {"text": "mine now"}),
        ("mocks:solo_score", [mock.pk], {"score_framing": 1}),
        ("mocks:solo_delete", [mock.pk], {}),
    ]:
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    assert client.get(reverse("mocks:feedback_detail", args=[peer.pk])).status_code == 404
    assert SoloMock.objects.filter(user=alice).count() == 2
    assert not PhaseNote.objects.exists()
    # The author and the subject can both read the peer feedback.
    client.force_login(bob)
    assert client.get(reverse("mocks:feedback_detail", args=[peer.pk])).status_code == 200
    client.force_login(alice)
    assert client.get(reverse("mocks:feedback_detail", args=[peer.pk])).status_code == 200


def test_pages_need_a_login(client):
    response = client.get(reverse("mocks:prompt_list"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_delete_retracts_and_redirects(alice, alice_client):
    mock = factories.completed_mock(alice)
    response = alice_client.post(reverse("mocks:solo_delete", args=[mock.pk]))
    assert response.status_code == 302
    assert not SoloMock.objects.exists()
    assert ProgressEvent.objects.get(user=alice).retracted_at is not None


def test_history_shows_scores_per_dimension_over_time(alice, bob, alice_client):
    days = [timezone.now() - dt.timedelta(days=n) for n in (3, 2, 1)]
    factories.completed_mock(alice, value=2, at=days[0])
    services.feedback_submit(
        author=bob,
        subject=alice,
        kind="ml_system_design",
        scores=factories.full_scores(value=3),
        context_key="booking:9",
        now=days[1],
    )
    factories.completed_mock(alice, value=4, at=days[2])
    response = alice_client.get(reverse("mocks:history") + "?kind=ml_system_design")
    body = response.content.decode()
    assert response.status_code == 200
    # Three rows and the average row, a meter per dimension each.
    assert body.count('<meter min="0" max="4"') == 4 * 7
    assert "Peer mock" in body
    assert body.count("+2</td>") == 7  # first (2) to latest (4) on every dimension
    assert body.index(">2</span>") < body.index(">3</span>") < body.index(">4</span>")
