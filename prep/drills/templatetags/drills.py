"""Template helpers: server-side syntax highlighting with CSS classes (no inline styles)."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import pluralize
from django.utils.safestring import mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from prep.lib.escaping import escape

register = template.Library()


LEXERS = {
    "python": "python",
    "java": "java",
    "cpp": "cpp",
    "javascript": "javascript",
    "typescript": "typescript",
    "go": "go",
    "rust": "rust",
    "kotlin": "kotlin",
    "csharp": "csharp",
    "swift": "swift",
    "sql": "sql",
}
FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)


@register.filter
def highlight_code(code: str, language: str = "") -> str:
    """Pygments escapes the code; the markup carries classes styled by drills.css."""
    try:
        lexer = get_lexer_by_name(LEXERS[language], stripnl=False)
    except (KeyError, ClassNotFound):
        lexer = TextLexer(stripnl=False)
    return mark_safe(highlight(code, lexer, FORMATTER))  # noqa: S308 - Pygments escapes


@register.filter
def minutes_label(value) -> str:
    if value is None:
        return "—"
    value = float(value)
    return f"{value:.0f} min" if value == int(value) else f"{value:.1f} min"


# The coverage page draws a row per pattern (about thirty) in the chart and in its table:
# written here rather than as template loops, where the engine's variable lookups were most
# of the page's server time. Names are escaped; the rest are numbers (printed as the
# template printed them with localisation off) and difficulty slugs (escaped too).


@register.filter
def coverage_chart_rows(chart: dict) -> str:
    """The chart's ``<g>`` rows (``charts.coverage_bars``): the bank as a muted bar, the
    solved easy/medium/hard stacked on it, the count."""
    label_x, bar_x, bar_h = chart["label_x"], chart["bar_x"], chart["bar_h"]
    out = []
    for r in chart["rows"]:
        row = r["row"]
        name = escape(row.pattern.name)
        y, text_y = r["bar_y"], r["text_y"]
        segments = "".join(
            f'<rect class="drills-bar drills-bar--{escape(s["difficulty"])}" x="{s["x"]}" '
            f'y="{y}" width="{s["w"]}" height="{bar_h}"><title>{name}: {s["n"]} '
            f"{escape(s['difficulty'])} solved</title></rect>"
            for s in r["segments"]
        )
        out.append(
            '<g class="drills-chart__row">\n'
            f'<text x="{label_x}" y="{text_y}" text-anchor="end">{name}</text>\n'
            f'<rect class="bar--muted" x="{bar_x}" y="{y}" width="{r["bank_w"]}" '
            f'height="{bar_h}" rx="3"><title>{name}: {row.bank_total} in the bank</title></rect>\n'
            f"{segments}\n"
            f'<text x="{r["count_x"]}" y="{text_y}">{row.solved_total}/{row.bank_total}</text>\n'
            "</g>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - names escaped, the rest numbers


@register.filter
def coverage_table_rows(rows) -> str:
    """The chart's table: per pattern, solved easy, medium, hard, and solved / bank."""
    return mark_safe(  # noqa: S308 - names escaped, the rest numbers
        "".join(
            f'<tr><th scope="row">{escape(r.pattern.name)}</th>'
            f'<td class="num">{r.solved["easy"]}</td><td class="num">{r.solved["medium"]}</td>'
            f'<td class="num">{r.solved["hard"]}</td>'
            f'<td class="num">{r.solved_total} / {r.bank_total}</td></tr>\n'
            for r in rows
        )
    )


# The problem list draws 25 rows, each with its patterns, lists and status: written here for
# the same reason (the page and its htmx ``#results`` answer alike), the markup the template
# loop wrote, byte for byte. Titles, names, links and slugs are escaped; counts are numbers,
# printed as the template printed them (no thousands separator: USE_THOUSAND_SEPARATOR is off).

_ROW = (
    "\n          <tr>"
    '\n            <td data-label="Problem">'
    '\n              <a href="{url}">{title}</a>'
    "\n              {premium}"
    "\n              {custom}"
    "\n            </td>"
    '\n            <td data-label="Difficulty"><span class="badge badge--{difficulty}">'
    "{difficulty_label}</span></td>"
    '\n            <td data-label="Patterns"><ul class="tags">{patterns}</ul></td>'
    '\n            <td data-label="Lists"><ul class="tags">{lists}</ul></td>'
    '\n            <td data-label="Status">'
    "\n              {timer}"
    "\n              {status}"
    "\n              {attempts}"
    "\n            </td>"
    "\n          </tr>"
    "\n          "
)
_PREMIUM = '<span class="badge badge--neutral" title="LeetCode Premium">Premium</span>'
_CUSTOM = '<span class="badge badge--primary">Custom</span>'
_TIMER = '<span class="badge badge--in_progress">Timer running</span>'
_NO_LIST = '<li class="muted">—</li>'
_STATUS_DUE = '<span class="badge badge--due">Re-solve due</span>\n              '
_STATUS_SOLVED = '<span class="badge badge--done">Solved</span>\n              '
_STATUS_TRIED = '<span class="badge badge--failed">Not solved yet</span>\n              '
_STATUS_NEW = '<span class="muted nowrap">Not tried</span>'


def _tags(items) -> str:
    return "".join(f'<li><span class="tag">{escape(x.name)}</span></li>' for x in items)


@register.filter
def problem_rows(problems, due_today) -> str:
    """The problem list's table rows: each problem (``views._with_urls``, tagged by
    ``selectors.page_details``) with its difficulty, patterns, lists and the user's status."""
    out = []
    for p in problems:
        count = p.attempt_count
        if p.due and p.due < due_today:
            status = _STATUS_DUE
        elif p.is_solved:
            status = _STATUS_SOLVED
        elif count:
            status = _STATUS_TRIED
        else:
            status = _STATUS_NEW
        out.append(
            _ROW.format(
                url=escape(p.page_url),
                title=escape(p.title),
                premium=_PREMIUM if p.premium else "",
                custom=_CUSTOM if p.owner_id else "",
                difficulty=escape(p.difficulty),
                difficulty_label=escape(p.get_difficulty_display()),
                patterns=_tags(p.pattern_tags),
                lists=_tags(p.list_tags) or _NO_LIST,
                timer=_TIMER if p.timer_started else "",
                status=status,
                attempts=(
                    f'<span class="muted nowrap">· {count} attempt{pluralize(count)}</span>'
                    if count
                    else ""
                ),
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


@register.filter
def coverage_module_rows(modules, list_url: str) -> str:
    """The coverage page's plan modules (``selectors.coding_modules``), each a link to the
    problem list filtered as the module counts and a progress bar: the markup the template
    loop wrote, byte for byte (the counts are numbers, printed without grouping as the
    template printed them; slugs, titles and the query are escaped)."""
    url = escape(list_url)
    out = []
    for m in modules:
        done, target = m["done"], m["target"]
        tick = " ✓" if m["complete"] else ""
        out.append(
            f'\n          <li data-module="{escape(m["module"].slug)}">'
            f'\n            <div class="progress-label"><a href="{url}?{escape(m["query"])}">'
            f"{escape(m['module'].title)}</a><span>{done} / {target}{tick}</span></div>"
            f'\n            <progress class="progress--area-coding" max="{target}" '
            f'value="{done}">{done} / {target}</progress>'
            "\n          </li>\n          "
        )
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
