from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from .models import Transcript

RECENT = 50


def _url_or_none(name: str, *args) -> str | None:
    """Capture's pages, once prep/urls.py mounts them (the list still works before)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@login_required
def index(request):
    """Your transcripts, newest first (the full review pages come with the review issue)."""
    transcripts = list(
        Transcript.objects.for_user(request.user)
        .select_related("capture_session")
        .only(
            "id",
            "title",
            "kind",
            "status",
            "segment_count",
            "created_at",
            "capture_session__id",
            "capture_session__status",
        )[:RECENT]
    )
    capture_index = _url_or_none("capture:index")
    rows = [
        {
            "transcript": t,
            "live_url": (
                _url_or_none("capture:live", t.capture_session.pk)
                if hasattr(t, "capture_session")
                else None
            ),
        }
        for t in transcripts
    ]
    return render(request, "transcripts/index.html", {"rows": rows, "capture_index": capture_index})
