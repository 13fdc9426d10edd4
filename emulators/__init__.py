"""Emulators of the services Akua talks to, for tests, benches and the demo — not real ones.

`emulators.kubernetes` is a Kubernetes API server in a thread (or a process:
`python -m emulators.kubernetes`). Production code never imports this package
(tests/test_layering.py): the demo starts it as a child process and talks to it over HTTPS,
as it would to a real cluster.
"""
