"""Catalog: workspaces, packages and their immutable published versions."""
