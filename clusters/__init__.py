"""Clusters: kubeconfigs, apply, prune and health (not built yet)."""
