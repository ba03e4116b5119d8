"""The coverage page's plan modules are written by a filter (templatetags/drills.py
``coverage_module_rows``): the markup of the template loop it replaced, byte for byte, with
every slug, title and query escaped."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.urls import reverse

from prep.drills.templatetags.drills import coverage_module_rows

LOOP = Template(
    """{% for m in modules %}
          <li data-module="{{ m.module.slug }}">
            <div class="progress-label"><a href="{% url 'drills:problem_list' %}?{{ m.query }}">{{ m.module.title }}</a><span>{{ m.done }} / {{ m.target }}{% if m.complete %} ✓{% endif %}</span></div>
            <progress class="progress--area-coding" max="{{ m.target }}" value="{{ m.done }}">{{ m.done }} / {{ m.target }}</progress>
          </li>
          {% endfor %}"""
)


def _module(slug, title, query, done, target, complete):
    return {
        "module": SimpleNamespace(slug=slug, title=title),
        "query": query,
        "done": done,
        "target": target,
        "complete": complete,
    }


def test_module_rows_write_what_the_template_loop_wrote():
    modules = [
        _module("hashing", "Hashing basics", "pattern=hashing&difficulty=medium", 2, 5, False),
        _module('x"<y>', "<b>Trees</b> & 'graphs'", "q=<script>", 12, 12, True),
        _module("none", "Nothing yet", "", 0, 1, False),
    ]
    ours = coverage_module_rows(modules, reverse("drills:problem_list"))
    assert ours == LOOP.render(Context({"modules": modules}))
    assert "<b>" not in ours and "<script>" not in ours and "12 / 12 ✓" in ours
    assert coverage_module_rows([], "/drills/") == ""
