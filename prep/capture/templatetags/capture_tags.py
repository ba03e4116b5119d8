from django import template

from prep.lib import formatting

register = template.Library()


@register.filter
def mmss(ms) -> str:
    """Milliseconds of media time as m:ss (h:mm:ss past an hour)."""
    try:
        return formatting.clock(int(ms) // 1000)
    except (TypeError, ValueError):
        return ""


@register.filter
def speaker_role(segment_speaker: str, transcript) -> str:
    """interviewer / candidate for a speaker label, after swaps; '' if unknown."""
    who = (transcript.speakers or {}).get(segment_speaker)
    return transcript.current_roles().get(who, "") if who else ""


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (an empty list when absent)."""
    try:
        return mapping.get(key) or []
    except AttributeError:
        return []
