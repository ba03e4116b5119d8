"""One transcript segment as HTML, written in Python rather than a template.

A transcript page shows a hundred segments, each with its highlight and comment forms; through
the template engine (an include with some twenty variable lookups a segment) they took more than
half of the page's server time. The markup here is the whole of what a segment shows; the page
and the htmx answer for one segment (highlight, comment, unhighlight) both use it. Every value
that comes from a user or a transcript is escaped.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from prep.lib.escaping import escape


def _form(action: str, sid: str, csrf: str, inner: str, extra_class: str = "") -> str:
    cls = f' class="{extra_class}"' if extra_class else ""
    return (
        f'<form method="post" action="{action}" hx-post="{action}" hx-target="#seq-{sid}" '
        f'hx-swap="outerHTML"{cls}>\n'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">{inner}\n</form>'
    )


def segment_html(segment, *, is_owner: bool, csrf: str) -> SafeString:
    """The ``<li>`` of one segment decorated by ``views._decorate`` (sid, time, role,
    highlight and its note, the action URLs)."""
    sid = escape(segment.sid)
    role = escape(segment.role or "")
    highlight = segment.highlight
    note = escape(highlight.note) if highlight is not None and highlight.note else ""
    classes = "tx-seg"
    if highlight is not None:
        classes += " tx-seg--highlight"
    if role:
        classes += f" tx-seg--{role}"
    parts = [
        f'<li class="{classes}" id="seq-{sid}">',
        f'<a class="tx-seg__time mono" href="#seq-{sid}" title="Link to this moment">'
        f"{escape(segment.time)}</a>",
        '<div class="tx-seg__body">',
        f'<p class="tx-seg__speaker">{escape(segment.speaker)}'
        + (f' <span class="muted">· {role}</span>' if role else "")
        + "</p>",
        f'<p class="tx-seg__text">{escape(segment.text)}</p>',
    ]
    if note:
        parts.append(
            f'<p class="tx-seg__note" data-testid="note"><strong>Note:</strong> {note}</p>'
        )
    if is_owner:
        csrf = escape(csrf)
        hl_url, unhl_url = escape(segment.hl_url), escape(segment.unhl_url)
        parts.append('<div class="tx-seg__actions cluster">')
        if highlight is not None:
            parts.append(
                _form(
                    unhl_url,
                    sid,
                    csrf,
                    '<button type="submit" class="btn btn--link btn--sm">Remove highlight</button>',
                )  # fmt: skip
            )
            parts.append(
                f'<a class="btn btn--link btn--sm" href="{escape(segment.card_url)}">'
                "Make a card</a>"
            )
        else:
            parts.append(
                _form(
                    hl_url,
                    sid,
                    csrf,
                    '<button type="submit" class="btn btn--link btn--sm">Highlight</button>',
                )  # fmt: skip
            )
        parts.append(
            '<details class="tx-seg__comment">'
            '<summary class="btn btn--link btn--sm">'
            + ("Edit comment" if note else "Comment")
            + "</summary>"
            + _form(
                hl_url,
                sid,
                csrf,
                f'\n<label class="sr-only" for="note-{sid}">Comment on this moment</label>'
                f'\n<textarea id="note-{sid}" name="note" rows="2" maxlength="2000">{note}'
                "</textarea>"
                '\n<button type="submit" class="btn btn--secondary btn--sm">Save comment</button>',
                "stack stack--sm",
            )  # fmt: skip
            + "</details>"
        )
        parts.append("</div>")
    parts.append("</div>\n</li>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped
