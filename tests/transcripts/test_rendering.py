"""A segment's HTML: what the owner and a reader see, and nothing a speaker says is markup."""

from types import SimpleNamespace

from prep.transcripts.rendering import segment_html


def segment(**overrides):
    base = {
        "sid": "7",
        "time": "01:05",
        "role": "candidate",
        "speaker": "Ria",
        "text": "Precision at k, then recall.",
        "highlight": None,
        "hl_url": "/transcripts/3/segments/7/highlight/",
        "unhl_url": "/transcripts/3/segments/7/unhighlight/",
        "card_url": "/transcripts/3/segments/7/card/",
    }
    return SimpleNamespace(**{**base, **overrides})


def test_the_owner_gets_the_highlight_and_comment_forms():
    html = segment_html(segment(), is_owner=True, csrf="tok")
    assert 'id="seq-7"' in html and "tx-seg--candidate" in html
    assert 'hx-post="/transcripts/3/segments/7/highlight/"' in html
    assert html.count('name="csrfmiddlewaretoken" value="tok"') == 2  # highlight, comment
    assert ">Highlight</button>" in html and ">Comment</summary>" in html
    assert "Make a card" not in html and "tx-seg--highlight" not in html


def test_a_highlighted_moment_offers_removal_a_card_and_its_comment():
    html = segment_html(
        segment(highlight=SimpleNamespace(note="Good framing")), is_owner=True, csrf="tok"
    )
    assert "tx-seg--highlight" in html
    assert 'action="/transcripts/3/segments/7/unhighlight/"' in html
    assert 'href="/transcripts/3/segments/7/card/">Make a card' in html
    assert "<strong>Note:</strong> Good framing" in html
    assert ">Good framing</textarea>" in html and ">Edit comment</summary>" in html


def test_a_reader_gets_no_forms():
    html = segment_html(segment(), is_owner=False, csrf="tok")
    assert "<form" not in html and "csrfmiddlewaretoken" not in html
    assert '<p class="tx-seg__text">Precision at k, then recall.</p>' in html


def test_speech_names_and_notes_are_escaped():
    html = segment_html(
        segment(
            speaker='<b onclick="x()">Eve</b>',
            text="<script>alert(1)</script> & more",
            highlight=SimpleNamespace(note='"></textarea><img src=x onerror=alert(1)>'),
        ),
        is_owner=True,
        csrf="tok",
    )
    assert "<script>" not in html and "<img" not in html and "<b " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "&lt;b onclick=&quot;x()&quot;&gt;Eve&lt;/b&gt;" in html
    assert "&quot;&gt;&lt;/textarea&gt;&lt;img" in html
