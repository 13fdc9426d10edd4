"""A ChangeRequest: a push to `review/<name>` waiting for someone to accept or reject it."""

from __future__ import annotations

from functools import partial

from django.db import models

from akua.ids import new_id
from akua.models import Stamped, optional_link, person, prefixed_id

REVIEW_PREFIX = "review/"


new_change_request_id = partial(new_id, "cr")


class ChangeRequest(Stamped):
    """One review branch of an installation repository.

    The decision (who, when, why, and the merge commit) stays on the row; a decided
    request is never reopened: pushing to its branch again is refused.
    """

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    id = prefixed_id(new_change_request_id)
    installation = models.ForeignKey(
        "installations.Installation", on_delete=models.CASCADE, related_name="change_requests"
    )
    branch = models.CharField(max_length=200, help_text="review/<name>")
    head_sha = models.CharField(max_length=40)
    title = models.CharField(max_length=300, blank=True, help_text="Subject of the head commit.")
    author_name = models.CharField(max_length=200, blank=True)
    author_email = models.CharField(max_length=200, blank=True)
    pushed_by = person(related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    decided_by = person(related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was rejected (or a note on accepting).")
    merge_sha = models.CharField(
        max_length=40, blank=True, help_text="The commit on main that took the change."
    )
    render = optional_link("installations.Render", related_name="+")

    class Meta(Stamped.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "branch"], name="unique_change_request_branch"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch} ({self.state})"

    @property
    def name(self) -> str:
        return self.branch.removeprefix(REVIEW_PREFIX)
