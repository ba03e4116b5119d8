from django import template
from django.utils.safestring import mark_safe

from prep.flashcards.rendering import render_markdown

register = template.Library()


@register.filter
def md(text: str) -> str:
    """Markdown content as sanitised HTML (the flashcards renderer: nh3 allow-list)."""
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by nh3


VERDICT_NAMES = {
    "accepted": "Accepted",
    "wrong_answer": "Wrong answer",
    "runtime_error": "Runtime error",
    "time_limit": "Time limit exceeded",
    "memory_limit": "Memory limit exceeded",
    "output_limit": "Output limit exceeded",
    "judge_error": "Judge error",
}


@register.filter
def verdict_name(verdict: str) -> str:
    return VERDICT_NAMES.get(verdict, verdict)
