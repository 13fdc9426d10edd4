"""Views of the install wizard and inputs editor, one module per page:

- `steps`: resume, a step, a field left (htmx), discard;
- `review`: the review and Confirm, and one manifest's diff (htmx, when opened);
- `search`: the search box's results;
- `one_page`: every step on one page (the single form);
- `yaml_text`: the YAML view;
- `version`: the installation page's version update (its fields are the wizard's).

Thin: state changes are `wizard.actions` (confirm, typed text) and the draft's scope is
`wizard.drafts`.
"""

from wizard.views.one_page import one_page
from wizard.views.review import review_diff
from wizard.views.search import search_view
from wizard.views.steps import discard, start, step, validate
from wizard.views.version import update_version
from wizard.views.yaml_text import yaml_view

__all__ = [
    "discard",
    "one_page",
    "review_diff",
    "search_view",
    "start",
    "step",
    "update_version",
    "validate",
    "yaml_view",
]
