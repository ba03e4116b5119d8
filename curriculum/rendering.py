"""One plan item as HTML, written in Python rather than a template.

The week page shows some twelve items, each with up to four action forms and a form per
checklist line; through the template engine (thirty-odd variable lookups, a dozen tags and a
CSRF input per form, an item) they were the largest part of the page's server time. The
markup here is the whole of what an item shows, for every page that shows one (the week, the
whole plan, the dashboard's today list, an item action's htmx answer: all through
``templates/curriculum/_item.html`` or the ``plan_item`` tag). Every value is escaped.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import ItemView

_BADGES = {
    "done": '<span class="badge badge--done">Done{}</span>',
    "skipped": '<span class="badge badge--neutral">Skipped</span>',
}


def _form(url: str, target: str, csrf: str, inner: str) -> str:
    return (
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="{target}" '
        f'hx-swap="outerHTML" class="inline-form">{csrf}{inner}</form>'
    )


def item_html(view: ItemView, *, csrf: str) -> SafeString:
    """The ``<li>`` of one item (``curriculum.selectors.ItemView``); ``csrf`` is the form
    token (escaped here; "" renders the forms without one, as ``{% csrf_token %}`` does
    where there is no token)."""
    csrf_input = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf)}">' if csrf else ""
    )
    pk = escape(view.id)
    row = f"#item-{pk}"
    title = escape(view.title)
    area = escape(view.area)
    status = escape(view.status)
    done = view.status == "done"
    if done:
        badge = _BADGES["done"].format(" (from activity)" if view.auto_done else "")
    elif view.status == "skipped":
        badge = _BADGES["skipped"]
    elif view.is_overdue:
        badge = '<span class="badge badge--missed">Missed</span>'
    else:
        badge = ""
    link = f'<a href="{escape(view.url)}">{title}</a>' if view.url else title
    part = f" · {escape(view.part)}" if view.part else ""
    parts = [
        f'<li class="day-item day-item--area-{area}{" day-item--done" if done else ""}" '
        f'id="item-{pk}" data-testid="plan-item" data-module="{escape(view.slug)}" '
        f'data-status="{status}">\n'
        f'  <span class="day-item__title">\n    {link}\n  </span>\n'
        f'  <span class="day-item__meta">\n    {escape(view.minutes)} min{part}\n'
        f'    · <span class="badge badge--area-{area}">{escape(view.area_name)}</span>\n'
        f"    {badge}\n  </span>\n"
        '  <details class="disclosure">\n    <summary>What to do</summary>\n'
        f'    <p class="small">{escape(view.description)}</p>\n'
    ]
    if view.progress:
        target, shown = escape(view.progress.target), escape(view.progress.shown_done)
        parts.append(
            f'      <p class="small"><progress max="{target}" value="{shown}" '
            f'aria-label="Progress on {title}"></progress> {shown} / {target}</p>\n'
        )
    if view.checklist:
        url = escape(view.checklist_url)
        parts.append('      <ul class="checklist">\n')
        for index, text, ticked in view.checklist:
            inner = (
                f'<input type="hidden" name="index" value="{escape(index)}">\n'
                + ("" if ticked else '<input type="hidden" name="ticked" value="on">\n')
                + '<button type="submit" class="btn btn--link btn--sm" '
                f'aria-pressed="{"true" if ticked else "false"}">'
                f"{'☑' if ticked else '☐'} {escape(text)}</button>\n"
            )
            form = _form(url, row, "\n" + csrf_input, inner)
            parts.append(f"        <li>\n{form}\n        </li>\n")
        parts.append("      </ul>\n")
    parts.append('  </details>\n  <div class="btn-group">\n')
    if view.status == "pending":
        parts.append(
            _form(
                escape(view.complete_url),
                row,
                csrf_input,
                '<button class="btn btn--primary btn--sm" type="submit" '
                f'aria-label="Mark “{title}” done">Done</button>',
            )
            + "\n"
            + _form(
                escape(view.snooze_url),
                "#plan-body",
                csrf_input,
                f'<input type="hidden" name="week" value="{escape(view.date)}">'
                '<button class="btn btn--secondary btn--sm" type="submit" '
                f'aria-label="Snooze “{title}”">Snooze</button>',
            )
            + "\n"
            + _form(
                escape(view.skip_url),
                row,
                csrf_input,
                '<button class="btn btn--link btn--sm" type="submit" '
                f'aria-label="Skip “{title}”">Skip</button>',
            )
        )
    else:
        parts.append(
            _form(
                escape(view.reopen_url),
                row,
                csrf_input,
                '<button class="btn btn--link btn--sm" type="submit" '
                f'aria-label="Undo “{title}”">Undo</button>',
            )
        )
    parts.append("\n  </div>\n</li>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
