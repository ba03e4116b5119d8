"""Reads of transcripts. Every read is scoped to what the user may see: their own
transcripts and those shared with them. Page query counts do not grow with the transcript."""

from __future__ import annotations

import re
import shlex

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import SWAP, Highlight, Segment, Transcript, TranscriptShare

#: Segments per page of a transcript. Pages are seq ranges, so a moment's page is known
#: without a query: seq // PAGE_SIZE.
PAGE_SIZE = 100
SEARCH_LIMIT = 30
MAX_QUERY = 200


def moment_url(transcript_id: int, seq: int, *, base: str | None = None) -> str:
    """The link to one moment of a transcript (its page, anchored at #seq-N). ``base``: the
    transcript's page URL when the caller has it (a page of links reverses it once)."""
    url = base or reverse("transcripts:detail", args=[transcript_id])
    page = seq // PAGE_SIZE
    return f"{url}?page={page}#seq-{seq}" if page else f"{url}#seq-{seq}"


def readable(user):
    """Transcripts ``user`` may read: their own and those shared with them, each annotated
    with ``share_id`` (the reader's share, None for the owner)."""
    share = TranscriptShare.objects.filter(transcript=OuterRef("pk"), user=user).values("id")[:1]
    return Transcript.objects.annotate(share_id=Subquery(share)).filter(
        Q(user=user) | Q(share_id__isnull=False)
    )


def transcript_list(*, user, limit: int = 100) -> list[Transcript]:
    return list(
        readable(user)
        .select_related("user__profile")
        .defer("analysis", "pinned", "phases", "speakers", "roles")[:limit]
    )


