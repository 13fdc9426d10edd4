"""`{% load wizard_help %}`: `{{ text|markdown }}`, a help text as safe HTML (wizard.markdown)."""

from django import template

from wizard.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(str(text or ""))
