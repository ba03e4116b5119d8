"""Pages: the document, isolation (reader vs charlie), upload errors, htmx partials."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from prep.mocks import services as mock_services
from prep.mocks.models import Rubric
from prep.transcripts import services
from prep.transcripts.models import Highlight, Segment, Transcript
from prep.transcripts.upload import MAX_UPLOAD_BYTES

from .factories import FIXTURES, booking, transcript

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shared(alice, bob):
    """alice's capture of her booking with bob, shared with him, with bob's feedback."""
    b = booking(alice, bob)
    t = transcript(alice, booking_obj=b, n=24, phases=[("framing", 0), ("metrics", 30_000)])
    services.transcript_share(transcript=t, by=alice)
    dims = Rubric.objects.get(kind="ml_system_design").dimension_slugs
    mock_services.feedback_submit(
        author=bob,
        subject=alice,
        kind="ml_system_design",
        scores={d: 3 for d in dims},
        comments={"serving": "Good latency budget split"},
        context_key=f"booking:{b.pk}",
    )
    return t


def test_document_shows_framing_phases_analysis_coverage_and_feedback(alice, shared):
    response = as_user(alice).get(f"/transcripts/{shared.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Design the ranking of a news feed." in html
    assert 'data-testid="phases"' in html and "Metrics" in html
    assert 'data-testid="speakers"' in html and 'data-testid="questions"' in html
    assert 'id="seq-0"' in html and 'id="seq-23"' in html
    assert 'data-dimension="serving"' in html and "Good latency budget split" in html
    assert f'href="/transcripts/{shared.pk}/#seq-' in html  # evidence links to moments
    assert "Never touched" in html  # framing/metrics/data/iteration are absent from the text
    assert "Revoke sharing with" in html


def test_reader_reads_but_cannot_edit(bob, shared):
    client = as_user(bob)
    response = client.get(f"/transcripts/{shared.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="read-only"' in html and "Highlight</button>" not in html
    assert client.get(f"/transcripts/{shared.pk}/export.md").status_code == 200
    for path in ("segments/1/highlight/", "share/", "unshare/", "analyse/", "delete/", "speakers/"):
        assert client.post(f"/transcripts/{shared.pk}/{path}").status_code == 404, path
    assert client.get(f"/transcripts/{shared.pk}/segments/1/card/").status_code == 404
    assert not Highlight.objects.exists() and Transcript.objects.filter(pk=shared.pk).exists()
    # ... but may delete their own speech.
    response = client.post(f"/transcripts/{shared.pk}/speech/delete/")
    assert response.status_code == 302
    assert not Segment.objects.filter(transcript=shared, speaker="Interviewer").exists()
    assert Segment.objects.filter(transcript=shared, speaker="Candidate").count() == 18


def test_charlie_gets_404_for_transcript_hits_and_export(charlie, shared):
    Segment.objects.filter(transcript=shared, seq=5).update(text="a secret latency budget")
    client = as_user(charlie)
    for path in ("", "export.md", "segments/5/card/"):
        assert client.get(f"/transcripts/{shared.pk}/{path}").status_code == 404, path
    for path in ("speech/delete/", "segments/5/highlight/", "share/", "delete/"):
        assert client.post(f"/transcripts/{shared.pk}/{path}").status_code == 404, path
    response = client.get("/transcripts/search/", {"q": "secret latency"})
    html = response.content.decode()
    assert response.status_code == 200 and "No matches" in html and "<mark>" not in html
    assert shared.title not in client.get("/transcripts/").content.decode()


def test_revoked_share_is_404_for_the_partner(alice, bob, shared):
    as_user(alice).post(f"/transcripts/{shared.pk}/unshare/")
    assert as_user(bob).get(f"/transcripts/{shared.pk}/").status_code == 404


def test_search_page_highlights_and_links(alice, shared):
    Segment.objects.filter(transcript=shared, seq=7).update(text="the feature store keeps counters")
    client = as_user(alice)
    response = client.get("/transcripts/search/", {"q": '"feature store"'})
    html = response.content.decode()
    assert "<mark>feature</mark> <mark>store</mark>" in html
    assert f'href="/transcripts/{shared.pk}/#seq-7"' in html
    partial = client.get("/transcripts/search/", {"q": "feature"}, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="results"')


def test_export_is_markdown(alice, shared):
    services.highlight_set(transcript=shared, user=alice, seq=2, note="good answer")
    response = as_user(alice).get(f"/transcripts/{shared.pk}/export.md")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert text.startswith("# Feed ranking mock") and "## Conversation" in text
    assert "### Framing" in text and "> Note: good answer" in text
    assert "## Rubric coverage" in text


def test_upload_page_good_file(alice, django_capture_on_commit_callbacks):
    client = as_user(alice)
    upload = SimpleUploadedFile("fraud.vtt", (FIXTURES / "fraud_mock.vtt").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/transcripts/upload/",
            {"file": upload, "title": "Fraud", "kind": "ml_system_design", "my_role": "candidate"},
        )
    t = Transcript.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/transcripts/{t.pk}/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "data,message",
    [
        (b"WEBVTT\n\n00:01.000 --> 00:0x.000\n<v A>hi\n", "Line 3: bad timing"),
        (b"WEBVTT\n" + b"a" * (MAX_UPLOAD_BYTES + 1), "larger than 2 MB"),
    ],
)
def test_upload_page_bad_file(alice, data, message):
    response = as_user(alice).post(
        "/transcripts/upload/",
        {
            "file": SimpleUploadedFile("bad.vtt", data),
            "title": "x",
            "kind": "coding",
            "my_role": "candidate",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Transcript.objects.exists() and not Segment.objects.exists()


def test_highlight_comment_and_card_via_the_pages(alice):
    t = transcript(alice, n=10)
    client = as_user(alice)
    partial = client.post(
        f"/transcripts/{t.pk}/segments/5/highlight/",
        {"note": "Start from the baseline"},
        headers={"HX-Request": "true"},
    )
    html = partial.content.decode()
    assert html.lstrip().startswith('<li class="tx-seg tx-seg--highlight') and "Make a card" in html
    form = client.get(f"/transcripts/{t.pk}/segments/5/card/")
    assert "How would you handle item 4?" in form.content.decode()
    assert "Start from the baseline" in form.content.decode()
    response = client.post(
        f"/transcripts/{t.pk}/segments/5/card/",
        {"front": "How would you handle item 4?", "back": "Start from the baseline"},
    )
    assert response.status_code == 302
    cards = client.get("/flashcards/cards/", {"tag": "transcript"}).content.decode()
    assert "How would you handle item 4?" in cards
    empty = client.post(f"/transcripts/{t.pk}/segments/5/card/", {"front": "", "back": ""})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()


def test_speakers_form_for_an_upload_without_roles(alice, django_capture_on_commit_callbacks):
    body = b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>How?\n\n00:03.000 --> 00:04.000\n<v B>So.\n"
    with django_capture_on_commit_callbacks(execute=True):
        t = services.transcript_upload(
            user=alice, name="m.vtt", data=body, title="x", kind="coding"
        )
    client = as_user(alice)
    assert "Who is who?" in client.get(f"/transcripts/{t.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/transcripts/{t.pk}/speakers/", {"me": "B", "my_role": "candidate"})
    t.refresh_from_db()
    assert t.speakers == {"A": "other", "B": "me"}
    bad = client.post(f"/transcripts/{t.pk}/speakers/", {"me": "Z", "my_role": "candidate"})
    assert bad.status_code == 302
    t.refresh_from_db()
    assert t.speakers == {"A": "other", "B": "me"}


def test_list_shows_own_and_shared(alice, bob, shared):
    mine = transcript(bob, title="Bob solo")
    html = as_user(bob).get("/transcripts/").content.decode()
    assert "Bob solo" in html and shared.title in html and "Shared by" in html
    assert mine.title not in as_user(alice).get("/transcripts/").content.decode()


def test_a_recording_capture_links_to_its_live_page(alice):
    from prep.capture.services import capture_session_create

    session, _ = capture_session_create(user=alice, title="Live one", kind="ml_system_design")
    html = as_user(alice).get(f"/transcripts/{session.transcript_id}/").content.decode()
    assert f'href="/capture/sessions/{session.pk}/"' in html and "Recording" in html


def test_coverage_evidence_and_highlight_card_links_are_the_reversed_urls(alice, shared):
    """The evidence cells and the highlights' card links are written in the view (not a
    template loop and a reverse per link): the same moments and routes."""
    from django.urls import reverse

    from prep.transcripts import selectors

    services.highlight_set(transcript=shared, user=alice, seq=3, note="<b>mine</b>")
    html = as_user(alice).get(f"/transcripts/{shared.pk}/").content.decode()
    card = reverse("transcripts:card_new", args=[shared.pk, 3])
    assert f'<a href="{card}">make a card</a>' in html
    assert "&lt;b&gt;mine&lt;/b&gt;" in html and "<b>mine</b>" not in html
    for dim in shared.analysis["coverage"]["dimensions"]:
        for seq in dim["seqs"][:12]:
            url = selectors.moment_url(shared.pk, seq)
            assert f'<a class="tx-evidence" href="{url}">#{seq}</a> ' in html
    assert "<td>—</td>" in html  # an untouched dimension has no evidence


def test_the_pages_action_urls_are_the_reversed_urls(alice, shared):
    from django.urls import reverse

    from prep.transcripts.views import _PAGE_ACTIONS

    html = as_user(alice).get(f"/transcripts/{shared.pk}/").content.decode()
    assert set(_PAGE_ACTIONS) == {
        "export", "export_vtt", "export_srt", "export_json", "share", "unshare", "reanalyse",
        "speakers", "delete", "speech_delete",
    }  # fmt: skip
    base = reverse("transcripts:detail", args=[shared.pk])
    for name, tail in _PAGE_ACTIONS.items():
        route, _, fmt = name.partition("_") if name.startswith("export_") else (name, "", "")
        args = [shared.pk, fmt] if fmt else [shared.pk]
        assert base + tail == reverse(f"transcripts:{'export_file' if fmt else route}", args=args)
    for tail in ("export.md", "export.vtt", "export.srt", "export.json", "unshare/", "analyse/",
                 "delete/", "speech/delete/"):  # fmt: skip
        assert f'"{base}{tail}"' in html, tail


def test_a_highlight_made_into_a_card_says_so(alice, shared):
    highlight = services.highlight_set(transcript=shared, user=alice, seq=2, note="")
    html = as_user(alice).get(f"/transcripts/{shared.pk}/").content.decode()
    assert f'<li><a href="/transcripts/{shared.pk}/#seq-2">#2</a>\n' in html
    services.card_from_highlight(highlight=highlight, user=alice, front="Q?", back="A.")
    html = as_user(alice).get(f"/transcripts/{shared.pk}/").content.decode()
    assert '<span class="badge badge--success">card made</span></li>' in html
