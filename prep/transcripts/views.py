"""Transcript pages. Reads go through selectors scoped to the user (their own transcripts
and those shared with them); every write loads the transcript from the user's own
(``Transcript.objects.for_user``), so a reader cannot write and anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from prep.mocks.models import MockKind

from . import formats, markdown, selectors, services
from .forms import CardForm, NoteForm, SpeakersForm, UploadForm
from .models import Highlight, Segment, Transcript, TranscriptShare
from .rendering import escape, segment_html
from .upload import MAX_UPLOAD_BYTES, UploadError


def _url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _own(request, pk) -> Transcript:
    return get_object_or_404(Transcript.objects.for_user(request.user), pk=pk)


def _readable(request, pk) -> tuple[Transcript, TranscriptShare | None]:
    transcript = get_object_or_404(
        selectors.readable(request.user).select_related("user__profile", "capture_session"), pk=pk
    )
    share = None
    if transcript.user_id != request.user.pk:
        share = TranscriptShare.objects.get(pk=transcript.share_id)
    return transcript, share


@login_required
def index(request):
    """Your transcripts and those shared with you, newest first."""
    transcripts = selectors.transcript_list(user=request.user)
    return render(
        request,
        "transcripts/index.html",
        {"transcripts": transcripts, "capture_index": _url_or_none("capture:index")},
    )


@login_required
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transcript = services.transcript_upload(
                user=request.user,
                name=data["file"].name,
                data=data["file"].read(MAX_UPLOAD_BYTES + 1),
                title=data["title"],
                kind=data["kind"],
                my_role=data["my_role"],
                my_label=data["my_label"].strip(),
            )
        except UploadError as exc:
            for error in exc.errors:
                form.add_error("file", error)
        else:
            messages.success(request, "Transcript uploaded and analysed.")
            return redirect("transcripts:detail", pk=transcript.pk)
    return render(request, "transcripts/upload.html", {"form": form}, status=200)


def _coverage_rows(transcript: Transcript, feedback: dict, *, base: str) -> list[dict]:
    """The coverage table's rows, each with ``evidence_html``: its first twelve evidence
    links (or a dash) written here, not by a template loop of some eighty links a page."""
    coverage = (transcript.analysis or {}).get("coverage") or {}
    rows = []
    for dim in coverage.get("dimensions", []):
        evidence = [
            {"seq": seq, "url": selectors.moment_url(transcript.pk, seq, base=base)}
            for seq in dim["seqs"][:12]
        ]
        rows.append(
            {
                **dim,
                "evidence": evidence,
                "evidence_html": mark_safe(  # noqa: S308 - every value is escaped
                    "".join(
                        f'<a class="tx-evidence" href="{escape(e["url"])}">#{escape(e["seq"])}</a> '
                        for e in evidence
                    )
                    or "—"
                ),
                "more": max(len(dim["seqs"]) - 12, 0),
                "feedback": feedback.get(dim["slug"], []),
            }
        )
    return rows


#: The page's own actions, by URL name, as paths under the page's URL (``base``): built from
#: it rather than reversed one by one (tests/transcripts/test_views_review.py checks each).
_PAGE_ACTIONS = {
    "export": "export.md",
    "export_vtt": "export.vtt",
    "export_srt": "export.srt",
    "export_json": "export.json",
    "share": "share/",
    "unshare": "unshare/",
    "reanalyse": "analyse/",
    "speakers": "speakers/",
    "delete": "delete/",
    "speech_delete": "speech/delete/",
}


def _highlight_item(h: Highlight, transcript_id: int, *, base: str) -> dict:
    """One entry of "Your highlights" with its ``<li>`` (``html``), written here rather than
    by the template engine once per highlight; the card link is built from the page URL
    (``transcripts:card_new``) like the segments' own links."""
    url = selectors.moment_url(transcript_id, h.seq, base=base)
    card_url = f"{base}segments/{h.seq}/card/"
    note = f" — {escape(h.note)}" if h.note else ""
    card = (
        ' <span class="badge badge--success">card made</span>'
        if h.card_id
        else f' · <a href="{escape(card_url)}">make a card</a>'
    )
    html = f'<li><a href="{escape(url)}">#{escape(h.seq)}</a>{note}\n        {card}</li>'
    return {
        "highlight": h,
        "url": url,
        "card_url": card_url,
        "html": mark_safe(html),  # noqa: S308 - every value is escaped
    }


def _decorate(segment, role_map, highlight, *, base: str):
    """What ``rendering.segment_html`` shows, computed once here: a hundred segments a page
    with a URL lookup each would cost several times more (``base``: the page's URL). The
    segment is a ``selectors.SegmentRow`` of the page or the ``Segment`` an htmx answer shows."""
    from .markdown import mmss

    seq = str(segment.seq)
    segment.sid = seq
    segment.time = mmss(segment.start_ms)
    segment.role = role_map.role(segment.speaker, segment.start_ms)
    segment.highlight = highlight
    segment.hl_url = f"{base}segments/{seq}/highlight/"
    segment.unhl_url = f"{base}segments/{seq}/unhighlight/"
    segment.card_url = f"{base}segments/{seq}/card/"
    return segment


