"""``{% link %}``: the URL ``{% url %}`` gives, reversed once per URLconf and script prefix."""

from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from prep.lib.templatetags import links


def _render(name: str) -> str:
    return Template('{% load links %}{% link "' + name + '" %}').render(Context())


def test_link_is_the_reversed_url_and_is_reused():
    links._reversed.cache_clear()
    assert _render("dashboard:today") == reverse("dashboard:today") == "/dashboard/"
    assert _render("curriculum:plan") == reverse("curriculum:plan")
    before = links._reversed.cache_info()
    _render("dashboard:today")
    after = links._reversed.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


def test_link_follows_the_script_prefix():
    set_script_prefix("/prep/")
    try:
        assert _render("dashboard:today") == "/prep/dashboard/"
    finally:
        clear_script_prefix()
    assert _render("dashboard:today") == "/dashboard/"
