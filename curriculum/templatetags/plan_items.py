"""``{% plan_item view %}``: one plan item's markup (curriculum.rendering.item_html)."""

from django import template

from curriculum.rendering import item_html

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_item(context, view):
    token = context.get("csrf_token")
    return item_html(view, csrf="" if token in (None, "NOTPROVIDED") else str(token))
