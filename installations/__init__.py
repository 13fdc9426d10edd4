"""Installations: each one's git repository, its renders, history and the render task."""
