from django import template

from curriculum.roles import ROLES_BY_SLUG

register = template.Library()


@register.filter
def role_summary(slug: str) -> str:
    role = ROLES_BY_SLUG.get(str(slug))
    return role.summary if role else ""
