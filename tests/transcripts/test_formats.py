"""Transcript files in and out (prep/transcripts/formats.py): one reader for upload and the
reference client, writers that round-trip byte for byte, meeting tools' exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.capture import client as prep_capture
from prep.transcripts import formats, services
from prep.transcripts.formats import Cue, FormatError
from prep.transcripts.models import Segment
from tests.capture import transcripts as synthetic

MEETINGS = Path(__file__).parent / "fixtures" / "meetings"
TURNS = [
    ("Priya Raman", "Thanks for joining. Today we design a fraud detection system."),
    ("Sam O'Neil", "Okay. First, what counts as fraud & who labels it?"),
    ("Priya Raman", "Chargebacks, labelled after 60 days."),
]


def _shape(cues):
    return [(c.seq, c.speaker, c.text, c.start_ms, c.end_ms) for c in cues]


def _roundtrip(fmt: str, cues: list[Cue]) -> tuple[str, str]:
    first = formats.write(fmt, cues)
    again = formats.write(fmt, formats.read(first, fmt))
    return first, again


# --- The reader's fixes -------------------------------------------------------------------
def test_an_empty_cue_keeps_its_number_and_the_ones_after_it():
    content = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v A>one\n\n"
        "2\n00:00:02.000 --> 00:00:03.000\n\n"
        "3\n00:00:03.000 --> 00:00:04.000\n<v B>three\n"
    )
    cues = formats.read(content, "vtt")
    assert _shape(cues) == [
        (0, "A", "one", 1000, 2000),
        (1, "Speaker", "", 2000, 3000),
        (2, "B", "three", 3000, 4000),
    ]


def test_character_references_are_unescaped_in_webvtt():
    content = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
        "<v Tom &amp; Jerry>p99 &lt; 50&nbsp;ms &amp;&amp; cost &gt; 0 <i>today</i>\n"
    )
    [cue] = formats.read(content, "vtt")
    assert cue.speaker == "Tom & Jerry"
    assert cue.text == "p99 < 50\u00a0ms && cost > 0 today"


def test_a_leading_space_survives_reading_and_writing():
    cue = Cue(0, "A", " indented", 0, 1000)
    for fmt in formats.EXPORT_FORMATS:
        assert formats.read(formats.write(fmt, [cue]), fmt)[0].text == " indented", fmt


def test_srt_is_not_unescaped_and_keeps_angle_brackets():
    content = "1\n00:00:01,000 --> 00:00:02,000\nA: a < b and c > d &amp; <b>bold</b>\n"
    [cue] = formats.read(content, "srt")
    assert (cue.speaker, cue.text) == ("A", "a < b and c > d &amp; bold")


def test_the_client_and_the_upload_read_with_the_same_reader(tmp_path):
    path = tmp_path / "m.vtt"
    content = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>x &lt; y\n\n00:00:02.000 --> 00:00:03.000\n"
    )
    path.write_text(content)
    from prep.transcripts.upload import parse_upload

    assert prep_capture.parse_transcript(path) == parse_upload("m.vtt", content.encode())
    assert prep_capture.Cue is formats.Cue


# --- Round trips --------------------------------------------------------------------------
AWKWARD = [
    Cue(0, "Interviewer", "Design a feed ranker.", 0, 2100),
    Cue(1, "Candidate", "", 2100, 2500),  # an empty cue
    Cue(2, "Candidate", " p99 < 50 ms & cost > 0", 2500, 4000),  # leading space, entities
    Cue(3, "Sam O'Neil", "a --> b", 4000, 5000),  # an arrow inside the text
    Cue(4, "Tom & Jerry", "ünïcödé — “quotes”", 3_600_000, 3_601_000),
    Cue(5, "Candidate", "trailing space ", 3_601_000, 3_601_000),
]


@pytest.mark.parametrize("fmt", formats.EXPORT_FORMATS)
def test_export_import_export_is_byte_identical(fmt):
    first, again = _roundtrip(fmt, AWKWARD)
    assert first == again
    assert formats.read(first, fmt) == formats.read(again, fmt)


def test_json_is_lossless():
    cues = [*AWKWARD, Cue(6, "A", "two\nlines\n\nand a blank one", 1, 2)]
    assert formats.read(formats.write_json(cues), "json") == cues


@pytest.mark.parametrize("fmt", ["vtt", "srt"])
def test_webvtt_and_srt_keep_segments_speakers_and_times(fmt):
    back = formats.read(formats.write(fmt, AWKWARD), fmt)
    expected = [(c.speaker, c.start_ms, c.end_ms) for c in AWKWARD]
    assert [(c.speaker, c.start_ms, c.end_ms) for c in back] == expected
    texts = [c.text for c in back]
    assert texts[:3] == [c.text for c in AWKWARD[:3]]
    assert texts[3] == ("a --> b" if fmt == "vtt" else "a -> b")  # SRT has no escaping


speakers = st.from_regex(r"[A-Za-z][A-Za-z .'\-]{0,20}", fullmatch=True).map(str.strip).filter(bool)
texts = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(" <>&-"), max_size=40
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(speakers, texts, st.integers(0, 10**8), st.integers(0, 10**6)),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(formats.EXPORT_FORMATS),
)
def test_any_transcript_round_trips_byte_for_byte(rows, fmt):
    cues = [Cue(i, s, t, start, start + length) for i, (s, t, start, length) in enumerate(rows)]
    first, again = _roundtrip(fmt, cues)
    assert first == again


# --- Meeting tools ------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["zoom.vtt", "zoom.txt", "teams.vtt", "teams.txt", "meet.txt"])
def test_meeting_tool_exports_read_to_the_same_turns(name):
    cues = formats.read_file(MEETINGS / name)
    assert [(c.speaker, c.text) for c in cues] == TURNS
    assert [c.seq for c in cues] == [0, 1, 2]
    starts = [c.start_ms for c in cues]
    assert starts == sorted(starts) and starts[0] < 10_000
    assert all(c.end_ms >= c.start_ms for c in cues)
    # ...and what was read exports and re-imports to the same cues.
    for fmt in formats.EXPORT_FORMATS:
        assert formats.read(formats.write(fmt, cues), fmt) == cues


def test_meeting_clock_times_become_offsets_from_the_first_turn():
    cues = formats.read_file(MEETINGS / "zoom.txt")
    assert [c.start_ms for c in cues] == [0, 5000, 11000]
    assert cues[0].end_ms == 5000  # a turn ends where the next one starts


def test_teams_text_keeps_its_offsets():
    assert [c.start_ms for c in formats.read_file(MEETINGS / "teams.txt")] == [3000, 8000, 14000]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("Just a title\n\nno speakers here", "No paragraph with a speaker"),
        ("[A] 00:00:01\nhello\n\n00:01:00\nstray words without a speaker", "Line 5: expected"),
    ],
)
def test_plain_text_without_speakers_is_refused_with_its_line(content, needle):
    with pytest.raises(FormatError) as info:
        formats.read(content, "txt")
    assert needle in str(info.value)


# --- Through the site: upload → export → upload → export ---------------------------------
def _upload_and_export(client, name: str, data: bytes, fmt: str) -> bytes:
    response = client.post(
        "/transcripts/upload/",
        {
            "file": _file(name, data),
            "title": "Round trip",
            "kind": "ml_system_design",
            "my_role": "candidate",
        },
    )
    assert response.status_code == 302, response.content[:500]
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    exported = client.get(f"/transcripts/{pk}/export.{fmt}")
    assert exported.status_code == 200
    assert exported["Content-Type"] == formats.CONTENT_TYPES[fmt]
    return b"".join(exported.streaming_content) if exported.streaming else exported.content


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", formats.EXPORT_FORMATS)
def test_export_upload_export_through_the_site_is_byte_identical(client, alice, fmt):
    client.force_login(alice)
    source = formats.write(fmt, AWKWARD).encode()
    first = _upload_and_export(client, f"a.{fmt}", source, fmt)
    second = _upload_and_export(client, f"b.{fmt}", first, fmt)
    assert first == second == source


@pytest.mark.django_db
def test_the_chaos_transcripts_webvtt_reimports_byte_equal(client, alice):
    """The 2,000-segment transcript the chaos replay stores (tests/capture/test_client.py),
    exported as WebVTT, uploaded again and exported again: the same bytes."""
    client.force_login(alice)
    cues = formats.read(synthetic.vtt(2000), "vtt")
    transcript = services.transcript_create(user=alice, title="Chaos", kind="ml_system_design")
    services.segment_batch_ingest(
        transcript=transcript,
        segments=[
            services.SegmentIn(c.seq, c.speaker, c.text, c.start_ms, c.end_ms, True) for c in cues
        ],
    )
    assert Segment.objects.filter(transcript=transcript).count() == 2000
    first = client.get(f"/transcripts/{transcript.pk}/export.vtt").content
    second = _upload_and_export(client, "chaos.vtt", first, "vtt")
    assert first == second
    assert len(formats.read(second.decode(), "vtt")) == 2000


@pytest.mark.django_db
def test_exports_are_404_for_anyone_else(client, alice, charlie):
    transcript = services.transcript_create(user=alice, title="Mine", kind="coding")
    client.force_login(charlie)
    for fmt in ("vtt", "srt", "json", "xml"):
        assert client.get(f"/transcripts/{transcript.pk}/export.{fmt}").status_code == 404
