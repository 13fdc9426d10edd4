"""Template helpers every app's pages share: state badges and short commit shas.

Registered in settings.TEMPLATES as the library `akua` (`{% load akua %}`).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()

# Which colour family a state is shown in; the word itself is always printed too.
_TONES = {
    "pending": "neutral",
    "queued": "neutral",
    "superseded": "neutral",
    "skipped": "neutral",
    "rendering": "busy",
    "running": "busy",
    "syncing": "busy",
    "healthy": "good",
    "deployed": "good",
    "rendered": "good",
    "degraded": "warn",
    "unknown": "warn",
    "failed": "bad",
    "deleted": "neutral",
}


@register.simple_tag
def state_badge(state: str, label: str = "") -> str:
    """`{% state_badge installation.state installation.get_state_display %}`."""
    state = state or "unknown"
    tone = _TONES.get(state, "neutral")
    return format_html(
        '<span class="badge badge-{}" data-state="{}">{}</span>',
        tone,
        state,
        label or state.capitalize(),
    )


@register.filter
def short_sha(sha: str | None) -> str:
    return (sha or "")[:8]
