"""Deploying one installation to its cluster: assign a cluster, apply renders, read health
back into the installation's state, re-apply, uninstall, pods and logs.

("Rollout" is kept for staged waves of many installations, DESIGN's word; this is one.)

Views, commands and tasks (`installations.tasks.apply_installation`,
`installations.tasks.monitor_installations`) call these modules:

- `assign`: which render runs where (assign a cluster, request an apply, re-apply);
- `claims`: one write to an installation's cluster at a time;
- `apply`: the apply task's body (objects applied, stale ones pruned, the inventory kept);
- `monitor`: health read back into the installation's state, the monitor task's body;
- `uninstall`: the installation's objects removed from its cluster;
- `pods`: its pods and their logs.

The cluster engine (`clusters.apply`, `clusters.prune`, `clusters.inventory`,
`clusters.pods`) knows nothing of installations; these modules give it an installation's
manifests (manifests/ at a render's commit) and its ownership label, store the change set
as `ApplyResult` + `InventoryEntry`, and move the installation's state through
`installations.state.set_state`. Every Kubernetes client opened here is closed in a
`finally`.
"""
