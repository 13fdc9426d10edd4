"""Wizard: the HTMX install wizard and inputs editor built from JSON Schema (not built yet)."""
