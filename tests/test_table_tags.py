"""`{% table %}` and `{% columns %}` (akua.templatetags.akua): every list page's table in its
scrolling frame, or what the page says when there are no rows; its header row."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError

PAGE = (
    "{% load akua %}{% table rows %}<tbody>{% for r in rows %}<tr><td>{{ r }}</td></tr>"
    "{% empty %}never{% endfor %}</tbody>{% empty %}<p>None yet.</p>{% endtable %}"
)


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_rows_are_a_table_in_its_scrolling_frame():
    html = render(PAGE, rows=["<a>", "b"])
    assert html == (
        '<div class="table-scroll">\n<table class="table"><tbody><tr><td>&lt;a&gt;</td></tr>'
        "<tr><td>b</td></tr></tbody></table>\n</div>"
    )


@pytest.mark.parametrize("rows", [[], None])
def test_no_rows_is_what_the_empty_branch_says(rows):
    assert render(PAGE, rows=rows) == "<p>None yet.</p>"


def test_no_rows_and_no_empty_branch_is_nothing():
    assert render("{% load akua %}{% table rows %}<tbody></tbody>{% endtable %}", rows=[]) == ""


def test_a_class_adds_to_the_table():
    html = render('{% load akua %}{% table rows class="history" %}x{% endtable %}', rows=[1])
    assert '<table class="table history">x</table>' in html


@pytest.mark.parametrize(
    "source", ["{% table %}{% endtable %}", '{% table rows id="x" %}{% endtable %}']
)
def test_other_arguments_are_refused(source):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load akua %}" + source)


def test_columns_are_the_header_row():
    html = render('{% load akua %}{% columns "Name" label %}', label="<b>")
    assert html == '<thead><tr><th scope="col">Name</th><th scope="col">&lt;b&gt;</th></tr></thead>'


def test_a_hidden_column_is_announced_only():
    html = render('{% load akua %}{% columns "Name" hidden="Actions" %}')
    assert html == (
        '<thead><tr><th scope="col">Name</th>'
        '<th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>'
    )