def _sections(
    transcript: Transcript,
    segments: list[selectors.SegmentRow],
    highlights: dict,
    *,
    is_owner: bool,
    csrf: str,
) -> list[dict]:
    """The page's segments grouped in phase sections, each section with its segments' HTML."""
    from .analysis import RoleMap

    role_map = RoleMap(
        speakers=transcript.speakers, roles=transcript.roles, phases=transcript.phases
    )
    base = reverse("transcripts:detail", args=[transcript.pk])
    marks = sorted(
        (p for p in transcript.phases or () if p["phase"] != "swap"), key=lambda p: p["ms"]
    )
    sections: list[dict] = []
    for segment in segments:
        phase = ""
        for mark in marks:
            if mark["ms"] > segment.start_ms:
                break
            phase = mark["phase"]
        if not sections or sections[-1]["phase"] != phase:
            sections.append({"phase": phase, "segments": []})
        _decorate(segment, role_map, highlights.get(segment.seq), base=base)
        sections[-1]["segments"].append(segment)
    for section in sections:
        section["html"] = mark_safe(  # noqa: S308 - segment_html escapes every value
            "\n".join(segment_html(s, is_owner=is_owner, csrf=csrf) for s in section["segments"])
        )
    return sections


@login_required
def detail(request, pk):
    """The transcript as a document: framing, phases, analysis, coverage with the booking's
    feedback, and the conversation (one page of PAGE_SIZE segments)."""
    transcript, share = _readable(request, pk)
    is_owner = share is None
    try:
        page_number = int(request.GET.get("page", 0))
    except ValueError:
        page_number = 0
    page, first, pages = selectors.page_of(transcript, page_number)
    segments = selectors.segments_page(transcript, page)
    highlights = selectors.highlights_of(transcript, request.user) if is_owner else []
    by_seq = {h.seq: h for h in highlights}
    feedback = selectors.feedback_by_dimension(transcript=transcript, user=request.user)
    base = reverse("transcripts:detail", args=[transcript.pk])
    # Only a transcript of a booking is shared (services.transcript_share), and the page shows
    # its shares only then (can_share): no query for the others.
    can_share = is_owner and bool(transcript.booking_id)
    shares = list(transcript.shares.select_related("user__profile")) if can_share else []
    me = services.participant_of(transcript=transcript, user=request.user, share=share)
    analysis = transcript.analysis or {}
    labels = [s["label"] for s in analysis.get("speakers", [])]
    csrf = get_token(request)
    context = {
        "transcript": transcript,
        "share": share,
        "is_owner": is_owner,
        "shares": shares,
        "can_share": can_share,
        "my_labels": services.labels_of(transcript, me) if me else [],
        "analysis": analysis,
        "coverage": _coverage_rows(transcript, feedback, base=base),
        "questions": [
            {**q, "url": selectors.moment_url(transcript.pk, q["seq"], base=base)}
            for q in analysis.get("questions", [])
        ],
        "silences": [
            {**s, "url": selectors.moment_url(transcript.pk, s["seq"], base=base)}
            for s in analysis.get("silences", [])
        ],
        "pins": [(kind, transcript.pinned.get(kind, [])) for kind in _PIN_ORDER],
        "sections": _sections(transcript, segments, by_seq, is_owner=is_owner, csrf=csrf),
        "highlights": [_highlight_item(h, transcript.pk, base=base) for h in highlights],
        "page": page,
        "pages": pages,
        "first_seq": first,
        "prev_page": page - 1 if page > 0 else None,
        "next_page": page + 1 if page + 1 < pages else None,
        "speakers_form": (
            SpeakersForm(labels=labels)
            if is_owner and not transcript.booking_id and labels and not transcript.roles
            else None
        ),
        "speaker_labels": labels,
        "csrf": csrf,
        "live_url": (
            _url_or_none("capture:live", transcript.capture_session.pk)
            if is_owner and transcript.is_recording and hasattr(transcript, "capture_session")
            else None
        ),
        "kind_is_mlsd": transcript.kind == MockKind.ML_SYSTEM_DESIGN,
        "urls": {name: f"{base}{tail}" for name, tail in _PAGE_ACTIONS.items()},
    }
    return render(request, "transcripts/detail.html", context)


_PIN_ORDER = ("question", "assumption", "constraint", "metric", "decision", "note")


@login_required
def export(request, pk):
    """The transcript as Markdown (the owner and a reader alike)."""
    transcript, share = _readable(request, pk)
    text = markdown.render(transcript, user=request.user, with_highlights=share is None)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transcript-{transcript.pk}.md"'
    return response


