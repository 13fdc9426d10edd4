"""Clusters: imported kubeconfigs (encrypted), the Kubernetes client, and the engine that
applies, prunes, diffs and reads health. It knows nothing of installations:
`installations.deploy` runs it for them (DESIGN §1: installations -> clusters)."""
