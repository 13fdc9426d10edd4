"""Views of the installation pages, one module per page."""

from installations.views.cluster import (
    installation_adopt,
    installation_assign,
    installation_cluster,
    installation_logs,
    installation_reapply,
)
from installations.views.dashboard import dashboard
from installations.views.delete import delete
from installations.views.history import history, restore
from installations.views.inputs import edit_inputs
from installations.views.installation import installation
from installations.views.new import new_installation

__all__ = [
    "dashboard",
    "delete",
    "edit_inputs",
    "history",
    "installation",
    "installation_adopt",
    "installation_assign",
    "installation_cluster",
    "installation_logs",
    "installation_reapply",
    "new_installation",
    "restore",
]