@login_required
def export_file(request, pk, fmt):
    """The transcript as WebVTT, SRT or JSON (``formats``): what upload reads back to the
    same segments, speakers and times (the owner and a reader alike)."""
    transcript, _share = _readable(request, pk)
    if fmt not in formats.EXPORT_FORMATS:
        raise Http404("No such format.")
    text = formats.write(fmt, selectors.export_cues(transcript))
    response = HttpResponse(text.encode("utf-8"), content_type=formats.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="transcript-{transcript.pk}.{fmt}"'
    return response


@login_required
def search(request):
    q = request.GET.get("q", "").strip()
    hits = selectors.search_segments(user=request.user, q=q) if q else []
    template = "transcripts/search.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"q": q, "hits": hits})


# --- Owner actions ------------------------------------------------------------------------
@login_required
@require_POST
def share(request, pk):
    transcript = _own(request, pk)
    try:
        services.transcript_share(transcript=transcript, by=request.user)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Shared read-only with the other person of the booking.")
    return redirect("transcripts:detail", pk=pk)


@login_required
@require_POST
def unshare(request, pk):
    transcript = _own(request, pk)
    services.transcript_unshare(transcript=transcript, by=request.user)
    messages.success(request, "Sharing revoked.")
    return redirect("transcripts:detail", pk=pk)


@login_required
@require_POST
def reanalyse(request, pk):
    transcript = _own(request, pk)
    try:
        services.transcript_reanalyse(transcript=transcript)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Analysis queued again.")
    return redirect("transcripts:detail", pk=pk)


@login_required
@require_POST
def speakers(request, pk):
    transcript = _own(request, pk)
    labels = [s["label"] for s in (transcript.analysis or {}).get("speakers", [])]
    form = SpeakersForm(request.POST, labels=labels)
    if form.is_valid():
        try:
            services.transcript_speakers_set(
                transcript=transcript,
                me=form.cleaned_data["me"],
                my_role=form.cleaned_data["my_role"],
            )
        except services.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Speakers saved; the analysis was updated.")
    else:
        messages.error(request, "Pick one of the transcript's speakers and your role.")
    return redirect("transcripts:detail", pk=pk)


@login_required
@require_POST
def delete(request, pk):
    transcript = _own(request, pk)
    services.transcript_delete(transcript=transcript)
    messages.success(request, "Transcript deleted.")
    return redirect("transcripts:list")


@login_required
@require_POST
def speech_delete(request, pk):
    """Delete my own speech: the owner's or a reader's (a share of theirs)."""
    transcript, share = _readable(request, pk)
    try:
        deleted = services.speech_delete(transcript=transcript, user=request.user, share=share)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Your speech was deleted ({deleted} segments).")
    return redirect("transcripts:detail", pk=pk)


@login_required
@require_POST
def highlight(request, pk, seq):
    """Highlight a segment, or save its comment (htmx: answers the segment)."""
    transcript = _own(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        item = services.highlight_set(transcript=transcript, user=request.user, seq=seq, note=note)
    except services.ReviewError as exc:
        raise Http404(str(exc)) from exc
    return _segment_response(request, transcript, seq, item)


@login_required
@require_POST
def unhighlight(request, pk, seq):
    transcript = _own(request, pk)
    item = Highlight.objects.filter(transcript=transcript, user=request.user, seq=seq).first()
    if item is not None:
        services.highlight_delete(highlight=item)
    return _segment_response(request, transcript, seq, None)


def _segment_response(request, transcript, seq, item):
    if not request.htmx:
        return redirect(selectors.moment_url(transcript.pk, seq))
    from .analysis import RoleMap

    segment = get_object_or_404(Segment.objects.filter(transcript=transcript), seq=seq)
    role_map = RoleMap(
        speakers=transcript.speakers, roles=transcript.roles, phases=transcript.phases
    )
    _decorate(segment, role_map, item, base=reverse("transcripts:detail", args=[transcript.pk]))
    return HttpResponse(segment_html(segment, is_owner=True, csrf=get_token(request)))


@login_required
def card_new(request, pk, seq):
    """Make a flashcard from a highlighted moment: front = the question asked, back = the
    note; it lands in the user's own default deck."""
    transcript = _own(request, pk)
    item = get_object_or_404(
        Highlight.objects.filter(transcript=transcript, user=request.user), seq=seq
    )
    segment = get_object_or_404(Segment.objects.filter(transcript=transcript), seq=seq)
    if request.method == "POST":
        form = CardForm(request.POST)
        if form.is_valid():
            try:
                card = services.card_from_highlight(
                    highlight=item,
                    user=request.user,
                    front=form.cleaned_data["front"],
                    back=form.cleaned_data["back"],
                )
            except services.ReviewError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Card added to your deck.")
                url = _url_or_none("flashcards:card_detail", card.pk)
                return redirect(url or selectors.moment_url(transcript.pk, seq))
    else:
        back = item.note or segment.text
        form = CardForm(
            initial={
                "front": services.question_before(transcript=transcript, seq=seq),
                "back": back,
            }
        )
    return render(
        request,
        "transcripts/card_new.html",
        {
            "transcript": transcript,
            "segment": segment,
            "highlight": item,
            "form": form,
            "moment_url": selectors.moment_url(transcript.pk, seq),
        },
    )
