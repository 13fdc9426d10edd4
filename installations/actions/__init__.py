"""Every state change of an installation: create, edit inputs, secrets, render, restore,
upgrade, delete.

Views, commands and tasks call these; nothing else writes Installation or Render rows.
Each action is atomic in the database, writes git through `installations.repository`
(compare-and-swap on `main`, so concurrent writers conflict instead of losing work) and
enqueues the render task with `transaction.on_commit`.

One module per concept; import from here (`from installations.actions import
update_inputs`) or from the module:

- `create`: a new installation and its repository;
- `inputs`: edit inputs as values (a form) or as inputs.yaml text (the YAML view);
- `secrets`: sensitive inputs, stored encrypted and committed as markers (DESIGN §9);
- `upgrade`: another version of the package, by hand or automatically;
- `restore`: a render's tree committed again;
- `delete`: uninstall from the cluster, then mark deleted;
- `place`: assign a cluster and namespace, or move the installation to others;
- `request`: queue a render (every action above ends there);
- `render`: the render task's body (claim, supersede, render, commit, settle);
- `head` and `errors`: what the repository's head holds, and the shared refusals.

State changes (`set_state`) and the claims' timeout live in `installations.state`, which
the deploy side (`installations.deploy`) imports too.
"""

from __future__ import annotations

from installations.actions.create import create_installation
from installations.actions.delete import delete_installation
from installations.actions.errors import InstallationError
from installations.actions.head import author_for, current_inputs, head_version, repository
from installations.actions.inputs import update_inputs, update_inputs_text
from installations.actions.place import assign_cluster
from installations.actions.render import run_render
from installations.actions.request import request_render
from installations.actions.restore import restore_render
from installations.actions.secrets import set_sensitive_input, set_sensitive_inputs
from installations.actions.upgrade import (
    UpgradeReport,
    auto_update_installations,
    update_to_newest,
    upgrade_installation,
    upgrade_report,
)
from installations.repository import ConflictError
from installations.sensitive import render_manifest_files
from installations.state import set_state

__all__ = [
    "ConflictError",
    "InstallationError",
    "UpgradeReport",
    "assign_cluster",
    "author_for",
    "auto_update_installations",
    "create_installation",
    "current_inputs",
    "delete_installation",
    "head_version",
    "render_manifest_files",
    "repository",
    "request_render",
    "restore_render",
    "run_render",
    "set_sensitive_input",
    "set_sensitive_inputs",
    "set_state",
    "update_inputs",
    "update_inputs_text",
    "update_to_newest",
    "upgrade_installation",
    "upgrade_report",
]