def page_of(transcript: Transcript, page: int) -> tuple[int, int, int]:
    """(page, first seq, page count) with ``page`` clamped to the transcript's pages."""
    pages = max(transcript.max_seq // PAGE_SIZE + 1, 1)
    page = min(max(page, 0), pages - 1)
    return page, page * PAGE_SIZE, pages


class SegmentRow:
    """What a page shows of a segment (``segments_page``): plain attributes, not a model
    instance (building a hundred models a page cost more than reading their rows).
    ``views._decorate`` adds what ``rendering.segment_html`` shows."""

    def __init__(self, seq, speaker, text, start_ms, end_ms, final):
        self.seq, self.speaker, self.text = seq, speaker, text
        self.start_ms, self.end_ms, self.final = start_ms, end_ms, final


def segments_page(transcript: Transcript, page: int) -> list[SegmentRow]:
    _, first, _ = page_of(transcript, page)
    rows = Segment.objects.filter(transcript=transcript, seq__gte=first, seq__lt=first + PAGE_SIZE)
    if not transcript.is_recording:
        rows = rows.filter(final=True)  # an interim left behind was never said as written
    rows = rows.order_by("seq").values_list("seq", "speaker", "text", "start_ms", "end_ms", "final")
    return [SegmentRow(*row) for row in rows]


def highlights_of(transcript: Transcript, user) -> list[Highlight]:
    return list(
        Highlight.objects.filter(transcript=transcript, user=user)
        .order_by("seq")
        .only("id", "seq", "note", "card_id")
    )


def phase_at(phases: list[dict], ms: int) -> str:
    current = ""
    for mark in sorted(phases or (), key=lambda p: p["ms"]):
        if mark["phase"] == SWAP:
            continue
        if mark["ms"] <= ms:
            current = mark["phase"]
        else:
            break
    return current


def feedback_by_dimension(*, transcript: Transcript, user) -> dict[str, list[dict]]:
    """The rubric feedback of the transcript's booking (or solo mock) that ``user`` may read
    (given or received), as {dimension: [{author, subject, score, label, comment}]}."""
    from prep.mocks.models import DimensionScore
    from prep.mocks.selectors import feedback_visible

    if not transcript.booking_id and not transcript.solo_mock_id:
        return {}  # before building the reveal rule's query, which costs more than nothing
    qs = feedback_visible(user=user)
    if transcript.booking_id:
        qs = qs.filter(context_key=f"booking:{transcript.booking_id}")
    else:
        qs = qs.filter(solo_mock_id=transcript.solo_mock_id)
    qs = qs.select_related("author__profile", "subject__profile").prefetch_related(
        Prefetch("scores", queryset=DimensionScore.objects.all())
    )
    out: dict[str, list[dict]] = {}
    for feedback in qs:
        for score in feedback.scores.all():
            out.setdefault(score.dimension, []).append(
                {
                    "author": feedback.author,
                    "subject": feedback.subject,
                    "self": feedback.is_self_score,
                    "score": score.score,
                    "label": score.label,
                    "comment": score.comment,
                    "feedback_id": feedback.pk,
                }
            )
    return out


# --- Search -------------------------------------------------------------------------------
def query_terms(q: str) -> list[str]:
    """Words and "quoted phrases" of a search, lower-cased."""
    q = q.strip()[:MAX_QUERY]
    try:
        parts = shlex.split(q)
    except ValueError:
        parts = q.replace('"', " ").split()
    return [p.lower() for p in parts if p.strip() and p.lower() not in ("or", "and")]


def _stem(word: str) -> str:
    word = re.sub(r"\W+", "", word)
    return word[: max(4, len(word) - 2)] if len(word) > 4 else word


def highlight(text: str, terms: list[str], *, width: int = 160) -> str:
    """``text`` around its first match, HTML-escaped, with every match in <mark>."""
    words = [w for term in terms for w in term.split()]
    stems = sorted({_stem(w) for w in words if _stem(w)}, key=len, reverse=True)
    if not stems:
        return escape(text[: 2 * width])
    rx = re.compile(r"\b(" + "|".join(re.escape(s) for s in stems) + r")\w*", re.I)
    first = rx.search(text)
    start = max((first.start() if first else 0) - width // 2, 0)
    end = min(start + 2 * width, len(text))
    window = text[start:end]
    out, last = [], 0
    for match in rx.finditer(window):
        out.append(escape(window[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(window[last:]))
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece is escaped


def search_scope(user) -> Q:
    """The user's own segments and those of transcripts shared with them.

    The owner is compared as an ``integer`` (the column's type): PostgreSQL's search index is
    GIN on (user_id, search) with btree_gin, whose operator classes have no cross-type
    operators, and psycopg binds a small int as ``smallint``; ``user_id = 6::smallint``
    could not use that index (the search would read every match of the word in the table).
    """
    shared = list(TranscriptShare.objects.filter(user=user).values_list("transcript_id", flat=True))
    scope = Q(user_id=Cast(Value(user.pk), IntegerField()))
    if shared:
        scope |= Q(transcript_id__in=shared)
    return scope


def search_segments(*, user, q: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Segments of the user's own and shared-with-them transcripts that match ``q``.

    PostgreSQL: websearch syntax (words, "a phrase", -not) against the stored tsvector (GIN),
    ranked by ts_rank. SQLite: every word and phrase must appear (icontains), newest
    transcripts first. Each hit: the segment, its transcript's title, a highlighted
    snippet and the link to the moment.
    """
    terms = query_terms(q)
    if not terms:
        return []
    qs = Segment.objects.filter(search_scope(user))
    if connection.vendor == "postgresql":
        query = SearchQuery(q.strip()[:MAX_QUERY], search_type="websearch", config="english")
        qs = (
            qs.filter(search=query)
            .annotate(rank=SearchRank(F("search"), query))
            .order_by("-rank", "-transcript_id", "seq")
        )
    else:
        for term in terms:
            if term.startswith("-") and len(term) > 1:
                qs = qs.exclude(text__icontains=term[1:])
            else:
                qs = qs.filter(text__icontains=term)
        qs = qs.order_by("-transcript_id", "seq")
    # The title by a subquery rather than a join: PostgreSQL runs it for the hits kept after
    # the sort and limit only (a join hashed the whole transcript table for every search).
    title = Transcript.objects.filter(pk=OuterRef("transcript_id")).order_by().values("title")[:1]
    rows = list(
        qs.annotate(transcript_title=Subquery(title)).only(
            "seq", "speaker", "text", "start_ms", "transcript_id"
        )[:limit]
    )
    return [
        {
            "segment": row,
            "title": row.transcript_title,
            "snippet": highlight(row.text, [t for t in terms if not t.startswith("-")]),
            "url": moment_url(row.transcript_id, row.seq),
        }
        for row in rows
    ]


def export_cues(transcript: Transcript) -> list:
    """The transcript's final segments, in seq order, as ``formats.Cue`` for the writers."""
    from .formats import Cue

    rows = (
        Segment.objects.filter(transcript=transcript, final=True)
        .order_by("seq")
        .values_list("seq", "speaker", "text", "start_ms", "end_ms")
    )
    return [Cue(*row) for row in rows.iterator(chunk_size=2000)]
