"""The data export holds everything the user owns and nothing secret; exports escape what
they carry."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from prep.accounts import tokens
from prep.mocks import services as mock_services
from tests.curriculum.test_progress_seam import onboard
from tests.mocks.factories import completed_mock
from tests.transcripts.factories import transcript as make_transcript

pytestmark = pytest.mark.django_db


def test_export_holds_phase_notes_rubric_scores_and_pins_and_no_secret(client, alice):
    plan = onboard(alice)
    mock = completed_mock(alice)
    phase = mock.phases[0]["slug"]
    mock_services.phase_note_save(mock=mock, phase=phase, text="Clarify the objective first")
    feedback = mock.feedback.get()
    feedback.scores.filter(dimension="framing").update(comment="Framed the goal late")
    t = make_transcript(alice, n=4)
    from prep.transcripts import services as tx

    pinned = tx.transcript_create(user=alice, title="Pinned", kind="ml_system_design")
    tx.pin_add(transcript=pinned, kind="assumption", text="Ten million daily users", at_ms=5)
    token, plaintext = tokens.api_token_create(user=alice, name="overlay")

    client.force_login(alice)
    body = client.get(reverse("accounts:data_export")).content.decode()
    data = json.loads(body)["data"]
    assert [n["text"] for n in data["mocks.phasenote"]] == ["Clarify the objective first"]
    framing = [s for s in data["mocks.dimensionscore"] if s["dimension"] == "framing"]
    assert framing[0]["comment"] == "Framed the goal late" and framing[0]["score"] == 3
    assert [p["text"] for p in data["transcripts.pin"]] == ["Ten million daily users"]
    assert {p["transcript_id"] for p in data["transcripts.pin"]} == {pinned.pk}
    assert t.pk in [row["id"] for row in data["transcripts.transcript"]]
    # Nothing secret: no token digest, no secret feed token, no password hash.
    assert data["accounts.apitoken"][0]["name"] == "overlay"
    assert "digest" not in data["accounts.apitoken"][0]
    assert token.digest not in body and plaintext not in body
    assert plan.calendar_token not in body
    assert "password" not in body


def test_markdown_export_escapes_raw_html_and_markup(client, alice):
    from prep.transcripts import services as tx
    from prep.transcripts.services import SegmentIn

    t = tx.transcript_create(
        user=alice,
        title="<script>alert('t')</script>",
        kind="ml_system_design",
        question="<img src=x onerror=alert(1)>",
        speakers={"<b>Me</b>": "me"},
        roles={"me": "candidate"},
    )
    tx.pin_add(transcript=t, kind="note", text="[click](javascript:alert(1))", at_ms=1)
    tx.segment_batch_ingest(
        transcript=t,
        segments=[SegmentIn(0, "<b>Me</b>", "<iframe src=evil></iframe> **loud**", 0, 900, True)],
    )
    client.force_login(alice)
    text = client.get(reverse("transcripts:export", args=[t.pk])).content.decode()
    for raw in ("<script", "<img", "<iframe", "<b>", "[click](javascript"):
        assert raw not in text
    assert "&lt;script&gt;" in text and "\\*\\*loud\\*\\*" in text
