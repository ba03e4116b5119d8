from django import template

from curriculum.roles import ROLES_BY_SLUG

register = template.Library()


@register.filter
def role_summary(slug: str) -> str:
    role = ROLES_BY_SLUG.get(str(slug))
    return role.summary if role else ""


@register.filter
def person(user) -> str:
    """How one person is named to another (never their email); a deleted account when gone."""
    from prep.accounts.people import display_name

    return display_name(user)
