"""Wizard: the HTMX install wizard and inputs editor, built from the package's JSON Schema."""
